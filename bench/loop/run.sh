#!/usr/bin/env bash
# bench/loop: wall time and worker overhead of the agent loop. The release
# worker with its embedded engine runs a 2-story loop started by
# `joelclaw loop start`, with the stand-in coding agent of the tests (instant),
# the project's real unittest run as the check, and a stand-in LLM judge on
# loopback. Every tool and check runs under timed.sh, so the time spent inside
# them (the baseline: what a zero-overhead orchestrator would take, measured
# in the same run) is subtracted from the wall time, leaving the worker's
# overhead: engine round trips, steps, git worktrees/commits/merge, state.
#
#   bench/loop/run.sh          # 3 loops, one after another
#   LOOPS=5 bench/loop/run.sh
#
# Goal: overhead under 2 s per 2-story loop. Everything listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
LOOPS="${LOOPS:-3}"
HERE="$PWD/bench/loop"
AGENT="$PWD/Tests/FunctionsTests/Fixtures/agent-loop/fake-agent.sh"
bash release/build.sh --product worker >/dev/null
bash release/build.sh --product joelclaw >/dev/null
BIN="$(bash release/build.sh --show-bin-path)"

TMP=$(mktemp -d)
cleanup() {
  for p in ${WPID:-} ${LPID:-}; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

python3 "$HERE/llm_standin.py" >"$TMP/llm.port" &
LPID=$!
for _ in $(seq 100); do [ -s "$TMP/llm.port" ] && break; sleep 0.05; done
WORKER_PORT=$(free_port); ENGINE_PORT=$(free_port)
TOOLS_LOG="$TMP/tools.log"
mkdir -p "$TMP/home" "$TMP/vault"
cat >"$TMP/functions.json" <<JSON
{"vaultDir": "$TMP/vault", "scratchDir": "$TMP/scratch", "databasePath": "$TMP/functions.db",
 "systemLogPath": "$TMP/vault/system/system-log.jsonl",
 "llm": {"baseURL": "http://127.0.0.1:$(cat "$TMP/llm.port")"},
 "agentLoop": {"worktreeRoot": "$TMP/worktrees", "outputDir": "$TMP/loop-runs", "targetBranch": "integration",
               "defaultLadder": ["pi"],
               "tools": {"pi": {"argv": ["$HERE/timed.sh", "$TOOLS_LOG", "$AGENT", "good"], "timeout": 60}},
               "checks": {"*": [{"kind": "test", "argv": ["$HERE/timed.sh", "$TOOLS_LOG", "python3", "-m", "unittest", "discover", "-s", "tests"]}]}}}
JSON
# Only what the bench sets: no INNGEST_* from the caller's shell.
ENVIRONMENT=(env -i PATH="$PATH" HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" JOELCLAW_CONFIG="$TMP/functions.json"
  JOELCLAW_ENGINE_ADDRESS="127.0.0.1:$ENGINE_PORT" JOELCLAW_ENGINE_DB="$TMP/engine.db" ANTHROPIC_API_KEY=bench-key
  JOELCLAW_FUNCTIONS_DB="$TMP/functions.db")
"${ENVIRONMENT[@]}" "$BIN/worker" --port "$WORKER_PORT" --log-level warn >"$TMP/worker.log" 2>&1 &
WPID=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$WORKER_PORT/health" >/dev/null 2>&1 && break; sleep 0.05; done

git_() { GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost \
  GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost git "$@"; }
now_us() { python3 -c 'import time; print(time.monotonic_ns() // 1000)'; }

echo "loop  wall_ms  tools_ms  overhead_ms  wall/tools"
for i in $(seq "$LOOPS"); do
  project="$TMP/project-$i"
  mkdir -p "$project/tests"
  printf '"""A tiny calculator the agent loop grows."""\n' >"$project/calc.py"
  printf 'import unittest\nimport calc\n\n\nclass Smoke(unittest.TestCase):\n    def test_imports(self):\n        self.assertTrue(calc.__doc__)\n' >"$project/tests/test_smoke.py"
  printf '__pycache__/\n' >"$project/.gitignore"
  (cd "$project" && git_ init -q -b main && git_ add -A && git_ commit -q -m skeleton && git_ branch integration)
  cat >"$project/prd.json" <<'JSON'
{"title": "Calculator", "stories": [
 {"id": "ADD-1", "title": "add", "description": "Add add to calc.py", "acceptance_criteria": ["calc.add works"], "priority": 1},
 {"id": "MUL-1", "title": "mul", "description": "Add mul to calc.py", "acceptance_criteria": ["calc.mul works"], "priority": 2}]}
JSON
  : >"$TOOLS_LOG"
  start=$(now_us)
  loop_id=$(cd "$project" && "${ENVIRONMENT[@]}" "$BIN/joelclaw" loop start "$project")
  status=""
  for _ in $(seq 1200); do
    status=$("${ENVIRONMENT[@]}" "$BIN/joelclaw" loop status "$loop_id" --json 2>/dev/null \
      | python3 -c 'import json,sys; print(json.load(sys.stdin).get("status",""))' 2>/dev/null || true)
    if [ "$status" = merged ] && [ -f "$TMP/vault/system/retrospectives/$loop_id.md" ]; then break; fi
    case "$status" in failed|cancelled|conflict) break;; esac
    sleep 0.02
  done
  end=$(now_us)
  [ "$status" = merged ] || { echo "loop $loop_id ended '$status'"; tail -20 "$TMP/worker.log"; exit 1; }
  python3 - "$i" "$start" "$end" "$TOOLS_LOG" <<'PY'
import sys
i, start, end, log = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
tools = sum(int(line.split()[0]) for line in open(log) if line.strip())
wall = end - start
print(f"{i:>4} {wall/1000:8.0f} {tools/1000:9.0f} {(wall-tools)/1000:12.0f} {wall/max(tools,1):10.2f}")
PY
done
echo "(tools_ms: time inside the stand-in agent and the checks, the baseline; overhead_ms = wall - tools; goal < 2000 per loop)"
