#!/usr/bin/env bash
# Embedded-engine benchmark: end-to-end latency of a 3-step function, sustained
# runs/s with 100 events in flight, and SQLite growth per 1,000 runs.
# Engine and worker run in one process on loopback sockets; the worker is
# called over HTTP exactly as in production.
#
#   bash bench/engine/run.sh                 # defaults (synchronous=FULL)
#   bash bench/engine/run.sh --sync normal   # WAL synchronous=NORMAL (crash-safe, not power-loss-safe)
#   bash bench/engine/run.sh --latency-runs 500 --throughput-runs 5000 --in-flight 100
#   bash bench/engine/run.sh --scenario scale    # retained runs, waiting runs, sleeping runs (docs/engine.md, "Scale")
#   bash bench/engine/run.sh --scenario retained --retained 1000000   # or waiting --waiting N, sleeping --sleeping N
#
# Goals (issue 4): p50 < 20 ms, >= 200 three-step runs/s on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash release/build.sh --product EngineBench >&2  # built as the worker is (release/build.sh)
exec .build/release/EngineBench "$@"
