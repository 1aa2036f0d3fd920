#!/usr/bin/env bash
# Interop check against a REAL Inngest server (manual; not part of CI).
#
#   INNGEST_CLI=/path/to/inngest bash bench/interop/real-server.sh
#
# Phase 1, dev mode: `inngest dev` and this repo's worker on free loopback ports.
# Phase 2, cloud mode: `inngest start` (self-hosted) with a signing key and an
# event key, and a second worker holding the same keys, so every call is signed
# by the server and verified by the worker.
# Each check reads the server's own APIs (REST /v1, GraphQL /v0/gql) and prints
# PASS/FAIL; the script exits non-zero if any failed. See README.md here.
#
# Settings: INNGEST_CLI (required; a prebuilt binary, never built or fetched
# here), WORKER_BIN and JOELCLAW_BIN (default .build/debug/worker and
# .build/debug/joelclaw, built with `swift build` when missing), INTEROP_NETNS
# (default 1 on Linux: run everything in a new network
# namespace that has only loopback, via `unshare -rn`, so nothing can leave
# 127.0.0.1 even where the server binds wider), INTEROP_SDK_APP (default 1: also run
# the SDK test app in sdk-app/ against each server), INTEROP_LOOP (default 1: also run
# the agent loop's happy path, loop-check.sh), INTEROP_KEEP=1 keeps the logs.
set -euo pipefail
cd "$(dirname "$0")/../.."

source bench/interop/lib.sh
require_server_and_tools curl jq python3 git

WORKER_BIN="${WORKER_BIN:-.build/debug/worker}"
[[ -x "$WORKER_BIN" ]] || swift build --product worker >&2
JOELCLAW_BIN="${JOELCLAW_BIN:-.build/debug/joelclaw}"
[[ -x "$JOELCLAW_BIN" ]] || swift build --product joelclaw >&2
WORKER_BIN="$(cd "$(dirname "$WORKER_BIN")" && pwd)/$(basename "$WORKER_BIN")"
JOELCLAW_BIN="$(cd "$(dirname "$JOELCLAW_BIN")" && pwd)/$(basename "$JOELCLAW_BIN")"
export WORKER_BIN JOELCLAW_BIN
SDK_APP=""
if [[ "${INTEROP_SDK_APP:-1}" == 1 ]]; then
    build_sdk_app
    SDK_APP="$(swift build --package-path bench/interop/sdk-app --show-bin-path)/InteropApp"
fi
export SDK_APP

enter_loopback_namespace "$0"
make_scratch
source bench/interop/loop-check.sh

