#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The MSVC-style Windows build (preset windows-clangcl: clang-cl with /W4 /WX,
# lld-link, llvm-lib): builds lal.dll, its import library lal.lib and the
# static lal_static.lib, and the CMocka tests (CMocka built by clang-cl from
# Debian's source package), then runs every test under Wine through the test
# preset, the installed-tree consumers included (C with find_package and
# pkg-config, the static library, C++14).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/windows-clangcl
cmake --preset windows-clangcl
cmake --build --preset windows-clangcl
for f in lal.dll lal.lib lal_static.lib; do
  [[ -f $build/src/$f ]] || { echo "windows-clangcl: $build/src/$f was not built"; exit 1; }
done
ctest --preset windows-clangcl -j2
echo "windows-clangcl: lal.dll, lal.lib, lal_static.lib and the tests built with /W4 /WX; tests ran under Wine"
