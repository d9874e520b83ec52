#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every source, header, CMake, script and configuration file names its license
# in an SPDX-License-Identifier line within its first three lines (lal is MIT;
# the BPF program is also GPL-2.0 so the kernel lets it call GPL helpers).
# Recorded machine data (tests/data, except the scripts that make it), fuzz
# corpora, the generated ABI baseline (abi/) and JSON are exempt: JSON has no
# comments, and the recordings are copies of /proc and /sys.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=0 checked=0
while IFS= read -r f; do
  case $f in
  tests/data/*.sh | tests/data/*.py) ;; # the scripts that write the recordings
  tests/data/* | tests/fuzz/corpus/* | abi/*.abi | *.json | *.md | LICENSE) continue ;;
  esac
  checked=$((checked + 1))
  if ! head -n 3 "$f" | grep -Eq 'SPDX-License-Identifier: (MIT|\(?MIT OR GPL-2\.0-only\)?)( |\*|$)'; then
    echo "check-spdx: $f has no 'SPDX-License-Identifier: MIT' line in its first 3 lines"
    missing=1
  fi
done < <(git ls-files --cached --others --exclude-standard)
[[ $missing == 0 ]] && echo "check-spdx: $checked files carry an SPDX-License-Identifier"
exit $missing
