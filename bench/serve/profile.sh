#!/usr/bin/env bash
# Instruction profile of the Swift serve path with callgrind: starts the bench
# app under valgrind, sends N requests of one scenario, prints the top
# functions (self cost) and the instructions per request.
#   profile.sh [A|B10|B50|B200] [N]
# Builds the app as run.sh does (release/build.sh; incremental, so quick when
# nothing changed): a binary left from older code would measure that code.
set -euo pipefail
cd "$(dirname "$0")"
scenario=${1:-B50}; n=${2:-200}
bin=$(cd ../.. && bash release/build.sh --product ServeBenchApp --show-bin-path)/ServeBenchApp
(cd ../.. && bash release/build.sh --product ServeBenchApp >&2)
out=../out/serve; mkdir -p "$out"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rm -f "$out"/callgrind.out.*
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out.%p" "$bin" "$port" >/dev/null 2>&1 &
vg=$!
python3 - "$port" "$scenario" "$n" <<'PY'
import sys, time
sys.path.insert(0, ".")
import bench
port, scenario, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
steps = 0 if scenario == "A" else int(scenario[1:])
fn = "one-step" if steps == 0 else "many-steps"
body = bench.call_body(steps)
for _ in range(600):
    try:
        bench.http(port, "GET", "/api/inngest"); break
    except OSError:
        time.sleep(0.1)
for _ in range(n):
    status, _, _ = bench.http(port, "POST", f"/api/inngest?fnId=bench-{fn}&stepId=step", body)
print(f"last status {status}")
PY
# Dump a snapshot (total minus start-up is what the requests cost), then stop.
kill "$vg"; wait "$vg" 2>/dev/null || true
file=$(ls "$out"/callgrind.out.* | head -1)
total=$(callgrind_annotate "$file" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "instructions in all: $total for $n requests (start-up included)"
callgrind_annotate --inclusive=no "$file" 2>/dev/null | sed -n '/file:function/,$p' | sed -n '2,25p' | cut -c1-160
