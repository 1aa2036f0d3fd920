#!/usr/bin/env bash
# Builds the release worker exactly as start.sh runs it and bench/rss measures
# it. Extra arguments go to `swift build` (e.g. --show-bin-path).
#
# On Linux the link is tuned for a small idle RSS (see bench/rss/run.sh):
#   * The Swift stdlib and Foundation are linked statically: only the pages the
#     worker touches become resident, not whole shared libraries.
#   * lld with packed relative relocations (RELR, glibc >= 2.36): the loader
#     reads a few kB of relocations instead of megabytes.
#   * libsqlite3, libcrypto, libssl and libstdc++ are linked from their static
#     archives when the machine has them (Debian's -dev packages ship them), for
#     the same reason and to skip relocating those shared libraries at every
#     start. SwiftPM takes a system library's link flags from pkg-config, so a
#     private pkg-config directory points it at a directory holding only the
#     archives. A library without its archive stays a shared library.
#   * release/worker.order lists the functions that run from launch until the
#     worker is idle; lld places them side by side, so start-up touches about
#     2 MB of code instead of 9 MB scattered over 17 MB. release/order.sh
#     regenerates it after larger changes. A stale list costs memory, never
#     correctness: symbols it names that no longer exist are skipped.
# Elsewhere (macOS) this is a plain `swift build -c release --product worker`.
# RELEASE_LINK_MAP=file also writes the linker's map (where each function went).
set -euo pipefail
cd "$(dirname "$0")/.."

flags=()
if [ "$(uname -s)" = Linux ]; then
  flags+=(--static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs
          -Xswiftc -Xfrontend -Xswiftc -function-sections)

  static_dir=$PWD/.build/static-c-libs
  rm -rf "$static_dir"; mkdir -p "$static_dir/lib" "$static_dir/pkgconfig"
  multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
  # pkg-config name : library name
  for entry in sqlite3:sqlite3 libcrypto:crypto libssl:ssl; do
    pc=${entry%%:*} lib=${entry##*:}
    archive=
    for dir in "/usr/lib/$multiarch" /usr/lib /usr/local/lib; do
      [ -f "$dir/lib$lib.a" ] && { archive=$dir/lib$lib.a; break; }
    done
    [ -n "$archive" ] || continue
    ln -s "$archive" "$static_dir/lib/lib$lib.a"
    printf 'Name: %s\nDescription: static lib%s for the release worker\nVersion: 0\nLibs: -L%s -l%s\nCflags:\n' \
      "$pc" "$lib" "$static_dir/lib" "$lib" > "$static_dir/pkgconfig/$pc.pc"
  done
  # libstdc++ (the Swift runtime and ICU are C++): found through the same -L.
  stdcxx=$(gcc -print-file-name=libstdc++.a 2>/dev/null || true)
  [ -f "$stdcxx" ] && ln -s "$stdcxx" "$static_dir/lib/libstdc++.a"
  export PKG_CONFIG_PATH="$static_dir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  flags+=(-Xlinker "-L$static_dir/lib")

  if [ -s release/worker.order ]; then
    flags+=(-Xlinker "--symbol-ordering-file=$PWD/release/worker.order" -Xlinker --no-warn-symbol-ordering)
  fi
fi
[ -n "${RELEASE_LINK_MAP:-}" ] && flags+=(-Xlinker "-Map=$RELEASE_LINK_MAP")

# SwiftPM does not know the link depends on the order file: a binary older
# than the list is removed, so that it is linked again.
bin="$(swift build -c release --product worker ${flags[@]+"${flags[@]}"} --show-bin-path)/worker"
if [ -e "$bin" ] && [ -e release/worker.order ] && [ release/worker.order -nt "$bin" ]; then rm -f "$bin"; fi
exec swift build -c release --product worker ${flags[@]+"${flags[@]}"} "$@"
