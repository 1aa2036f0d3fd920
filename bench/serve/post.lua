-- wrk script: POST the body in $BODY_FILE to $TARGET; $CLOSE=1 adds Connection: close.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.path = os.getenv("TARGET")
wrk.headers["Content-Type"] = "application/json"
if os.getenv("CLOSE") == "1" then wrk.headers["Connection"] = "close" end
