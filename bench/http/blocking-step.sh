#!/usr/bin/env bash
# /health latency while function steps block their threads, against the same
# server idle, in one run. The app is bench/serve's (the worker's HTTP server
# and the SDK's serve handler); its `blocking-step` function holds a thread
# with a synchronous sleep, as a file lock or a slow disk would.
#
#   bench/http/blocking-step.sh          # 4 blocking calls, 5 s each
#   BLOCKERS=8 HOLD_MS=8000 bench/http/blocking-step.sh
#
# Prints p50/p99/max of GET /health (wrk, 1 connection, 4 s) idle and while
# the calls block, and the ratio of the two p99s. Goal: p99 under 10 ms while
# blocked. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
BLOCKERS="${BLOCKERS:-4}"
HOLD_MS="${HOLD_MS:-5000}"
command -v wrk >/dev/null || {
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
}
bash release/build.sh --product ServeBenchApp >/dev/null
APP="$(bash release/build.sh --show-bin-path)/ServeBenchApp"

TMP=$(mktemp -d)
cleanup() { [ -n "${APID:-}" ] && kill "$APID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
"$APP" 0 >"$TMP/app.out" 2>&1 &
APID=$!
for _ in $(seq 100); do grep -q listening "$TMP/app.out" && break; sleep 0.05; done
PORT=$(awk '/listening/ {print $2}' "$TMP/app.out")
BASE="http://127.0.0.1:$PORT"

latency() { # label -> prints "label p50 p99 max" in ms
  wrk -t1 -c1 -d4s --latency "$BASE/health" >"$TMP/wrk.txt"
  python3 - "$1" "$TMP/wrk.txt" <<'PY'
import re, sys
label, text = sys.argv[1], open(sys.argv[2]).read()
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
pct = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)$", text, re.M)}
mx = re.search(r"Latency\s+[\d.]+\w+\s+[\d.]+\w+\s+([\d.]+)(us|ms|s)", text)
print(f"{label} {pct['50']:.3f} {pct['99']:.3f} {ms(*mx.groups()):.3f}")
PY
}

call() { # one blocking call through the serve endpoint (dev mode: unsigned)
  curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
    "$BASE/api/inngest?fnId=bench-blocking-step&stepId=step" \
    --data "{\"event\":{\"name\":\"bench/block\",\"data\":{\"ms\":$HOLD_MS},\"id\":\"e$1\",\"ts\":1},\"events\":[],\"steps\":{},\"ctx\":{\"run_id\":\"r$1\",\"attempt\":0,\"stack\":{\"stack\":[]}},\"version\":2}"
}

idle=$(latency idle)
for i in $(seq "$BLOCKERS"); do call "$i" >>"$TMP/codes" & done
sleep 0.3
blocked=$(latency blocked)
wait_codes() { for _ in $(seq 200); do [ "$(wc -l <"$TMP/codes" 2>/dev/null || echo 0)" -ge "$BLOCKERS" ] && return; sleep 0.1; done; }
wait_codes
python3 - "$idle" "$blocked" "$BLOCKERS" "$HOLD_MS" "$(sort "$TMP/codes" | uniq -c | tr '\n' ' ')" <<'PY'
import sys
idle, blocked = sys.argv[1].split(), sys.argv[2].split()
print(f"GET /health, 1 connection, while {sys.argv[3]} steps each hold a thread for {sys.argv[4]} ms (call answers: {sys.argv[5].strip()})")
print(f"{'':10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
for row in (idle, blocked):
    print(f"{row[0]:10}{float(row[1]):10.3f}{float(row[2]):10.3f}{float(row[3]):10.3f}")
print(f"p99 blocked/idle: {float(blocked[2]) / max(float(idle[2]), 0.001):.2f}x  (goal: blocked p99 < 10 ms)")
PY
