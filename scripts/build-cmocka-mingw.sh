#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build CMocka for a Windows cross toolchain (mingw-w64 gcc, or clang-cl in MSVC
# mode) from Debian's own source package. Debian packages no Windows build of cmocka and lal vendors no third-party code, so
# the Windows test build fetches `cmocka`'s source with apt into a private state
# directory (no system apt state is touched) and builds a static library.
#
#   scripts/build-cmocka-mingw.sh <work-dir> <install-prefix> <toolchain-file>
#
# Idempotent: does nothing when the static library (libcmocka-static.a for
# mingw-w64, cmocka-static.lib for clang-cl) exists.
set -euo pipefail
work=$1 prefix=$2 toolchain=$3

have_lib() { [[ -f $prefix/lib/libcmocka-static.a || -f $prefix/lib/cmocka-static.lib ]]; }
if have_lib && [[ -f $prefix/include/cmocka.h ]]; then
  exit 0
fi

a=$work/apt-src
mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/etc" "$a/src"

# Derive one deb-src entry from the machine's own apt sources, whichever format
# it uses (deb822 .sources or one-line sources.list), so no host name is written here.
: > "$a/etc/src.list"
: > "$a/etc/src.sources"
if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
  sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
    awk 'BEGIN{RS="";ORS="\n\n"} NR==1' > "$a/etc/src.sources"
elif [[ -f /etc/apt/sources.list.d/ubuntu.sources ]]; then
  sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/ubuntu.sources |
    awk 'BEGIN{RS="";ORS="\n\n"} NR==1' > "$a/etc/src.sources"
fi
if [[ ! -s $a/etc/src.sources ]]; then
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1 == "deb" { $1 = "deb-src"; print; exit }' > "$a/etc/src.list"
fi
if [[ ! -s $a/etc/src.sources && ! -s $a/etc/src.list ]]; then
  echo "build-cmocka-mingw: no apt source entry found to derive deb-src from" >&2
  exit 1
fi

opts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$a/etc"
      -o Dir::State::Lists="$a/lists" -o Dir::Cache="$a/cache" -o APT::Sandbox::User=root)
src=$(find "$a/src" -maxdepth 1 -type d -name 'cmocka-*' | head -n1)
if [[ -z $src ]]; then
  apt-get -q "${opts[@]}" update
  (cd "$a/src" && apt-get -q "${opts[@]}" source cmocka)
  src=$(find "$a/src" -maxdepth 1 -type d -name 'cmocka-*' | head -n1)
fi
[[ -n $src ]] || { echo "build-cmocka-mingw: apt-get source cmocka gave no tree" >&2; exit 1; }

cmake -S "$src" -B "$work/build" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF >/dev/null
cmake --build "$work/build" >/dev/null
cmake --install "$work/build" >/dev/null
have_lib