# run_checks NAME API EVENT_KEY WORKER_PORT [BEARER]: sync and runs, read from the server at API.
run_checks() {
    local name=$1 api=$2 key=$3 wport=$4 bearer=${5:-}
    local log="$TMP/$name/worker.log"
    local auth=(); [[ -n "$bearer" ]] && auth=(-H "Authorization: Bearer $bearer")
    get() { curl -s "${auth[@]}" "$api$1"; }
    send() { curl -s -X POST "$api/e/$key" -H 'Content-Type: application/json' -d "$1" | jq -r '.ids[0]' || true; }
    # A run has ended when it has `ended_at`: newer servers derive the REST `status` from
    # the run's trace, which says `Failed` while a retry is pending and can lag behind the
    # end; the final status is then read from the run's history record (GraphQL `functionRun`).
    final_status() {
        curl -s "${auth[@]}" -X POST "$api/v0/gql" -H 'Content-Type: application/json' \
            -d "{\"query\":\"{ functionRun(query: {functionRunId: \\\"$1\\\"}) { status } }\"}" \
            | jq -r '.data.functionRun.status // empty | ascii_downcase | (.[0:1] | ascii_upcase) + .[1:]' || true
    }
    run_of() {
        local run final
        run="$(get "/v1/events/$1/runs" | jq -c '.data[0] // empty' || true)"
        [[ -n "$run" ]] || return 0
        if [[ "$(jq -r 'has("ended_at") and .ended_at == null' <<<"$run")" == true ]]; then
            jq -c '{status: "\(.status) (not ended)", output}' <<<"$run"; return 0
        fi
        final="$(final_status "$(jq -r '.run_id' <<<"$run")")"
        jq -c --arg final "$final" '{status: (if $final == "" then .status else $final end), output}' <<<"$run"
    }
    run_status() { run_of "$1" | jq -r '.status' || true; }

    # What the worker serves, from the worker itself: its functions (/health) and the
    # functions it registers, failure handlers included (introspection).
    local functions registered
    functions="$(curl -s "http://127.0.0.1:$wport/health" | jq -r '.functionCount // empty' || true)"
    registered="$(curl -s "http://127.0.0.1:$wport/api/inngest" | jq -r '.function_count // empty' || true)"
    check "$name: worker reports its functions" "$([[ -n "$functions" && -n "$registered" ]] && echo 1)" \
        "$functions functions, $registered with onFailure handlers"
    local got
    got="$(wait_for 30 1 count_in "\"msg\":\"synced $registered functions" "$log")"
    check "$name: sync on start (worker POSTs /fn/register)" "$(is "$got" 1)" \
        "$(grep -m1 -o '"msg":"synced[^}]*' "$log" || grep -m1 'sync' "$log")"

    # GraphQL `functions`: `/dev` lists them too, but only on the dev server.
    listed() {
        curl -s "${auth[@]}" -X POST "$api/v0/gql" -H 'Content-Type: application/json' -d '{"query":"{ functions { slug } }"}' \
            | jq -r '[.data.functions[].slug | select(startswith("system-bus-"))] | "\(length) \(map(select(endswith("-failure"))) | length)"' || true
    }
    got="$(wait_for 30 "$registered $((registered - functions))" listed)"
    check "$name: the server lists every function and failure handler" \
        "$(is "$got" "$registered $((registered - functions))")" "[$got] (functions+handlers, handlers)"

    # The server stores the URL with 127.0.0.1 rewritten to localhost, so match by name.
    local app
    app="$(curl -s "${auth[@]}" -X POST "$api/v0/gql" -H 'Content-Type: application/json' \
        -d '{"query":"{ apps { name url error sdkLanguage sdkVersion framework functionCount } }"}' \
        | jq -c '.data.apps[]? | select(.name == "system-bus")' || true)"
    check "$name: app record without error" \
        "$(is "$(jq -r '"\(.error) \(.functionCount)"' <<<"${app:-{\}}")" "null $registered")" "${app:-no app named system-bus}"

    local event status output
    event="$(send '{"name":"content/summarized","data":{"title":"Interop check","slug":"interop-check"}}')"
    status="$(wait_for 60 Completed run_status "$event")"
    output="$(run_of "$event" | jq -c '.output' || true)"
    check "$name: system-logger run completes (content/summarized)" \
        "$(is "$status $(jq -r '.written' <<<"${output:-null}")" "Completed true")" "status $status, output $output"

    local log_id; log_id="$(jq -r '.logId' <<<"${output:-null}")"
    check "$name: system log line written" \
        "$(is "$(count_in "\"$log_id\"" "$TMP/$name/vault/system/system-log.jsonl" 2>/dev/null)" 1)" "$log_id"

    # step.sendEvent emitted system/log.written; the server ran system-logger on it too.
    second_status() {
        get "/v1/events?name=system/log.written" | jq -r '.data[0].internal_id // empty' \
            | while read -r id; do run_status "$id"; done || true
    }
    status="$(wait_for 60 Completed second_status)"
    check "$name: step.sendEvent event delivered and its run completes" "$(is "$status" Completed)" "status '$status'"

    # Several steps in a row: the health check against the empty inventory in the
    # temp HOME, which checks the worker's own function count over HTTP.
    event="$(send '{"name":"system/health.requested","data":{}}')"
    status="$(wait_for 90 Completed run_status "$event")"
    output="$(run_of "$event" | jq -c '.output' || true)"
    check "$name: health-check run completes healthy (system/health.requested)" \
        "$(is "$status $(jq -r '.status' <<<"${output:-null}")" "Completed healthy")" "${output:0:200}"
}

# sdk_app NAME VAR=VALUE...: the SDK test app (bench/interop/sdk-app) against the same
# server: every step tool, error path and flow-control option, one PASS/FAIL line each.
sdk_app() {
    local name=$1; shift
    [[ -n "$SDK_APP" ]] || return 0
    local out
    out="$(env -i PATH="$PATH" HOME="$TMP" "$@" "$SDK_APP" "$(free_port)" 2>"$TMP/$name/sdk-app.log" || true)"
    while IFS= read -r line; do
        case "$line" in
            "PASS "*) check "$name: ${line#PASS sdk-app: }" 1 ;;
            "FAIL "*) local text="${line#FAIL sdk-app: }"; check "$name: ${text%%: *}" 0 "${text#*: }" ;;
        esac
    done <<<"$out"
    [[ "$out" == *"sdk-app: "*" passed, "* ]] || check "$name: sdk-app finishes" 0 "$(tail -3 "$TMP/$name/sdk-app.log")"
}

