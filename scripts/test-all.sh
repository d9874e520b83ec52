#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every test on both platforms, from a clean clone (the README's test command and
# what CI runs):
#   1. Linux: Debug build, CMocka tests, tools, install + consumer build
#   2. Linux with AddressSanitizer + UndefinedBehaviorSanitizer
#   1b. the same Linux test binaries under valgrind memcheck (scripts/valgrind-tests.sh)
#   2b. Linux with clang + ThreadSanitizer: the threaded tests and the concurrency stress test
#   3. Linux with clang: libFuzzer smoke runs of the parsers (ASan/UBSan); the rest of
#      the suite runs under gcc's ASan/UBSan (2) and clang's TSan (2b), not a third time
#   4. Windows: mingw-w64 cross build, the same tests under Wine, consumer build
#   4b. Windows in MSVC mode: clang-cl /W4 /WX build of lal.dll, lal.lib, lal_static.lib and
#       the installed-tree consumers (C, static, C++14) run under Wine
#   4c. the Debian packages (liblal0, liblal-dev, lal-tools): built with CPack, installed
#       with apt, a consumer built against /usr and run, purged
#   5. the release build of the main job (-O3 shows warnings -O0 does not)
set -uo pipefail
cd "$(dirname "$0")/.."

# One line per stage on the terminal, with its time; each stage's full output
# (apt, cmake, ctest -V) in build/logs/<stage>.log, and on a failure the
# failing tests and the end of that log printed in full.
logs=build/logs
mkdir -p "$logs"
declare -A result
order=()
start=$SECONDS
stage() { # name, command...
  local name=$1 t0=$SECONDS
  shift
  order+=("$name")
  if "$@" >"$logs/$name.log" 2>&1; then
    result[$name]="passed ($((SECONDS - t0)) s)"
    printf '  %-16s passed   %4d s\n' "$name" $((SECONDS - t0))
  else
    result[$name]="FAILED ($((SECONDS - t0)) s), log $logs/$name.log"
    printf '  %-16s FAILED   %4d s   (log: %s)\n' "$name" $((SECONDS - t0)) "$logs/$name.log"
    if grep -q "The following tests FAILED" "$logs/$name.log"; then
      sed -n '/The following tests FAILED/,$p' "$logs/$name.log" | head -40 | sed 's/^/    /'
      # each failed test's own output: ctest -V prefixes it with the test's number
      sed -n '/The following tests FAILED/,$p' "$logs/$name.log" |
        sed -n 's/^[[:space:]]*\([0-9]*\) - \([^ ]*\) (.*/\1 \2/p' |
        while read -r num test; do
          echo "    --- $test:"
          grep "^$num: " "$logs/$name.log" | tail -40 | sed 's/^/    /'
        done
    else
      tail -60 "$logs/$name.log" | sed 's/^/    /'
    fi
  fi
}
preset() { # configure, build and (but for release) test one CMake preset
  cmake --preset "$1" && cmake --build --preset "$1" &&
    { [[ $1 == release ]] || ctest --preset "$1"; }
}

echo "lal: every test on both platforms (full logs in $logs/)"
stage install-deps bash scripts/install-deps.sh
# Every file names its license (SPDX), before anything is built.
stage spdx bash scripts/check-spdx.sh
# Every header's include guard names the path it lives at.
stage guards bash scripts/check-header-guards.sh
# The tree must match .clang-format. clang-format's output differs between major
# versions; the tree is kept formatted with Debian 12's clang-format 14.
fmt_major=$(clang-format --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p')
if [[ $fmt_major == 14 ]]; then
  stage format bash scripts/check-format.sh
else
  echo "  format           skipped: clang-format '${fmt_major:-absent}' is not 14, which .clang-format is kept with"
fi
stage linux preset linux
stage valgrind bash scripts/valgrind-tests.sh build/linux  # memcheck over the linux build's tests
# The linux-asan test preset sets intercept_tls_get_addr=0. Up to GCC 13 / LLVM 16
# the runtime's __tls_get_addr interceptor takes a dynamic TLS block starting 16
# bytes into a page for glibc < 2.25's header and reads the words before it, so
# LeakSanitizer's exit-time tracer segfaults ("Tracer caught signal 11") by
# chance whenever a dlopen'd library has thread-locals: test_ffi_twins loads
# liblal.so that way, and failed one CI run in this way after all its tests
# passed (see Mudlet/Mudlet#9930 for the mechanism). lal's thread-locals hold no
# heap pointers, so LSan loses nothing by not scanning them.
stage linux-asan preset linux-asan
stage linux-tsan preset linux-tsan
stage fuzz preset fuzz
stage windows-cross preset windows-cross
stage windows-clangcl bash scripts/windows-clangcl.sh      # MSVC-style build, consumers under Wine
stage deb bash scripts/deb-packages.sh                     # packages built, installed, used, purged
stage release preset release                               # -O3 shows warnings -O0 does not

echo "=== summary ($((SECONDS - start)) s)"
status=0
for name in "${order[@]}"; do
  echo "  $name: ${result[$name]}"
  [[ ${result[$name]} == passed* ]] || status=1
done
exit $status
