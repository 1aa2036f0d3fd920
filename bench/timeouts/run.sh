#!/usr/bin/env bash
# How late the worker's timeouts fire (command timeout and cancellation, HTTP
# client timeout, server header timeout, shutdown drain), each against
# Task.sleep for the same time measured in the same run. The tests check that
# each timeout fires and what it ends; this measures how soon.
#
#   bash bench/timeouts/run.sh [rounds, default 10] [timeout in seconds, default 0.5]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash release/build.sh --product TimeoutBench >&2
exec .build/release/TimeoutBench "$@"
