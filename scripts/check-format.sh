#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails if any C source differs from what .clang-format asks for.
#   scripts/check-format.sh          check
#   scripts/check-format.sh --fix    rewrite in place
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=${CLANG_FORMAT:-clang-format}
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find include src tests tools -name '*.[ch]')
if [[ ${1:-} == --fix ]]; then
  "$fmt" -i "${files[@]}"
  exit 0
fi
"$fmt" --dry-run --Werror "${files[@]}"
echo "check-format: ${#files[@]} files match .clang-format"
