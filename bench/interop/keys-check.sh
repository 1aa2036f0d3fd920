# Keys in `inngest start` mode, for real-server.sh (sourced after the start phase's
# run_checks): the bearer key on the server's API, the server's signed PUT, in-band
# sync and the trust probe on the worker. Expects START_API, WORKER_URL, SIGNING_KEY,
# STALE_KEY, TMP and lib.sh.

code_of() { # code_of METHOD PATH [BEARER]
    local auth=(); [[ -n "${3:-}" ]] && auth=(-H "Authorization: Bearer $3")
    curl -s -o /dev/null -w '%{http_code}' -X "$1" "${auth[@]}" -H 'Content-Type: application/json' \
        ${4:+-d "$4"} "$START_API$2"
}
# Whether this server checks the bearer key is detected, not assumed: older servers
# leave /fn/register and the REST API open, newer ones answer 401 without a valid key.
open_register="$(code_of POST /fn/register '' '{}')"
open_rest="$(code_of GET /v1/events)"
if [[ "$open_register" == 401 && "$open_rest" == 401 ]]; then
    stale_rest="$(code_of GET /v1/events "$(bearer_of "signkey-prod-$STALE_KEY")")"
    good_rest="$(code_of GET /v1/events "$(bearer_of "signkey-prod-$SIGNING_KEY")")"
    check "start: the server checks the bearer key (/fn/register, REST API)" \
        "$([[ "$stale_rest" == 401 && "$good_rest" == 200 ]] && echo 1)" \
        "no key: register $open_register, /v1 $open_rest; stale key $stale_rest; the SDK's hashed key $good_rest"
    BEARER_ENFORCED=1
else
    check "start: the server checks the bearer key (/fn/register, REST API)" 1 \
        "not checked by this server version (no key: register $open_register, /v1 $open_rest)"
    BEARER_ENFORCED=0
fi
export BEARER_ENFORCED

puts="$(grep '"method":"PUT"' "$TMP/start/worker.log" | grep -c '"status":200' || true)"
check "start: the server's signed PUT on the -u URL answered 200" "$( ((puts >= 1)) && echo 1)" "$puts PUTs"

registered="$(curl -s "$WORKER_URL" | jq -r '.function_count' || true)"
read -r status verdict kind body < <(signed_request "$SIGNING_KEY" PUT "$WORKER_URL" "{\"url\":\"$WORKER_URL\"}" \
    'x-inngest-sync-kind: in_band' 'X-Inngest-Server-Kind: cloud' || true) || true
count="$(jq -r '.functions | length' <<<"$body" 2>/dev/null || true)"
check "start: in-band sync (signed PUT, x-inngest-sync-kind: in_band) answered with a signed configuration" \
    "$([[ "$status $verdict $kind" == "200 signature-valid in_band" && "$count" == "$registered" ]] && echo 1)" \
    "$status $verdict $kind, $count functions, app $(jq -r '.app_id' <<<"$body" 2>/dev/null || true)"
read -r status verdict kind body < <(signed_request "$STALE_KEY" PUT "$WORKER_URL" "{\"url\":\"$WORKER_URL\"}" \
    'x-inngest-sync-kind: in_band' || true) || true
check "start: in-band sync signed with another key is refused" "$(is "$status" 401)" "$status ${body:0:100}"
read -r status verdict kind body < <(signed_request "$SIGNING_KEY" POST "$WORKER_URL?probe=trust" '{}' || true) || true
check "start: trust probe answered 200, signed" "$(is "$status $verdict" "200 signature-valid")" "$status $verdict"
