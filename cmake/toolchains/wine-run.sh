#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CMAKE_CROSSCOMPILING_EMULATOR of the Windows cross builds: runs a .exe under
# Wine 8's 64-bit loader and tells a Wine start failure apart from a failing
# program. On a busy machine Wine occasionally loses a process before its
# first instruction (the loader or the wineserver connection gives up): exit
# status non-zero, not one byte written. Every lal program writes something
# before it can fail (CMocka prints its plan first), so "non-zero and silent"
# is Wine's failure: it is said so on stderr and the program is started again,
# up to three times. So is a run whose only output is one of Wine's own
# start-up errors: "virtual_alloc_first_teb ... failed to map the shared user
# data: c0000018" (STATUS_CONFLICTING_ADDRESSES: with address-space
# randomisation, something already sits where Wine must put the shared user
# data page, before the program exists; a CI run failed so). A program that fails after writing anything keeps its
# status, and one that is silent three times fails with status 125 and says
# why, so a real crash at start still fails.
#   wine-run.sh program.exe [args...]
set -uo pipefail
wine=/usr/lib/wine/wine64
[[ -x $wine ]] || wine=$(command -v wine64 || command -v wine) ||
  { echo "wine-run: no wine64 loader installed" >&2; exit 127; }
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
rc=0
for attempt in 1 2 3; do
  "$wine" "$@" >"$out" 2>"$err"
  rc=$?
  cat "$out"
  cat "$err" >&2
  wine_start_failure=0
  if [[ $rc != 0 && ! -s $out ]] &&
    { [[ ! -s $err ]] || grep -q "failed to map the shared user data" "$err"; }; then
    wine_start_failure=1
  fi
  if [[ $wine_start_failure == 0 ]]; then
    exit "$rc"
  fi
  echo "wine-run: Wine ended $1 with status $rc before the program wrote anything (attempt $attempt):" \
    "a Wine start failure, not the program's; starting it again" >&2
  sleep "$attempt"
done
echo "wine-run: $1 was silent with status $rc three times: Wine cannot start it here" >&2
exit 125
