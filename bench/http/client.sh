#!/usr/bin/env bash
# Loopback HTTP client benchmark: SocketHTTPClient (vs URLSessionHTTPClient on
# macOS; Linux no longer compiles it) posting a 4 KB body to an in-process HTTPServer, 1 and 16 requests in
# flight. Usage: bench/http/client.sh [seconds per scenario, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
swiftc -O -parse-as-library -module-name ClientBench -I Sources/CLinux -I Sources/CTLS \
  Sources/HTTP/*.swift bench/http/ClientBench.swift -o "$OUT/client-bench" 2>"$OUT/build.log" \
  || { cat "$OUT/build.log"; exit 1; }
"$OUT/client-bench" "${1:-3}"
