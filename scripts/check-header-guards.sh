#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every header's include guard names where the header lives, so a guard can
# neither collide with another's nor tell of a folder the file left:
# include/lal/uring.h -> LAL_URING_H (its installed name), any other
# path/to/file.h -> LAL_PATH_TO_FILE_H. --fix rewrites the guards.
set -uo pipefail
cd "$(dirname "$0")/.."
fix=0
[[ ${1:-} == --fix ]] && fix=1
fail=0
while IFS= read -r h; do
  rel=${h#include/}
  [[ $h == include/* ]] || rel=lal/$h
  want=$(tr 'a-z/.-' 'A-Z___' <<<"$rel")
  have=$(sed -n 's/^#ifndef \([A-Z0-9_]*_H\)$/\1/p' "$h" | head -n1)
  [[ $have == "$want" ]] && continue
  if [[ -z $have ]]; then
    echo "check-header-guards: $h has no #ifndef ..._H guard"
    fail=1
  elif ((fix)); then
    sed -i "s/\b$have\b/$want/g" "$h"
  else
    echo "check-header-guards: $h: guard $have, expected $want"
    fail=1
  fi
done < <(git ls-files '*.h')
((fail)) || echo "check-header-guards: $(git ls-files '*.h' | wc -l) headers guarded by their paths"
exit $fail
