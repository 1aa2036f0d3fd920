#!/usr/bin/env bash
# Starts the worker (what launchd runs). Builds the release binary when it is
# missing or older than the sources, then replaces this shell with the worker.
set -euo pipefail
cd "$(dirname "$0")"
bin=.build/release/worker
if [ ! -x "$bin" ] || [ -n "$(find Sources Package.swift -newer "$bin" -print -quit)" ]; then
  echo "start.sh: building release worker" >&2
  swift build -c release --product worker >&2
fi
exec "$bin" "$@"
