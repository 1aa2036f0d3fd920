#!/usr/bin/env bash
# Deterministic cost of the Swift serve path: instructions per request
# (callgrind counts instructions, so other load on the machine does not
# matter), for A and for B at 10, 50 and 200 memoised 1 KB steps, and the
# per-step slope, which shows B's cost is linear in the number of steps.
# profile.sh builds the release app each time (incremental), so the counts are
# of the code checked out, never of a binary left from older code.
set -euo pipefail
cd "$(dirname "$0")"
n=${N:-100}
count() { ./profile.sh "$1" "$2" 2>/dev/null | sed -n 's/^instructions in all: \([0-9]*\).*/\1/p'; }
base=$(count A 1)
declare -A per
for scenario in A B10 B50 B200; do
  total=$(count "$scenario" $((n + 1)))
  per[$scenario]=$(( (total - base) / n ))
  printf '%-5s %12d instructions per request\n' "$scenario" "${per[$scenario]}"
done
printf 'per memoised step: %d (10→50 steps), %d (50→200 steps)\n' \
  $(( (per[B50] - per[B10]) / 40 )) $(( (per[B200] - per[B50]) / 150 ))
