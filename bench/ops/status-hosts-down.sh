#!/usr/bin/env bash
# Measures `joelclaw status` wall time when every host is down or hung.
#
# Stands up loopback listeners that accept connections and never answer (a
# hung host), plus ports nothing listens on (a host that refuses), writes an
# inventory of HTTP, SSH and TCP checks against them with the default 2 s
# timeouts, and times the release binary RUNS times. Loopback only.
#
# Usage: bench/ops/status-hosts-down.sh [runs]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}

bash release/build.sh --product joelclaw >/dev/null  # built as the worker is (release/build.sh)
bin=.build/release/joelclaw
work=$(mktemp -d)
trap 'kill "$listener" 2>/dev/null || true; rm -rf "$work"' EXIT

# Six listeners that never accept; their ports go to $work/ports.
python3 - "$work/ports" <<'PY' &
import socket, sys, time
socks = []
for _ in range(6):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64); socks.append(s)
with open(sys.argv[1], "w") as f:
    f.write(" ".join(str(s.getsockname()[1]) for s in socks))
time.sleep(3600)
PY
listener=$!
while [ ! -s "$work/ports" ]; do sleep 0.05; done
read -r p1 p2 p3 p4 p5 p6 < "$work/ports" || true  # no trailing newline
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

cat > "$work/inventory.json" <<JSON
{"schemaVersion": 1, "machines": [
  {"name": "panda", "address": "127.0.0.1", "services": [
    {"name": "inngest", "kind": "http", "ports": [$p1], "check": {"type": "http", "url": "http://127.0.0.1:$p1/health"}},
    {"name": "qdrant",  "kind": "http", "ports": [$p2], "check": {"type": "http", "url": "http://127.0.0.1:$p2/healthz"}},
    {"name": "redis",   "kind": "tcp",  "ports": [$p3], "check": {"type": "tcp", "send": "PING\r\n", "expect": "+PONG"}},
    {"name": "worker",  "kind": "http", "ports": [$p4], "check": {"type": "http", "url": "http://127.0.0.1:$p4/health"}},
    {"name": "caddy",   "kind": "tcp",  "ports": [$closed]}
  ]},
  {"name": "clanker-001", "address": "127.0.0.1", "services": [
    {"name": "pdf-brain", "kind": "http", "ports": [$p5], "check": {"type": "http", "url": "http://127.0.0.1:$p5/"}}
  ]},
  {"name": "three-body", "address": "127.0.0.1", "services": [
    {"name": "ssh", "kind": "ssh", "ports": [$p6]}
  ]}
]}
JSON

echo "joelclaw status, 7 services: 6 hung, 1 refusing; default timeouts (2 s, cap 2.5 s)"
worst=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  code=0
  JOELCLAW_INVENTORY="$work/inventory.json" "$bin" status --json > "$work/out.json" || code=$?
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  if [ "$ms" -gt "$worst" ]; then worst=$ms; fi
  down=$(grep -o '"down":[0-9]*' "$work/out.json" | head -1)
  echo "run $i: ${ms} ms (exit $code, $down)"
done
echo "worst: ${worst} ms (budget 3000 ms)"
