#!/usr/bin/env bash
# Idle RSS of the release worker, built exactly as start.sh builds it.
#
# Starts the worker twice, idle, on 127.0.0.1 with a free port: once with an
# external engine (INNGEST_DEV pointing at a closed loopback port, so sync keeps
# retrying as it would while the server is down) and once with the embedded
# engine on a temporary database. HOME and XDG_STATE_HOME point at a temporary
# directory, so nothing touches real state. After RSS_SETTLE_SECONDS (default
# 2) it prints VmRSS, RssAnon, RssFile and the mappings with the most resident
# memory (/proc/PID/smaps; Linux only), then VmRSS again after the worker
# answered GET /health and GET /api/inngest (needs curl).
#
#   bash bench/rss/run.sh            # RSS_TOP=12 mappings per mode by default
set -euo pipefail
cd "$(dirname "$0")/../.."

settle=${RSS_SETTLE_SECONDS:-2}
top=${RSS_TOP:-12}
[ -r /proc/self/smaps ] || { echo "bench/rss: needs /proc (Linux)" >&2; exit 1; }

# Built by release/build.sh, as start.sh builds it, so the two cannot drift apart.
echo "building: bash release/build.sh"
bash release/build.sh 2>&1 | tail -n 1
bin=$(bash release/build.sh --show-bin-path)/worker

scratch=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

field() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$pid/status"; }

# measure MODE INNGEST_DEV-value worker-flags...
measure() {
  local mode=$1 dev=$2; shift 2
  local home="$scratch/$mode"; mkdir -p "$home"
  env -u INNGEST_BASE_URL -u INNGEST_API_BASE_URL -u INNGEST_EVENT_API_BASE_URL \
    INNGEST_DEV="$dev" HOME="$home" XDG_STATE_HOME="$home/state" "$bin" --host 127.0.0.1 --port 0 "$@" \
    >"$home/log" 2>&1 &
  pid=$!
  sleep "$settle"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "$mode: the worker exited; its log:" >&2; cat "$home/log" >&2; exit 1
  fi
  printf '%-9s VmRSS %6d kB  RssAnon %6d kB  RssFile %6d kB  threads %s\n' "$mode" \
    "$(field VmRSS)" "$(field RssAnon)" "$(field RssFile)" "$(field Threads)"
  awk -v rss="$(field VmRSS)" 'BEGIN { printf "  goal: under 15 MB (15360 kB): %s\n", rss < 15360 ? "met" : "NOT met" }'
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anonymous]" : $6) " " $2 }
       /^Rss:/ { if ($2 > 0) rss[name] += $2 }
       END { for (n in rss) printf "  %6d kB  %s\n", rss[n], n }' "/proc/$pid/smaps" | sort -rn | head -n "$top"
  # The same worker after answering its first requests (what bench/http and
  # bench/serve read as idle): each new code path adds the pages it touches.
  local port
  port=$(sed -n 's/.*"msg":"listening".*"port":\([0-9]*\).*/\1/p' "$home/log" | head -n 1)
  if [ -n "$port" ] && curl -fsS -o /dev/null "http://127.0.0.1:$port/health" &&
     curl -fsS -o /dev/null "http://127.0.0.1:$port/api/inngest"; then
    sleep 1
    printf '  after GET /health and /api/inngest: VmRSS %6d kB  RssAnon %6d kB\n' "$(field VmRSS)" "$(field RssAnon)"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

measure external http://127.0.0.1:9 --engine external
measure embedded "" --engine auto --engine-db "$scratch/embedded/engine.db" --engine-address 127.0.0.1:0
