#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every Linux test executable of a build under valgrind memcheck:
#   bash scripts/valgrind-tests.sh [BUILD_DIR]   (default build/linux)
# An error valgrind reports (invalid access, uninitialised use, a leak of
# lal's) fails the run; exit 77 (a test that cannot run here) counts as a skip.
# Suppressions: tests/valgrind/lal.supp (other libraries' own reports only).
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/linux}
supp=$PWD/tests/valgrind/lal.supp
logs=$build/valgrind
mkdir -p "$logs"
status=0
for t in "$build"/tests/test_*; do
  [[ -x $t && -f $t ]] || continue
  name=$(basename "$t")
  (cd "$build/tests" && timeout 600 valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --suppressions="$supp" \
    "./$name") >"$logs/$name.log" 2>&1
  rc=$?
  case $rc in
  0) echo "  valgrind $name: clean" ;;
  77) echo "  valgrind $name: skipped ($(grep -m1 -o 'SKIPREASON.*' "$logs/$name.log"))" ;;
  *)
    echo "  valgrind $name: FAILED (exit $rc), log $logs/$name.log:"
    sed 's/^/    /' "$logs/$name.log" | tail -40
    status=1
    ;;
  esac
done
exit $status
