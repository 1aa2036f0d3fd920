# The agent loop's happy path on the real server, for real-server.sh (sourced):
# a 2-story PRD on a small Python project, the stand-in coding agent of the tests,
# the project's own unittest run as the check and a stand-in LLM judge on loopback.
# Expects TMP, JOELCLAW_BIN and the helpers of lib.sh.

AGENT="$PWD/Tests/FunctionsTests/Fixtures/agent-loop/fake-agent.sh"

# start_llm_standin: the stand-in Messages API of bench/loop on a free port; sets LLM_URL.
start_llm_standin() {
    python3 bench/loop/llm_standin.py >"$TMP/llm.port" &
    PIDS+=($!)
    local _
    for _ in $(seq 100); do [[ -s "$TMP/llm.port" ]] && break; sleep 0.05; done
    LLM_URL="http://127.0.0.1:$(cat "$TMP/llm.port")"
}

# loop_config NAME: writes the functions' configuration for phase NAME (state in
# $TMP/NAME, the stand-in agent as the only tool, unittest as the check) and prints
# the environment the worker and `joelclaw loop` need to share it.
loop_config() {
    local dir="$TMP/$1"
    cat >"$dir/functions.json" <<JSON
{"vaultDir": "$dir/vault", "databasePath": "$dir/functions.db", "scratchDir": "$dir/scratch",
 "llm": {"baseURL": "$LLM_URL"},
 "agentLoop": {"worktreeRoot": "$dir/worktrees", "outputDir": "$dir/loop-runs", "targetBranch": "integration",
               "defaultLadder": ["pi"],
               "tools": {"pi": {"argv": ["$AGENT", "good"], "timeout": 60}},
               "checks": {"*": [{"kind": "test", "argv": ["python3", "-m", "unittest", "discover", "-s", "tests"]}]}}}
JSON
    echo "JOELCLAW_CONFIG=$dir/functions.json ANTHROPIC_API_KEY=interop-key"
}

git_() {
    GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=interop GIT_AUTHOR_EMAIL=interop@localhost \
        GIT_COMMITTER_NAME=interop GIT_COMMITTER_EMAIL=interop@localhost git "$@"
}

# loop_checks NAME VAR=VALUE...: starts a loop with `joelclaw loop start` (events to the
# real server through the variables given) and checks it ends merged with a retro note.
loop_checks() {
    local name=$1; shift
    local dir="$TMP/$name" project="$TMP/$name/project"
    local cli=(env -i PATH="$PATH" HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" $(loop_config "$name") "$@")
    mkdir -p "$project/tests"
    printf '"""A tiny calculator the agent loop grows."""\n' >"$project/calc.py"
    printf 'import unittest\nimport calc\n\n\nclass Smoke(unittest.TestCase):\n    def test_imports(self):\n        self.assertTrue(calc.__doc__)\n' >"$project/tests/test_smoke.py"
    printf '__pycache__/\n' >"$project/.gitignore"
    cat >"$project/prd.json" <<'JSON'
{"title": "Calculator", "stories": [
 {"id": "ADD-1", "title": "add", "description": "Add add to calc.py", "acceptance_criteria": ["calc.add works"], "priority": 1},
 {"id": "MUL-1", "title": "mul", "description": "Add mul to calc.py", "acceptance_criteria": ["calc.mul works"], "priority": 2}]}
JSON
    (cd "$project" && git_ init -q -b main && git_ add -A && git_ commit -q -m skeleton && git_ branch integration)

    local loop_id status="" started=$SECONDS
    loop_id="$(cd "$project" && "${cli[@]}" "$JOELCLAW_BIN" loop start "$project" 2>>"$dir/loop-cli.log" || true)"
    check "$name: agent loop started (joelclaw loop start)" "$([[ -n "$loop_id" ]] && echo 1)" "${loop_id:-$(tail -2 "$dir/loop-cli.log")}"
    [[ -n "$loop_id" ]] || return 0
    loop_status() {
        "${cli[@]}" "$JOELCLAW_BIN" loop status "$loop_id" --json 2>/dev/null | jq -r '.status // empty' || true
    }
    local end=$((SECONDS + 420))
    while ((SECONDS < end)); do
        status="$(loop_status)"
        [[ "$status" == merged && -f "$dir/vault/system/retrospectives/$loop_id.md" ]] && break
        case "$status" in failed|cancelled|conflict) break;; esac
        sleep 1
    done
    check "$name: agent loop of 2 stories ends merged" "$(is "$status" merged)" "status '$status' after $((SECONDS - started)) s"
    check "$name: agent loop retro note written" "$([[ -s "$dir/vault/system/retrospectives/$loop_id.md" ]] && echo 1)" \
        "system/retrospectives/$loop_id.md"
    local merged; merged="$(cd "$project" && git_ show integration:calc.py 2>/dev/null | grep -c '^def ' || true)"
    local tests; tests="$(cd "$project" && git_ ls-tree --name-only integration tests/ 2>/dev/null | tr '\n' ' ' || true)"
    local passes; passes="$(cd "$TMP" && rm -rf check && git_ clone -q -b integration "$project" check \
        && cd check && python3 -m unittest discover -s tests >/dev/null 2>&1 && echo 1 || true)"
    check "$name: agent loop merged both stories, tests pass on the target branch" \
        "$([[ "$merged" == 2 && "$passes" == 1 ]] && echo 1)" "$merged functions in calc.py; $tests"
    check "$name: agent loop worktree removed, user's checkout untouched" \
        "$([[ -z "$(ls -A "$dir/worktrees" 2>/dev/null)" && "$(cd "$project" && git_ rev-parse --abbrev-ref HEAD)" == main \
              && -z "$(cd "$project" && git_ status --porcelain)" ]] && echo 1)" "$(ls "$dir/worktrees" 2>/dev/null | tr '\n' ' ')"
}
