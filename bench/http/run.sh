#!/usr/bin/env bash
# HTTP throughput and latency of the worker against nginx, in one run.
#
#   bench/http/run.sh            # 5 s per scenario
#   BENCH_DURATION=10s bench/http/run.sh
#
# Scenarios: GET /health and POST /health with a 4 KB JSON body, each with
# keep-alive and with Connection: close, at 1 and 32 connections (wrk, one
# thread). nginx (Debian, one worker process, `return 200` with a body like
# /health's) runs from a temporary prefix as the baseline. Prints req/s,
# p50 and p99 latency for both and the worker/nginx throughput ratio, then
# the worker's idle RSS. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${BENCH_DURATION:-5s}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}" >&2
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# The worker exactly as start.sh builds and runs it (release/build.sh).
bash release/build.sh >/dev/null
WORKER="$(bash release/build.sh --show-bin-path)/worker"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
TMP=$(mktemp -d)
cleanup() {
  [ -n "${WPID:-}" ] && kill "$WPID" 2>/dev/null || true
  [ -n "${NPID:-}" ] && kill "$NPID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

WPORT=$(free_port)
# The worker's Inngest sync goes to a closed loopback port: nothing leaves 127.0.0.1.
INNGEST_DEV=http://127.0.0.1:9 "$WORKER" --host 127.0.0.1 --port "$WPORT" --log-level warn 2>"$TMP/worker.log" &
WPID=$!

NPORT=$(free_port)
mkdir -p "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
master_process off;
error_log $TMP/nginx/logs/error.log;
pid $TMP/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  keepalive_requests 1000000;
  client_body_buffer_size 64k;
  server {
    listen 127.0.0.1:$NPORT;
    location / {
      default_type application/json;
      return 200 '{"status":"ok","version":"0.1.0","uptime":12.345}';
    }
  }
}
CONF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
NPID=$!

for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$WPORT/health" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$NPORT/" >/dev/null 2>&1 && break
  sleep 0.1
done

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
anon_kb() { awk '/RssAnon/ {print $2}' "/proc/$1/status"; }
sleep 1
IDLE_RSS_START=$(rss_kb "$WPID"); IDLE_ANON_START=$(anon_kb "$WPID")

# wrk → "req/s p50_ms p99_ms errors"
measure() {
  local url=$1 conns=$2 mode=$3 kind=$4 out
  local args=(-t1 -c"$conns" -d"$DURATION" --latency)
  [ "$kind" = post ] && args+=(-s bench/http/post4k.lua)
  if [ "$mode" = close ]; then
    [ "$kind" = get ] && args+=(-H "Connection: close")
    out=$(BENCH_CLOSE=1 wrk "${args[@]}" "$url")
  else
    out=$(BENCH_CLOSE=0 wrk "${args[@]}" "$url")
  fi
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Requests\/sec/ { rps = $2 }
    /Non-2xx|Socket errors/ { err = err $0 }
    END { printf "%.0f %.3f %.3f %s\n", rps, p50, p99, (err == "" ? "-" : "errors") }'
}

printf "%-30s %10s %8s %8s | %10s %8s %8s | %6s\n" scenario worker p50ms p99ms nginx p50ms p99ms ratio
for kind in get post; do
  for mode in keepalive close; do
    for conns in 1 32; do
      read -r wr w50 w99 werr < <(measure "http://127.0.0.1:$WPORT/health" "$conns" "$mode" "$kind")
      read -r nr n50 n99 nerr < <(measure "http://127.0.0.1:$NPORT/health" "$conns" "$mode" "$kind")
      ratio=$(awk -v a="$wr" -v b="$nr" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
      flag=""; [ "$werr" != "-" ] && flag=" (worker errors)"; [ "$nerr" != "-" ] && flag="$flag (nginx errors)"
      printf "%-30s %10s %8s %8s | %10s %8s %8s | %6s%s\n" "$kind $mode c=$conns" "$wr" "$w50" "$w99" "$nr" "$n50" "$n99" "$ratio" "$flag"
    done
  done
done

sleep 2
echo "worker RSS: idle after start ${IDLE_RSS_START} kB (anonymous ${IDLE_ANON_START} kB), idle after load $(rss_kb "$WPID") kB (anonymous $(anon_kb "$WPID") kB)"
echo "nginx RSS (one process): $(rss_kb "$NPID") kB"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
