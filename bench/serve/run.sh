#!/usr/bin/env bash
# bench/serve: this SDK's serve path vs the Python SDK under uvicorn vs nginx.
# Installs what it needs (Debian: wrk, nginx; PyPI: inngest, fastapi, uvicorn),
# builds the release binaries, then runs bench.py, which prints every figure and
# its ratio to nginx. DURATION=<seconds> shortens the wrk runs.
# Companions: cost.sh (instructions per request, load-independent) and
# profile.sh (callgrind top functions for one scenario).
set -euo pipefail
cd "$(dirname "$0")"
need_apt=()
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"
for module in inngest fastapi uvicorn; do
  python3 -c "import $module" >/dev/null 2>&1 || python3 -m pip install -q "$module"
done
# Both built by release/build.sh, the worker exactly as start.sh builds it and
# the app with the same link (static Swift runtime and C libraries, start-up
# functions placed together): see there.
(cd ../.. && for product in ServeBenchApp worker; do
  bash release/build.sh --product "$product" >&2
done)
export BUILD_DIR=${BUILD_DIR:-$(cd ../.. && bash release/build.sh --show-bin-path)}
exec python3 bench.py
