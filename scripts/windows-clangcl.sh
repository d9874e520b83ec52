#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The MSVC-style Windows build (preset windows-clangcl: clang-cl with /W4 /WX,
# lld-link, llvm-lib): builds lal.dll, its import library lal.lib and the
# static lal_static.lib, installs them, and builds and runs the installed-tree
# consumers against them (C with find_package and pkg-config, the static
# library, C++14) under Wine. The unit tests run from the mingw-w64 build:
# CMocka has no MSVC-mode build here.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/windows-clangcl
cmake --preset windows-clangcl
cmake --build --preset windows-clangcl
for f in lal.dll lal.lib lal_static.lib; do
  [[ -f $build/src/$f ]] || { echo "windows-clangcl: $build/src/$f was not built"; exit 1; }
done
prefix=$PWD/$build/wineprefix
bash tests/wine-prefix.sh setup "$prefix"
trap 'bash tests/wine-prefix.sh cleanup "$prefix"' EXIT
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
wine64=/usr/lib/wine/wine64
[[ -x $wine64 ]] || wine64=$(command -v wine64 || command -v wine)
cmake -DSOURCE_DIR="$PWD/tests/consumer" -DLAL_BUILD_DIR="$PWD/$build" \
  -DWORK_DIR="$PWD/$build/consumer" -DGENERATOR=Ninja \
  -DTOOLCHAIN="$PWD/cmake/toolchains/clang-cl-x86_64.cmake" -DEMULATOR="$wine64" \
  -DTARGET_WINDOWS=ON -DMSVC_STYLE=ON -P tests/consumer/check.cmake
echo "windows-clangcl: lal.dll, lal.lib, lal_static.lib built with /W4 /WX; consumers ran under Wine"
