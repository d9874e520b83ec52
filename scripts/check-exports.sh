#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What a library exports, held three ways to one another: the functions and
# data its public headers declare LAL_API (and the LAL_INLINE functions,
# exported as out-of-line twins), the names its version script lists, and
# the dynamic symbols of the built library, every one of them versioned.
# A new LAL_API function missing from the map would be silently hidden by
# the map's `local: *`; a name in the map no header declares would be an
# export nobody documented.
# Usage: check-exports.sh LIB MAP HEADER...
set -uo pipefail
lib=$1 map=$2
shift 2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Declarations: LAL_API ... name( or LAL_API extern ... name; (one line each,
# as every public header writes them).
sed -n 's/^\(LAL_API\|LAL_INLINE\) .*\b\(lal_[a-z0-9_]*\) *[(;].*/\2/p' "$@" | sort -u >"$tmp/declared"
# The map's names, private node included (its names are checked separately).
sed -e 's|/\*.*\*/||' "$map" | tr -d ' ' | sed -n 's/^\([a-z_][a-z0-9_]*\);$/\1/p' | sort -u >"$tmp/mapped"
# The library's defined dynamic symbols, with their versions.
readelf --dyn-syms -W "$lib" | awk '$7 != "UND" && $8 ~ /@/ {print $8}' | sort -u >"$tmp/versioned"
readelf --dyn-syms -W "$lib" | awk '$1 ~ /^[0-9]+:$/ && $7 != "UND" && $7 != "ABS" && $5 != "LOCAL" && $8 != "" && $8 !~ /@/ {print $8}' |
  sort -u >"$tmp/unversioned"
sed 's/@.*//' "$tmp/versioned" | sort -u >"$tmp/exported"
report() { # label, file
  [[ -s $2 ]] || return 0
  echo "check-exports: $(basename "$lib"): $1:"
  sed 's/^/  /' "$2"
  fail=1
}
comm -23 "$tmp/declared" "$tmp/mapped" >"$tmp/x"
report "declared in a header but not in $(basename "$map") (hidden by its local: *)" "$tmp/x"
comm -13 "$tmp/declared" "$tmp/mapped" | grep -v '^lali_' >"$tmp/x"
report "in $(basename "$map") but declared by no public header" "$tmp/x"
comm -3 "$tmp/mapped" "$tmp/exported" >"$tmp/x"
report "the map and the library's exports differ (<: map only, >: library only)" "$tmp/x"
report "exported without a version" "$tmp/unversioned"
grep '^lali_' "$tmp/versioned" | grep -v '@@LAL_PRIVATE$' >"$tmp/x"
report "internal names outside the LAL_PRIVATE node" "$tmp/x"
if [[ $fail == 0 ]]; then
  echo "check-exports: $(basename "$lib"): $(wc -l <"$tmp/exported") symbols, each declared, listed and" \
    "versioned ($(sed 's/.*@@//' "$tmp/versioned" | sort -u | paste -sd' '))"
fi
exit $fail
