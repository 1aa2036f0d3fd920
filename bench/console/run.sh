#!/usr/bin/env bash
# Server time of every console page with RUNS runs (default 1,000,000) in the
# engine's database, against the same pages on an empty database measured in
# the same run (the baseline). Loopback only; prints one line per page:
#   page  empty-ms  full-ms  ratio
# Times are curl's total for one request on loopback (median of 5), so they
# include the console's own REST calls to the engine. CONFIG=release measures
# a release build (slower to build; the default is the debug build).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-1000000}
CONFIG=${CONFIG:-debug}
swift build -c "$CONFIG" --product ConsoleBrowserHarness >/dev/null
BIN="$(swift build -c "$CONFIG" --show-bin-path)/ConsoleBrowserHarness"
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

start() {  # starts the harness on $DIR (it runs until its stdin closes); sets BASE, KEY, COOKIE
  coproc HARNESS { "$BIN" "$DIR" "$PORT"; }
  read -r _ BASE KEY <&"${HARNESS[0]}"
  COOKIE=$(curl -s -i -X POST --data-urlencode "key=$KEY" "$BASE/login" | tr -d '\r' | sed -n 's/^Set-Cookie: joelclaw_console=\([^;]*\);.*/\1/p')
}
stop() { local pid=$HARNESS_PID; eval "exec ${HARNESS[1]}>&-"; wait "$pid" || true; }

pages() {  # prints "name ms" for every page (median of 5 requests)
  local run event
  run=$(curl -s -b "joelclaw_console=$COOKIE" "$BASE/runs?since=all&fragment=rows" | sed -n 's/.*data-run="\([^"]*\)".*/\1/p' | head -1)
  event=$(curl -s -b "joelclaw_console=$COOKIE" "$BASE/events?fragment=rows" | sed -n 's/.*href="[^"]*\/events\/\([^"]*\)".*/\1/p' | head -1)
  cursor=$(curl -s -b "joelclaw_console=$COOKIE" "$BASE/runs?since=7d" | sed -n 's/.*cursor=\([^"&]*\).*/\1/p' | head -1)
  for spec in "runs /runs" "runs-24h /runs?since=24h" "runs-all /runs?since=all" "runs-page2 /runs?since=7d&cursor=$cursor" \
              "runs-function /runs?function=browser-greeter&since=7d" "runs-failed /runs?status=Failed&since=7d" \
              "runs-function-running /runs?function=browser-flaky&status=Running&since=all" "runs-live-rows /runs?fragment=rows" \
              "run /runs/$run" "functions /functions" "events /events" "events-name /events?name=bench/other" \
              "event /events/$event" "services /services" "loops /loops"; do
    set -- $spec
    local times=() code
    code=$(curl -s -o /dev/null -w '%{http_code}' -b "joelclaw_console=$COOKIE" "$BASE$2")
    [ "$code" = 200 ] || { echo "bench/console: $BASE$2 answered $code" >&2; exit 1; }
    for _ in 1 2 3 4 5; do
      times+=("$(curl -s -o /dev/null -w '%{time_total}' -b "joelclaw_console=$COOKIE" "$BASE$2")")
    done
    printf '%s %s\n' "$1" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)"
  done
}

start; pages > "$DIR/empty"; stop
python3 bench/console/fill.py "$DIR/engine.sqlite" "$RUNS" browser-greeter browser-sleeper browser-flaky
start; pages > "$DIR/full"; stop
echo "console pages, $CONFIG build, $RUNS runs vs an empty database (ms, median of 5):"
printf '%-24s %9s %9s %7s\n' page empty full ratio
awk 'NR == FNR { empty[$1] = $2; next } { printf "%-24s %9.1f %9.1f %7.2f\n", $1, empty[$1]*1000, $2*1000, (empty[$1] > 0 ? $2/empty[$1] : 0) }' "$DIR/empty" "$DIR/full"
echo "database: $(du -h "$DIR/engine.sqlite" | cut -f1)"
