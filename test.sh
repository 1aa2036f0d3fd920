#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine or a Mac.
# Installs what the tests need when it is missing (Debian: apt-get; PyPI: pip),
# builds, and runs `swift test`. Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
if command -v apt-get >/dev/null 2>&1; then
  # Debian package → a file that proves it is installed.
  while read -r pkg probe; do
    [ -e "$probe" ] || need_apt+=("$pkg")
  done <<'LIST'
libsqlite3-dev /usr/include/sqlite3.h
libssl-dev /usr/include/openssl/hmac.h
git /usr/bin/git
curl /usr/bin/curl
ffmpeg /usr/bin/ffmpeg
openssh-client /usr/bin/ssh
openssh-server /usr/sbin/sshd
chromium /usr/bin/chromium
chromium-driver /usr/bin/chromedriver
LIST
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "test.sh: installing Debian packages: ${need_apt[*]}" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
fi

# PyPI package → a command that proves it is installed.
need_pip=()
while read -r pkg probe; do
  command -v "$probe" >/dev/null 2>&1 || need_pip+=("$pkg")
done <<'LIST'
yt-dlp yt-dlp
LIST
# PyPI package → a Python module that proves it is installed.
while read -r pkg module; do
  python3 -c "import $module" >/dev/null 2>&1 || need_pip+=("$pkg")
done <<'LIST'
pyyaml yaml
selenium selenium
LIST
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "test.sh: installing PyPI packages: ${need_pip[*]}" >&2
  python3 -m pip install -q "${need_pip[@]}" || python3 -m pip install -q --user "${need_pip[@]}"
  hash -r
fi
# A --user install puts its commands here; the tests look them up on PATH.
export PATH="$PATH:$(python3 -m site --user-base 2>/dev/null || echo "$HOME/.local")/bin"
# PyPI package → a Python module that proves it is installed.
need_pip=()
while read -r pkg module; do
  python3 -c "import $module" >/dev/null 2>&1 || need_pip+=("$pkg")
done <<'LIST'
inngest inngest
LIST
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "test.sh: installing PyPI packages: ${need_pip[*]}" >&2
  python3 -m pip install -q "${need_pip[@]}" || python3 -m pip install -q --user "${need_pip[@]}"
fi
# Interop tests with the Python SDK fail (rather than skip) when it is missing.
export INNGEST_INTEROP_REQUIRED=1

swift build --build-tests
swift test --skip-build "$@"
# The web console in headless Chromium (Tests/Browser/console_test.py); with
# arguments (a filtered run) only the Swift tests run.
if [ $# -eq 0 ]; then
  python3 Tests/Browser/console_test.py "$(swift build --show-bin-path)/ConsoleBrowserHarness"
fi
