#!/usr/bin/env bash
# Fuzzes the HTTP request parser with libFuzzer for a bounded time and
# prints executions and crashes.
#
#   fuzz/run.sh           # 60 seconds
#   fuzz/run.sh 300       # 5 minutes
#
# Builds fuzz/ParserFuzzTarget.swift with the parser sources using
# `swiftc -sanitize=fuzzer,address`. Findings land in fuzz/out/ (crash-*).
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_TO_RUN="${1:-60}"
SRC=../Sources/HTTP
OUT=out
mkdir -p "$OUT/corpus" "$OUT/artifacts"
cp -n seeds/* "$OUT/corpus/" 2>/dev/null || true

swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name ParserFuzz \
  ParserFuzzTarget.swift \
  "$SRC/HTTPRequestParser.swift" "$SRC/HTTPHeadParser.swift" "$SRC/HTTPFraming.swift" \
  "$SRC/ChunkedBodyDecoder.swift" "$SRC/HTTPParseError.swift" "$SRC/HTTPParserLimits.swift" \
  "$SRC/PercentDecoding.swift" "$SRC/HTTPSyntax.swift" "$SRC/HTTPRequestHead.swift" \
  "$SRC/HTTPRequest.swift" "$SRC/HTTPHeaders.swift" "$SRC/HTTPResponseParser.swift" "$SRC/HTTPClient.swift" \
  -o "$OUT/parser-fuzzer" 2>"$OUT/build.log" || { cat "$OUT/build.log"; exit 1; }

before=$(ls "$OUT/artifacts" | wc -l)
set +e
"$OUT/parser-fuzzer" "$OUT/corpus" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=5 \
  -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 2>"$OUT/last.log"
status=$?
set -e
after=$(ls "$OUT/artifacts" | wc -l)
runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$OUT/last.log" | grep -Eo '[0-9]+$' || echo "?")
cov=$(grep -Eo 'cov: [0-9]+' "$OUT/last.log" | tail -1 || true)
echo "fuzz: ${SECONDS_TO_RUN}s, executions: ${runs}, ${cov:-cov: ?}, corpus: $(ls "$OUT/corpus" | wc -l) inputs, new crashes: $((after - before)), exit status: $status"
if [ "$after" -gt "$before" ]; then
  echo "crash inputs:"; ls -1 "$OUT/artifacts" | tail -n $((after - before))
  tail -30 "$OUT/last.log"
  exit 1
fi
