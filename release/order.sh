#!/usr/bin/env bash
# Regenerates release/<product>.order: the functions of a release binary that
# run from launch until it is idle, for lld's --symbol-ordering-file (see
# release/build.sh). Linux only; needs valgrind (Debian package `valgrind`).
#
#   bash release/order.sh                  # worker and ServeBenchApp
#   bash release/order.sh worker           # one of them
#
# Each binary is built with release/build.sh and run under callgrind, idle for
# ORDER_SETTLE_SECONDS (default 20; valgrind is slow), then stopped with
# SIGTERM. The worker runs twice, as bench/rss/run.sh runs it: with an external
# engine that is down (sync keeps retrying) and with the embedded engine, and
# answers a first /health, /api/inngest or /metrics request in each (the
# benchmarks read "idle" after one). The bench/serve app answers one
# introspection request, as bench/serve does before it reads the idle RSS. A list is the union of its runs, sorted
# by name so that a diff shows what changed. Nothing here talks to anything
# but 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "release/order.sh: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
settle=${ORDER_SETTLE_SECONDS:-20}
products=("$@")
[ ${#products[@]} -gt 0 ] || products=(worker ServeBenchApp)

scratch=$(mktemp -d)
vg=
cleanup() { [ -n "$vg" ] && kill "$vg" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# profile NAME [VAR=value ...] -- command...: one callgrind run into $scratch/NAME.cg
profile() {
  local name=$1; shift
  local vars=()
  while [ "$1" != -- ]; do vars+=("$1"); shift; done; shift
  local home="$scratch/$name"; mkdir -p "$home"
  env -u INNGEST_BASE_URL -u INNGEST_API_BASE_URL -u INNGEST_EVENT_API_BASE_URL \
    HOME="$home" XDG_STATE_HOME="$home/state" "${vars[@]}" \
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$scratch/$name.cg" "$@" >"$home/log" 2>&1 &
  vg=$!
  sleep "$settle"
  local url
  for url in ${ORDER_REQUESTS:-}; do
    curl -fsS -o /dev/null "$url" || { echo "$name: GET $url failed" >&2; exit 1; }
  done
  [ -z "${ORDER_REQUESTS:-}" ] || sleep 2
  kill -0 "$vg" 2>/dev/null || { echo "$name: exited early; its log:" >&2; cat "$home/log" >&2; exit 1; }
  kill -TERM "$vg"; wait "$vg" 2>/dev/null || true; vg=
  echo "profiled $name" >&2
}

for product in "${products[@]}"; do
  bash release/build.sh --product "$product" 2>&1 | tail -n 1
  bin=$(realpath "$(bash release/build.sh --product "$product" --show-bin-path)/$product")
  rm -f "$scratch"/*.cg
  case $product in
    worker)
      port=$(free_port)
      ORDER_REQUESTS="http://127.0.0.1:$port/health http://127.0.0.1:$port/api/inngest" \
        profile worker-external INNGEST_DEV=http://127.0.0.1:9 -- "$bin" --host 127.0.0.1 --port "$port" --engine external
      port=$(free_port)
      ORDER_REQUESTS="http://127.0.0.1:$port/health http://127.0.0.1:$port/metrics" \
        profile worker-embedded INNGEST_DEV= -- "$bin" --host 127.0.0.1 --port "$port" --engine auto \
        --engine-db "$scratch/engine.db" --engine-address 127.0.0.1:0
      ;;
    ServeBenchApp)
      port=$(free_port)
      ORDER_REQUESTS="http://127.0.0.1:$port/api/inngest" profile app INNGEST_DEV=1 -- "$bin" "$port"
      ;;
    *) echo "release/order.sh: no profile for $product" >&2; exit 2 ;;
  esac

  # Callgrind names each function once per file as "fn=(id) name" and refers
  # to it later as "fn=(id)"; "ob=" says which object the following functions
  # are in. Keep the binary's own functions; "'N" suffixes mark recursion.
  python3 - "$bin" "$scratch"/*.cg > "release/$product.order" <<'PY'
import re, sys
binary, files = sys.argv[1], sys.argv[2:]
names = set()
for path in files:
    objects, functions, current = {}, {}, None
    for line in open(path, errors="replace"):
        m = re.match(r"^(ob|fn|cob|cfn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not m:
            continue
        kind, ident, name = m.groups()
        table = objects if kind.endswith("ob") else functions
        if name is not None:
            table[ident] = name
        if kind == "ob":
            current = objects.get(ident)
        elif kind == "fn" and current == binary:
            names.add(re.sub(r"'\d+$", "", functions[ident]))
for name in sorted(names):
    print(name)
PY
  echo "release/$product.order: $(wc -l < "release/$product.order") functions" >&2
done
