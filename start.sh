#!/usr/bin/env bash
# Starts the worker (with its embedded engine). This is what launchd runs
# (infra/launchd/com.joel.system-bus-worker.plist, KeepAlive), and what a
# person runs on a fresh machine: ./start.sh
#
# Every start is recorded. Three things can happen before the worker runs:
#   1. Crash loop: more than JOELCLAW_CRASH_LOOP_STARTS starts within
#      JOELCLAW_CRASH_LOOP_WINDOW seconds means the worker keeps dying. Write a
#      system-log entry, send an alert event (best effort), and sleep
#      JOELCLAW_CRASH_LOOP_BACKOFF seconds before trying again, so launchd
#      cannot spin it.
#   2. Build: when any source is newer than the release binary, rebuild it, so
#      a change never runs (or crash-loops) on a stale build. A failed build
#      exits non-zero with the compiler's reason on stderr and in the system log.
#   3. exec the worker, passing along any arguments.
#
# Environment (all optional):
#   JOELCLAW_STATE_DIR           start records      (default ~/.local/state/joelclaw)
#   JOELCLAW_SYSTEM_LOG          JSON-lines log     (default $VAULT_PATH/system/system-log.jsonl,
#                                                    VAULT_PATH defaulting to ~/Vault)
#   JOELCLAW_WORKER_BIN          run this binary instead of building .build/release/worker
#   JOELCLAW_CRASH_LOOP_STARTS   default 5
#   JOELCLAW_CRASH_LOOP_WINDOW   seconds, default 120
#   JOELCLAW_CRASH_LOOP_BACKOFF  seconds, default 300
#   INNGEST_EVENT_API_BASE_URL, INNGEST_BASE_URL, INNGEST_EVENT_KEY   where alerts go
#                                (default the embedded engine, http://127.0.0.1:8288)
set -euo pipefail
cd "$(dirname "$0")"

state_dir=${JOELCLAW_STATE_DIR:-$HOME/.local/state/joelclaw}
system_log=${JOELCLAW_SYSTEM_LOG:-${VAULT_PATH:-$HOME/Vault}/system/system-log.jsonl}
max_starts=${JOELCLAW_CRASH_LOOP_STARTS:-5}
window=${JOELCLAW_CRASH_LOOP_WINDOW:-120}
backoff=${JOELCLAW_CRASH_LOOP_BACKOFF:-300}
event_api=${INNGEST_EVENT_API_BASE_URL:-${INNGEST_BASE_URL:-http://127.0.0.1:8288}}
# The embedded engine is closed by default: its event key is in the key file the
# worker writes beside the engine's database (see EngineKeys).
engine_db=${JOELCLAW_ENGINE_DB:-${XDG_STATE_HOME:-$HOME/.local/state}/joelclaw/engine.sqlite}
engine_keys=${JOELCLAW_ENGINE_KEYS:-$(dirname "$engine_db")/engine-keys.json}
event_key=${INNGEST_EVENT_KEY:-}
if [ -z "$event_key" ] && [ -r "$engine_keys" ]; then
  event_key=$(sed -n 's/.*"eventKey"[[:space:]]*:[[:space:]]*"\([0-9a-f]*\)".*/\1/p' "$engine_keys")
fi
event_key=${event_key:-NO_EVENT_KEY_SET}
starts_file=$state_dir/worker-starts

say() { echo "start.sh: $*" >&2; }

# Escapes text for a JSON string: tabs become spaces, other control characters
# go, backslashes and quotes are escaped, and line breaks become \n.
json_string() {
  printf '%s' "$1" | tr '\t' ' ' | tr -d '\000-\010\013-\037' |
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' |
    awk 'NR > 1 { printf "%s", "\\n" } { printf "%s", $0 }'
}

# Appends one system-log line: {"timestamp","action","tool","detail","reason"}.
log_system() {
  local action=$1 detail=$2 now
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  mkdir -p "$(dirname "$system_log")"
  printf '{"timestamp":"%s","action":"%s","tool":"worker","detail":"%s","reason":"start.sh"}\n' \
    "$now" "$action" "$(json_string "$detail")" >> "$system_log"
}

# Sends system/health.degraded to the event API. Best effort: the engine is
# usually inside the very worker that is failing, so a failure here is expected
# and only noted.
send_alert() {
  local reason=$1 detail=$2 body
  body=$(printf '{"name":"system/health.degraded","data":{"degraded":["worker"],"reason":"%s","detail":"%s"}}' \
    "$reason" "$(json_string "$detail")")
  if ! command -v curl >/dev/null 2>&1; then
    say "alert not sent: curl not found"
    return 0
  fi
  # The URL holds the event key: it goes to curl on stdin, not on its command
  # line, where any user's `ps` could read it.
  printf 'url = "%s/e/%s"\n' "$event_api" "$event_key" |
    curl -fsS --max-time 5 -K - -H 'Content-Type: application/json' -d "$body" \
    >/dev/null 2>&1 || say "alert not sent: $event_api unreachable"
}

# 1. Record this start; keep only the starts inside the window.
mkdir -p "$state_dir"
now=$(date +%s)
{ [ -f "$starts_file" ] && cat "$starts_file"; echo "$now"; } |
  awk -v now="$now" -v window="$window" '$1 > now - window' > "$starts_file.tmp"
mv "$starts_file.tmp" "$starts_file"
starts=$(wc -l < "$starts_file" | tr -d ' ')

if [ "$starts" -gt "$max_starts" ]; then
  detail="crash loop: $starts starts in ${window}s; backing off ${backoff}s"
  say "$detail"
  log_system crash-loop "$detail"
  send_alert crash-loop "$detail"
  sleep "$backoff"
  : > "$starts_file"   # after backing off, count afresh
fi

# 2. Build when needed (unless a binary is given).
bin=${JOELCLAW_WORKER_BIN:-.build/release/worker}
if [ -z "${JOELCLAW_WORKER_BIN:-}" ]; then
  if [ ! -x "$bin" ] || [ -n "$(find Sources Package.swift release -newer "$bin" -print -quit)" ]; then
    say "sources changed: building the release worker"
    build_log=$(mktemp)
    # The compiler's output goes to stderr as it comes (a first build takes
    # minutes) and to a file, for the reason in the system log.
    # release/build.sh: the link tuned for a small resident size (see there).
    if ! bash release/build.sh 2>&1 | tee "$build_log" >&2; then
      reason=$(grep -m 3 'error:' "$build_log" || tail -n 3 "$build_log")
      rm -f "$build_log"
      say "build failed; not starting a stale worker"
      log_system build-failed "swift build failed: $reason"
      exit 1
    fi
    rm -f "$build_log"
  fi
fi
if [ ! -x "$bin" ]; then
  say "worker binary $bin is missing or not executable"
  log_system start-failed "worker binary $bin is missing or not executable"
  exit 1
fi

# 3. Become the worker.
exec "$bin" "$@"