[[ "${INTEROP_LOOP:-1}" == 1 ]] && start_llm_standin
loop_env() { [[ "${INTEROP_LOOP:-1}" == 1 ]] && loop_config "$1"; return 0; }

# --- phase 1: inngest dev ---------------------------------------------------------
mkdir -p "$TMP/dev"
DEV_PORT="$(free_port)"; WORKER_PORT="$(free_port)"
WORKER_URL="http://127.0.0.1:$WORKER_PORT/api/inngest"
start_worker dev "$WORKER_PORT" INNGEST_DEV="http://127.0.0.1:$DEV_PORT" $(loop_env dev)
start_server dev "$DEV_PORT" dev --no-discovery --no-poll -u "$WORKER_URL"
run_checks dev "http://127.0.0.1:$DEV_PORT" NO_EVENT_KEY_SET "$WORKER_PORT"

# The dev server PUTs the -u URL; the worker answers by registering out of band.
# (With a 127.0.0.1 -u URL the dev server keeps a second, never-synced app record
# under that spelling and PUTs it every 5 s; with localhost it would not PUT at all
# once the worker has synced itself. Either way the worker's answer is what counts.)
dev_puts() { grep '"method":"PUT"' "$TMP/dev/worker.log" | grep -c '"status":200' || true; }
got="$(dev_puts)"   # run_checks took long enough for the first PUT
check "dev: sync initiated by the dev server (PUT on the -u URL) answered 200" "$( ((got >= 1)) && echo 1)" "$got PUTs"

put="$(curl -s -w ' %{http_code}' -X PUT "$WORKER_URL" -H 'X-Inngest-Server-Kind: cloud' -d '{}')"
check "dev: expected-server-kind mismatch is refused by the dev server" \
    "$(is "$([[ "$put" == *"server kind"*" 500" ]] && echo y)" y)" "${put:0:120}"

[[ "${INTEROP_LOOP:-1}" == 1 ]] && loop_checks dev INNGEST_DEV="http://127.0.0.1:$DEV_PORT"
sdk_app dev INNGEST_DEV="http://127.0.0.1:$DEV_PORT"

# --- phase 2: inngest start, signed ------------------------------------------------
mkdir -p "$TMP/start"
START_PORT="$(free_port)"; WORKER_PORT="$(free_port)"
START_API="http://127.0.0.1:$START_PORT"; WORKER_URL="http://127.0.0.1:$WORKER_PORT/api/inngest"
SIGNING_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
EVENT_KEY="interop$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
STALE_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
start_worker start "$WORKER_PORT" INNGEST_BASE_URL="$START_API" \
    INNGEST_SIGNING_KEY="$SIGNING_KEY" INNGEST_EVENT_KEY="$EVENT_KEY" $(loop_env start)
start_server start "$START_PORT" start --signing-key "$SIGNING_KEY" --event-key "$EVENT_KEY" \
    --sqlite-dir "$TMP/start/db" -u "$WORKER_URL"
run_checks start "$START_API" "$EVENT_KEY" "$WORKER_PORT" "$(bearer_of "$SIGNING_KEY")"
source bench/interop/keys-check.sh
[[ "${INTEROP_LOOP:-1}" == 1 ]] && loop_checks start INNGEST_BASE_URL="$START_API" \
    INNGEST_SIGNING_KEY="$SIGNING_KEY" INNGEST_EVENT_KEY="$EVENT_KEY"

refused="$(count_in 'refused an Inngest' "$TMP/start/worker.log")"
check "start: every signed call verified (no refusals in the worker log)" "$(is "$refused" 0)"
# The SDK app holds the keys as after a rotation: a stale primary and the server's key as
# the fallback, both prefixed; verifying the server's signed calls must fall back, and so
# must its bearer token on /fn/register and /v0 where the server checks it.
sdk_app start INNGEST_BASE_URL="$START_API" INNGEST_SIGNING_KEY="signkey-prod-$STALE_KEY" \
    INNGEST_SIGNING_KEY_FALLBACK="signkey-prod-$SIGNING_KEY" INNGEST_EVENT_KEY="$EVENT_KEY" INTEROP_API_KEY="$SIGNING_KEY" \
    INTEROP_EXPECT_KEY_FALLBACK="$BEARER_ENFORCED"

echo "$PASSED passed, $FAILED failed"
[[ "$FAILED" == 0 ]]
