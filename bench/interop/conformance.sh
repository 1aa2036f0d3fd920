#!/usr/bin/env bash
# The Inngest CLI's own serve conformance runner (`inngest alpha conformance run`)
# against this SDK's fixture app (sdk-app/Sources/ConformanceApp), in dev mode
# (`inngest dev`, the app with INNGEST_DEV) and in cloud mode (`inngest start` with a
# signing and an event key, the app with INNGEST_BASE_URL and the keys, every call
# signed). Manual, like real-server.sh; prints each runner report and a summary line
# per mode, and exits non-zero if a case did not pass.
#
#   INNGEST_CLI=/path/to/inngest bash bench/interop/conformance.sh
#
# GO_FIXTURE=/path/to/binary also runs the server source's own Go fixture
# (tests/conformance/golang, built by you) in both modes, for comparison: a case that
# fails there too is the runner's, not the SDK's. CONFORMANCE_CASES (comma-separated)
# narrows the cases; INTEROP_KEEP=1 keeps the logs; INTEROP_NETNS=0 skips the
# loopback-only network namespace.
set -euo pipefail
cd "$(dirname "$0")/../.."

source bench/interop/lib.sh
require_server_and_tools curl jq python3
build_sdk_app --product ConformanceApp
APP="$(swift build --package-path bench/interop/sdk-app --show-bin-path)/ConformanceApp"
export APP
enter_loopback_namespace "$0"
make_scratch

CASES="${CONFORMANCE_CASES:-serve-introspection,basic-invoke,steps-serial,retry-basic,cancel-basic,wait-for-event-basic}"
SIGNING_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
EVENT_KEY="conformance$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
ALL_PASSED=1

# fixture NAME PORT ARGS...: starts a fixture app (ARGS: env assignments, then the
# command) and waits for its /health.
fixture() {
    local name=$1 port=$2; shift 2
    env -i PATH="$PATH" HOME="$TMP" "$@" >"$TMP/$name.log" 2>&1 &
    PIDS+=($!)
    local up; up="$(wait_for 30 200 curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")"
    [[ "$up" == 200 ]] || { echo "fixture $name did not start:"; tail -5 "$TMP/$name.log"; }
}

# run_cases LABEL SERVER_URL EVENT_KEY SDK_URL: the runner's report for one app and server.
run_cases() {
    local label=$1 server=$2 key=$3 sdk=$4
    local cfg="$TMP/$label.yaml" report="$TMP/$label.json"
    {
        echo "transport: serve"
        echo "cases:"; tr ',' '\n' <<<"$CASES" | sed 's/^/  - /'
        echo "sdk:"; echo "  url: $sdk"
        echo "dev:"; echo "  url: $server"; echo "  event_key: $key"; echo "  signing_key: \"$SIGNING_KEY\""
        echo "report:"; echo "  format: pretty"
    } >"$cfg"
    echo "--- $label"
    "$INNGEST_CLI" alpha conformance run --config "$cfg" --report-out "$report" 2>&1 | sed 's/^/    /' || true
    if [[ -s "$report" ]]; then
        echo "$label: $(jq -r '.cases | group_by(.status) | map("\(length) \(.[0].status)") | join(", ")' "$report")"
        jq -r '.cases[] | select(.status != "passed") | "    \(.case_id): \(.status) \(.reason // "")"' "$report" | cut -c1-600
        if [[ "$label" == swift-* ]] && ! jq -e '.cases | all(.status == "passed")' "$report" >/dev/null; then ALL_PASSED=0; fi
    else
        echo "$label: no report"
        [[ "$label" != swift-* ]] || ALL_PASSED=0
    fi
    return 0
}

# --- dev mode ----------------------------------------------------------------------
DEV_PORT="$(free_port)"; mkdir -p "$TMP/dev"
start_server dev "$DEV_PORT" dev --no-discovery --no-poll
APP_PORT="$(free_port)"
fixture swift-dev "$APP_PORT" INNGEST_DEV="http://127.0.0.1:$DEV_PORT" INNGEST_SIGNING_KEY="$SIGNING_KEY" \
    INNGEST_EVENT_KEY="$EVENT_KEY" "$APP" "$APP_PORT"
run_cases swift-dev "http://127.0.0.1:$DEV_PORT" "$EVENT_KEY" "http://127.0.0.1:$APP_PORT/api/inngest"
if [[ -n "${GO_FIXTURE:-}" ]]; then
    GO_PORT="$(free_port)"
    fixture go-dev "$GO_PORT" PORT="127.0.0.1:$GO_PORT" INNGEST_SIGNING_KEY="$SIGNING_KEY" INNGEST_EVENT_KEY="$EVENT_KEY" \
        INNGEST_DEV="http://127.0.0.1:$DEV_PORT" "$GO_FIXTURE"
    run_cases go-dev "http://127.0.0.1:$DEV_PORT" "$EVENT_KEY" "http://127.0.0.1:$GO_PORT/api/inngest"
fi

# --- cloud mode: inngest start, every call signed ------------------------------------
START_PORT="$(free_port)"; mkdir -p "$TMP/start"
start_server start "$START_PORT" start --signing-key "$SIGNING_KEY" --event-key "$EVENT_KEY" --sqlite-dir "$TMP/start/db"
APP_PORT="$(free_port)"
fixture swift-cloud "$APP_PORT" INNGEST_BASE_URL="http://127.0.0.1:$START_PORT" INNGEST_SIGNING_KEY="$SIGNING_KEY" \
    INNGEST_EVENT_KEY="$EVENT_KEY" INNGEST_APP_ID=conformance-swift-cloud "$APP" "$APP_PORT"
run_cases swift-cloud "http://127.0.0.1:$START_PORT" "$EVENT_KEY" "http://127.0.0.1:$APP_PORT/api/inngest"
refused="$(grep -c 'refused an Inngest' "$TMP/swift-cloud.log" || true)"
echo "swift-cloud: $refused calls refused by the app's signature check"
if [[ -n "${GO_FIXTURE:-}" ]]; then
    GO_PORT="$(free_port)"
    fixture go-cloud "$GO_PORT" PORT="127.0.0.1:$GO_PORT" INNGEST_SIGNING_KEY="$SIGNING_KEY" INNGEST_EVENT_KEY="$EVENT_KEY" \
        "$GO_FIXTURE"
    run_cases go-cloud "http://127.0.0.1:$START_PORT" "$EVENT_KEY" "http://127.0.0.1:$GO_PORT/api/inngest"
fi

[[ "$ALL_PASSED" == 1 ]]
