#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every test on both platforms, from a clean clone (the README's test command and
# what CI runs):
#   1. Linux: Debug build, CMocka tests, tools, install + consumer build
#   2. Linux with AddressSanitizer + UndefinedBehaviorSanitizer
#   1b. the same Linux test binaries under valgrind memcheck (scripts/valgrind-tests.sh)
#   2b. Linux with clang + ThreadSanitizer: the threaded tests and the concurrency stress test
#   3. Linux with clang: libFuzzer smoke run of the cpulist parser (ASan/UBSan)
#   4. Windows: mingw-w64 cross build, the same tests under Wine, consumer build
#   4b. Windows in MSVC mode: clang-cl /W4 /WX build of lal.dll, lal.lib, lal_static.lib and
#       the installed-tree consumers (C, static, C++14) run under Wine
#   4c. the Debian packages (liblal0, liblal-dev, lal-tools): built with CPack, installed
#       with apt, a consumer built against /usr and run, purged
#   5. the release build of the main job (-O3 shows warnings -O0 does not)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

# Every file names its license (SPDX), before anything is built.
bash scripts/check-spdx.sh

# The tree must match .clang-format. clang-format's output differs between major
# versions; the tree is kept formatted with Debian 12's clang-format 14.
fmt_major=$(clang-format --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p')
if [[ $fmt_major == 14 ]]; then
  bash scripts/check-format.sh
else
  echo "check-format: skipped: clang-format '${fmt_major:-absent}' is not 14, which .clang-format is kept with"
fi

# `valgrind` is not a preset: memcheck over the `linux` build's test binaries.
# `windows-clangcl` is scripts/windows-clangcl.sh: the MSVC-style build and its consumers.
# `deb` is scripts/deb-packages.sh: the Debian packages built, installed, used and purged.
presets=(linux valgrind linux-asan linux-tsan fuzz windows-cross windows-clangcl deb release)
declare -A result
start=$SECONDS
for p in "${presets[@]}"; do
  echo "=== [$p] configure, build, test"
  t0=$SECONDS
  if [[ $p == valgrind || $p == windows-clangcl || $p == deb ]]; then
    script=scripts/valgrind-tests.sh
    [[ $p == windows-clangcl ]] && script=scripts/windows-clangcl.sh
    [[ $p == deb ]] && script=scripts/deb-packages.sh
    if bash $script build/linux; then result[$p]="passed"; else result[$p]="FAILED"; fi
    result[$p]+=" ($((SECONDS - t0)) s)"
    continue
  fi
  cmake --preset "$p"
  cmake --build --preset "$p"
  if [[ $p == release ]]; then
    result[$p]="passed" # built with -Werror; its tests are the Debug presets' (LAL_BUILD_TESTS=OFF)
  elif ctest --preset "$p"; then
    result[$p]="passed"
  else
    result[$p]="FAILED"
  fi
  result[$p]+=" ($((SECONDS - t0)) s)"
done

echo "=== summary ($((SECONDS - start)) s)"
status=0
for p in "${presets[@]}"; do
  echo "  $p: ${result[$p]}"
  [[ ${result[$p]} == passed* ]] || status=1
done
exit $status
