-- wrk script: POST a 4 KB JSON body (an event batch of about the size the
-- Inngest server sends), optionally with Connection: close (BENCH_CLOSE=1).
local items = {}
for i = 1, 40 do
  items[#items + 1] = string.format('{"id":"01J%023d","name":"bench/event","data":{"n":%d,"ok":true}}', i, i)
end
local body = '{"events":[' .. table.concat(items, ",") .. '],"pad":"'
body = body .. string.rep("x", 4096 - #body - 2) .. '"}'

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
if os.getenv("BENCH_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end
