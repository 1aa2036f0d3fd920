#!/usr/bin/env bash
# Regenerates release/worker.order: the functions of the release worker that
# run from launch until it is idle, for lld's --symbol-ordering-file (see
# release/build.sh). Linux only; needs valgrind (Debian package `valgrind`).
#
# Builds the worker with release/build.sh, then runs it under callgrind twice,
# as bench/rss/run.sh does: with an external engine that is down (sync keeps
# retrying) and with the embedded engine (sync succeeds). Each run idles for
# ORDER_SETTLE_SECONDS (default 20; valgrind is slow) before its profile is
# dumped. The list is the union, sorted by name so that a diff shows what
# changed. Nothing here talks to anything but 127.0.0.1.
#
#   bash release/order.sh && git diff --stat release/worker.order
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "release/order.sh: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
settle=${ORDER_SETTLE_SECONDS:-20}

bash release/build.sh 2>&1 | tail -n 1
bin=$(realpath "$(bash release/build.sh --show-bin-path)/worker")
scratch=$(mktemp -d)
vg=
cleanup() { [ -n "$vg" ] && kill "$vg" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

# profile MODE INNGEST_DEV-value worker-flags...
profile() {
  local mode=$1 dev=$2; shift 2
  local home="$scratch/$mode"; mkdir -p "$home"
  env -u INNGEST_BASE_URL -u INNGEST_API_BASE_URL -u INNGEST_EVENT_API_BASE_URL \
    INNGEST_DEV="$dev" HOME="$home" XDG_STATE_HOME="$home/state" \
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$scratch/$mode.cg" \
    "$bin" --host 127.0.0.1 --port 0 "$@" >"$home/log" 2>&1 &
  vg=$!
  sleep "$settle"
  kill -0 "$vg" 2>/dev/null || { echo "$mode: the worker exited; its log:" >&2; cat "$home/log" >&2; exit 1; }
  kill -TERM "$vg"; wait "$vg" 2>/dev/null || true; vg=
  echo "profiled $mode" >&2
}
profile external http://127.0.0.1:9 --engine external
profile embedded "" --engine auto --engine-db "$scratch/embedded/engine.db" --engine-address 127.0.0.1:0

# Callgrind names each function once per file as "fn=(id) name" and refers to
# it later as "fn=(id)"; "ob=" says which object the following functions are
# in. Keep the worker's own functions; "'N" suffixes mark recursion cycles.
python3 - "$bin" "$scratch"/*.cg > release/worker.order <<'PY'
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
echo "release/worker.order: $(wc -l < release/worker.order) functions" >&2
