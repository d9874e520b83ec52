#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The exported ABI of liblal.so against the baseline in abi/ (libabigail,
# Debian's abigail-tools): an incompatible change (a removed symbol, a struct
# whose layout changed...) fails unless the SONAME changed with it; a
# compatible addition is reported. On a release, after bumping the version
# (and the SONAME for an incompatible change), record the new baseline:
#   bash scripts/check-abi.sh LIB --update
# LIB: a liblal.so (or a module's liblal-uring.so / liblal-xdp.so) built with
# debug information (the Debug build's); its baseline is abi/<name>.abi.
set -uo pipefail
lib=$(realpath "${1:?usage: check-abi.sh path/to/liblal.so.X.Y.Z [--update]}")
cd "$(dirname "$0")/.."
# LAL_ABI_DIR / LAL_ABI_HEADERS: another baseline folder and header folder
# (scripts/check-abi-selftest.sh checks this script against toy libraries).
name=$(basename "$lib")
baseline=${LAL_ABI_DIR:-abi}/${name%%.so*}.abi
dump() {
  abidw --headers-dir "${LAL_ABI_HEADERS:-include}" --drop-private-types --no-show-locs \
    --no-corpus-path "$lib" \
    --out-file "$1"
}
if [[ ${2:-} == --update ]]; then
  dump "$baseline" && echo "check-abi: $baseline recorded from $lib"
  exit
fi
command -v abidiff >/dev/null || { echo "check-abi: abidiff not installed (abigail-tools)"; exit 1; }
current=$(mktemp)
trap 'rm -f "$current"' EXIT
dump "$current" || { echo "check-abi: abidw failed on $lib"; exit 1; }
report=$(abidiff --no-show-locs "$baseline" "$current")
rc=$?
soname_of() { grep -o "soname='[^']*'" "$1" | head -n1 | cut -d"'" -f2; }
old_soname=$(soname_of "$baseline") new_soname=$(soname_of "$current")
# abidiff's exit status is a bit field (abidiff(1)): 1 error, 2 usage,
# 4 ABI change, 8 incompatible ABI change.
if ((rc & 3)); then
  echo "check-abi: abidiff failed ($rc):"
  echo "$report"
  exit 1
fi
if ((rc & 8)); then
  if [[ $old_soname != "$new_soname" ]]; then
    echo "check-abi: incompatible change with a new SONAME ($old_soname -> $new_soname): allowed"
    exit 0
  fi
  echo "check-abi: INCOMPATIBLE ABI change without a SONAME bump ($new_soname):"
  echo "$report" | head -60
  echo "(bump the SONAME, or if this is intended for an unreleased version, record the baseline:"
  echo " bash scripts/check-abi.sh $lib --update)"
  exit 1
fi
if ((rc & 4)); then
  # abidiff flags a changed struct behind a pointer as an "ABI change", not an
  # incompatible one: for lal any changed or removed function or variable
  # counts (a field appended to a size-prefixed struct is compatible by lal's
  # rules, but is recorded deliberately, with --update, in the same commit).
  changed=$(grep -Eo '[0-9]+ (Removed|Changed)' <<<"$report" | awk '{s += $1} END {print s + 0}')
  if ((changed > 0)) && [[ $old_soname == "$new_soname" ]]; then
    echo "check-abi: ABI CHANGE without a SONAME bump ($new_soname): $changed changed or removed:"
    echo "$report" | head -60
    echo "(a field appended to a size-prefixed struct is compatible: record it with"
    echo " bash scripts/check-abi.sh $lib --update; anything else needs a SONAME bump)"
    exit 1
  fi
  echo "check-abi: compatible additions since the baseline ($new_soname):"
  echo "$report" | head -30
  exit 0
fi
echo "check-abi: $new_soname matches the baseline $baseline"
