#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The public headers as C and C++ consumers compile them: every header and
# every *_INIT macro (every_init.cpp) with warnings as errors, as C++11, 14,
# 17 and 20 with g++ and clang++ (-Wall -Wextra -Wpedantic), as C11 with gcc
# and clang (-Wpedantic), with the mingw-w64 compilers for Windows, and with
# clang-cl in MSVC mode (/W4 /WX, C++14 and C++17, dllimport and LAL_STATIC;
# and C for arm64, whose counter read is checked in the object code).
# A compiler that is not installed is reported as skipped, not passed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
inc=$here/../../include
src=$here/every_init.cpp
gnu_warn=(-Wall -Wextra -Wpedantic -Werror -Wmissing-field-initializers -Wshadow -Wcast-qual)
# What engines add for C++ (Unreal's and id's warning sets have these): a
# public header must not trip them, nor use a name C++ reserves (any name
# with a double underscore: lal's internal prefix is lal_impl_).
engine_warn=(-Wold-style-cast -Wzero-as-null-pointer-constant)
declare -A engine_extra=([g++]="-Wuseless-cast" [clang++]="-Wreserved-identifier -Wreserved-macro-identifier")
fail=0 ran=0
try() { # label, command...
  local label=$1
  shift
  if "$@" >"$tmp" 2>&1; then
    echo "  header check $label: ok"
    ran=$((ran + 1))
  else
    echo "  header check $label: FAILED"
    sed 's/^/    /' "$tmp" | head -30
    fail=1
  fi
}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
have() { command -v "$1" >/dev/null 2>&1; }

for cxx in g++ clang++; do
  have $cxx || { echo "  header check $cxx: skipped ($cxx not installed)"; continue; }
  for std in c++11 c++14 c++17 c++20; do
    # shellcheck disable=SC2086
    try "$cxx -std=$std" $cxx -std=$std "${gnu_warn[@]}" "${engine_warn[@]}" ${engine_extra[$cxx]} \
      -DLAL_HEADERS_LINUX_MODULES=1 \
      -I"$inc" -c "$src" -o /dev/null
  done
done
for cc in gcc clang; do
  have $cc || { echo "  header check $cc: skipped ($cc not installed)"; continue; }
  try "$cc -std=c11" $cc -std=c11 "${gnu_warn[@]}" -DLAL_HEADERS_LINUX_MODULES=1 \
    -I"$inc" -x c -c "$src" -o /dev/null
done
for cc in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-g++; do
  have $cc || { echo "  header check $cc: skipped ($cc not installed)"; continue; }
  lang=(-std=c11 -x c)
  [[ $cc == *g++ ]] && lang=(-std=c++14)
  for linkage in "" -DLAL_STATIC; do
    try "$cc ${lang[0]} $linkage" $cc "${lang[@]}" "${gnu_warn[@]}" $linkage \
      -DLAL_HEADERS_LINUX_MODULES=0 -I"$inc" -c "$src" -o /dev/null
  done
done
clang_cl=$(command -v clang-cl || ls /usr/bin/clang-cl-[0-9]* 2>/dev/null | sort -V | tail -n1)
if [[ -n $clang_cl ]]; then
  for mode in /std:c++14 /std:c++17 "/TC /std:c11"; do
    for linkage in "" /DLAL_STATIC; do
      # shellcheck disable=SC2086
      try "clang-cl $mode $linkage" "$clang_cl" /nologo /Zs --target=x86_64-pc-windows-msvc \
        $mode /W4 /WX $linkage /DLAL_HEADERS_LINUX_MODULES=0 /I"$inc" -- "$src" # -- : a /path is not an option
    done
  done
  # arm64 MSVC: the counter read is _ReadStatusReg(CNTVCT_EL0) with lal's own
  # register constant (winnt.h's ARM64_CNTVCT is not included by lal.h). No
  # SDK for arm64 here: freestanding, so only the compiler's own headers.
  # clang-cl takes the GNU branches by default (it defines __clang__ and
  # __aarch64__); LAL_IMPL_CHECK_MSVC_PATHS makes it compile the branches the
  # Microsoft compiler takes, and the seqlock's loads there must be ordered by
  # a DMB ISH (arm64 volatile loads are not acquires without /volatile:ms).
  arm=$(mktemp -d)
  printf '#include <lal.h>\nuint64_t f(void) { return lal_tsc() + lal_now_ns(); }\n' >"$arm/t.c"
  objdump_llvm=$(command -v llvm-objdump || ls /usr/lib/llvm-*/bin/llvm-objdump 2>/dev/null | tail -n1)
  for branch in gnu msvc; do
    def=()
    [[ $branch == msvc ]] && def=(/DLAL_IMPL_CHECK_MSVC_PATHS)
    rm -f "$arm/t.obj"
    try "clang-cl arm64 /TC ($branch branch)" "$clang_cl" /nologo /c --target=aarch64-pc-windows-msvc \
      /W4 /WX "${def[@]}" -Xclang -ffreestanding /I"$inc" "/Fo$arm/t.obj" -- "$arm/t.c"
    if [[ -f $arm/t.obj && -n $objdump_llvm ]]; then
      "$objdump_llvm" -d "$arm/t.obj" >"$arm/t.s"
      try "clang-cl arm64 ($branch branch) reads CNTVCT_EL0" grep -q "mrs.*CNTVCT_EL0" "$arm/t.s"
      [[ $branch == msvc ]] &&
        try "clang-cl arm64 (msvc branch) orders the seqlock loads" grep -q "dmb.*ish" "$arm/t.s"
    fi
  done
  # The x64 MSVC branch too (C and C++; clang's intrin.h marks
  # _ReadWriteBarrier deprecated, which MSVC does not).
  for mode in "/TC /std:c11" /std:c++17; do
    # shellcheck disable=SC2086
    try "clang-cl x64 $mode (msvc branch)" "$clang_cl" /nologo /Zs --target=x86_64-pc-windows-msvc \
      $mode /W4 /WX /DLAL_IMPL_CHECK_MSVC_PATHS -Wno-deprecated-declarations -Xclang -ffreestanding \
      /DLAL_HEADERS_LINUX_MODULES=0 /I"$inc" -- "$src"
  done
  rm -rf "$arm"
else
  echo "  header check clang-cl: skipped (clang-cl not installed)"
fi
echo "  header check: $ran configurations compiled"
exit $fail
