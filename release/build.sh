#!/usr/bin/env bash
# Builds the release worker exactly as start.sh runs it and bench/rss measures
# it. `--product NAME` (as the first arguments) builds another product the
# same way (bench/serve builds its ServeBenchApp so); other arguments go to
# `swift build` (e.g. --show-bin-path).
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
#   * release/<product>.order lists the functions that run from launch until
#     the program is idle; lld places them side by side (our modules are
#     compiled with one section per function for this), so start-up touches
#     about 5 MB of code instead of 10 MB scattered over 17 MB. The kernel
#     maps code in 64 kB blocks around each first touch, which is why
#     scattered code costs so much. release/order.sh regenerates the lists
#     after larger changes. A stale list costs memory, never correctness:
#     names it lists that no longer exist are skipped.
# Elsewhere (macOS) this is a plain `swift build -c release --product worker`.
# RELEASE_LINK_MAP=file also writes lld's map (where each function went; Linux).
set -euo pipefail
cd "$(dirname "$0")/.."
product=worker
if [ "${1:-}" = --product ]; then product=$2; shift 2; fi
order=release/$product.order

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

  if [ -s "$order" ]; then
    flags+=(-Xlinker "--symbol-ordering-file=$PWD/$order" -Xlinker --no-warn-symbol-ordering)
  fi
  if [ -n "${RELEASE_LINK_MAP:-}" ]; then flags+=(-Xlinker "-Map=$RELEASE_LINK_MAP"); fi
fi

# SwiftPM does not know the link depends on the order file: a binary older
# than the list is removed, so that it is linked again.
bin="$(swift build -c release --product "$product" ${flags[@]+"${flags[@]}"} --show-bin-path)/$product"
if [ -e "$bin" ] && [ -e "$order" ] && [ "$order" -nt "$bin" ]; then rm -f "$bin"; fi
exec swift build -c release --product "$product" ${flags[@]+"${flags[@]}"} "$@"
