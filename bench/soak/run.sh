#!/usr/bin/env bash
# Soak: the embedded engine and a worker in one process (as the worker binary
# runs them) under a steady mix for 100,000 runs: 3-step runs, 1 s sleeps,
# waits answered and timed out, a step retried once, a function that fails, a
# cron every minute. Prints resident memory, open descriptors, threads and
# database size every 10,000 runs, runs lost or stuck, and the growth of each
# from run 20,000 to the end (goal: within 10 %, none lost or stuck).
#
#   bash bench/soak/run.sh                    # 100,000 runs, 100 in flight
#   bash bench/soak/run.sh --soak-runs 30000 --in-flight 200 --sync full
set -euo pipefail
cd "$(dirname "$0")/../.."
bash release/build.sh --product EngineBench >&2  # built as the worker is (release/build.sh)
exec .build/release/EngineBench --scenario soak "$@"
