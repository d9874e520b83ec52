#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/check-abi.sh judged on toy libraries whose changes are known: it
# must pass a compatible addition and an incompatible change that bumped the
# SONAME, and fail a removed function, a changed signature and a reordered
# struct that kept the SONAME. (The CI gate is only as good as this.)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v abidw >/dev/null || { echo "abi-selftest: abidw not installed (abigail-tools)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/include" "$work/abi"
# One header and source per variant: V selects the change.
cat >"$work/include/toy.h" <<'H'
typedef struct toy_opts {
#if V == 3
  int b;
  int a;
#else
  int a;
  int b;
#endif
} toy_opts;
int toy_run(const toy_opts *o);
#if V == 4
long toy_get(int x);
#else
int toy_get(int x);
#endif
#if V != 2 && V != 5
int toy_old(void);
#endif
#if V == 1
int toy_new(void);
#endif
H
cat >"$work/toy.c" <<'C'
#include "toy.h"
int toy_run(const toy_opts *o) { return o->a + o->b; }
#if V == 4
long toy_get(int x) { return x; }
#else
int toy_get(int x) { return x; }
#endif
#if V != 2 && V != 5
int toy_old(void) { return 1; }
#endif
#if V == 1
int toy_new(void) { return 2; }
#endif
C
build() { # variant, soname, out
  gcc -g -O0 -fPIC -shared -DV="$1" -I"$work/include" -Wl,-soname,"$2" "$work/toy.c" -o "$3"
}
fail=0
expect() { # label, want (pass|fail), variant, soname
  local lib=$work/v$3/libtoy.so.$4
  mkdir -p "$work/v$3"
  build "$3" "libtoy.so.$4" "$lib" || { echo "abi-selftest: could not build variant $3"; fail=1; return; }
  local out rc
  out=$(LAL_ABI_DIR=$work/abi LAL_ABI_HEADERS=$work/include bash "$here/check-abi.sh" "$lib" 2>&1)
  rc=$?
  if [[ ($2 == pass && $rc == 0) || ($2 == fail && $rc != 0) ]]; then
    echo "abi-selftest: $1: ${2}ed, as it must"
  else
    echo "abi-selftest: $1: check-abi exited $rc, expected $2:"
    sed 's/^/    /' <<<"$out" | head -20
    fail=1
  fi
}
# The baseline: variant 0, SONAME libtoy.so.1.
mkdir -p "$work/v0"
build 0 libtoy.so.1 "$work/v0/libtoy.so.1" &&
  LAL_ABI_DIR=$work/abi LAL_ABI_HEADERS=$work/include bash "$here/check-abi.sh" "$work/v0/libtoy.so.1" \
    --update >/dev/null || { echo "abi-selftest: could not record the toy baseline"; exit 1; }
expect "the same library" pass 0 1
expect "a function added" pass 1 1
expect "a function removed, SONAME kept" fail 2 1
expect "struct fields reordered, SONAME kept" fail 3 1
expect "a return type changed, SONAME kept" fail 4 1
expect "a function removed with a new SONAME" pass 5 2
exit $fail
