#!/bin/sh
# A stand-in coding agent for the agent-loop tests. Like codex/claude/pi it
# reads its prompt on stdin, edits the small Python project in its working
# directory (calc.py and tests/) and prints a short transcript.
#
# usage: fake-agent.sh MODE [--wrong STORY] [--pids FILE]
#   good       write tests / implement correctly
#   fail       print an error and exit 3, touching nothing
#   hang       never finish (with a child process), whatever the prompt
#   hang-impl  write tests normally, hang when asked to implement
#   slow-impl  write tests normally; when implementing, write --pids first,
#              then take 2 s (a window to kill the worker in)
#   --wrong S  implement story S wrongly (subtracts)
#   --pids F   when hanging, write "<own pid> <child pid>" to F
mode="$1"; shift
wrong=""; pids=""
while [ $# -gt 0 ]; do
  case "$1" in --wrong) wrong="$2"; shift 2;; --pids) pids="$2"; shift 2;; *) shift;; esac
done
prompt=$(cat)
story=$(printf '%s\n' "$prompt" | sed -n 's/^## .*(\([A-Za-z0-9_-]*\))$/\1/p' | head -n 1)
hang() {
  echo "[agent] working on it"
  sleep 300 &
  [ -n "$pids" ] && echo "$$ $!" > "$pids"
  wait
  exit 0
}
case "$mode" in
  fail) echo "error: the agent crashed" >&2; exit 3;;
  hang) hang;;
esac
name=$(echo "$story" | cut -d- -f1 | tr 'A-Z' 'a-z')
case "$prompt" in
"## Write Acceptance Tests"*)
  mkdir -p tests
  case "$name" in add) args="2, 3), 5";; mul) args="2, 3), 6";; *) args="6, 3), 2";; esac
  cat > "tests/test_$name.py" <<EOF
import unittest
from calc import $name


class Test_$name(unittest.TestCase):
    def test_$name(self):
        self.assertEqual($name($args)
EOF
  ;;
*)
  [ "$mode" = hang-impl ] && hang
  if [ "$mode" = slow-impl ]; then
    [ -n "$pids" ] && echo "$$" >> "$pids"
    sleep 2
  fi
  case "$name" in add) op="+";; mul) op="*";; *) op="//";; esac
  [ "$story" = "$wrong" ] && op="-"
  printf '\n\ndef %s(a, b):\n    return a %s b\n' "$name" "$op" >> calc.py
  ;;
esac
echo "[agent] $mode: edited the project for $story"
echo "tokens used: 42"
