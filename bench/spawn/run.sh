#!/usr/bin/env bash
# Spawn latency of Subprocess against Foundation's Process (the baseline,
# measured in the same run), in a small process and with a large resident set.
# Usage: bench/spawn/run.sh [runs per measurement, default 200] [resident MiB, default 1024]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
swiftc -O -parse-as-library -module-name SpawnBench -I Sources/CLinux \
  Sources/Subprocess/*.swift bench/spawn/SpawnBench.swift -o "$OUT/spawn-bench" 2>"$OUT/build.log" \
  || { cat "$OUT/build.log"; exit 1; }
"$OUT/spawn-bench" "${1:-200}" "${2:-1024}"
