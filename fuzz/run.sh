#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a bounded time.
#
#   fuzz/run.sh                      # every target, 60 seconds each
#   fuzz/run.sh 300                  # every target, 5 minutes each
#   fuzz/run.sh 120 json cron        # these targets only
#
# Prints one line per target: executions, coverage, corpus size, new crashes.
# Exits non-zero when any target found a crash (or a hang: -timeout=10).
#
# fuzz/ is a SwiftPM package of its own (see Package.swift): one binary,
# `fuzzers`, holds every target, compiled with `-sanitize=fuzzer,address`;
# FUZZ_TARGET picks the target. Each target's corpus grows in
# fuzz/out/<target>/corpus (seeded from fuzz/seeds/<target>/), and findings
# land in fuzz/out/<target>/artifacts (crash-*, timeout-*, oom-*).
# Run it with `nice -n 10` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_PER_TARGET="${1:-60}"
shift || true
ALL=(http-parser signature serve-handler call-request json engine-api expression cron inventory config agent-loop console console-replies worker-flags)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")
mkdir -p out

swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >out/build.log 2>&1 \
  || { tail -40 out/build.log; exit 1; }
BIN="$(swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)/fuzzers"

crashed=0
for target in "${TARGETS[@]}"; do
  dir="out/$target"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp -n "seeds/$target"/* "$dir/corpus/" 2>/dev/null || true
  before=$(ls "$dir/artifacts" | wc -l)
  set +e
  FUZZ_TARGET="$target" ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" "$BIN" "$dir/corpus" \
    -max_total_time="$SECONDS_PER_TARGET" -max_len=8192 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$dir/artifacts/" -print_final_stats=1 >"$dir/last.log" 2>&1
  status=$?
  set -e
  after=$(ls "$dir/artifacts" | wc -l)
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$dir/last.log" | grep -Eo '[0-9]+$' || echo "?")
  cov=$(grep -Eo 'cov: [0-9]+' "$dir/last.log" | tail -1 | grep -Eo '[0-9]+' || echo "?")
  printf '%-14s %4ss  executions: %10s  cov: %6s  corpus: %6s  new crashes: %d  exit: %d\n' \
    "$target" "$SECONDS_PER_TARGET" "$runs" "$cov" "$(ls "$dir/corpus" | wc -l)" $((after - before)) "$status"
  if [ "$after" -gt "$before" ] || [ "$status" -ne 0 ]; then
    crashed=1
    ls -1t "$dir/artifacts" | head -n $((after - before > 0 ? after - before : 1)) | sed "s|^|  $dir/artifacts/|"
    grep -E 'ERROR|Fatal error|SUMMARY|deadly signal|timeout' "$dir/last.log" | head -5 | sed 's/^/  /'
  fi
done
exit $crashed
