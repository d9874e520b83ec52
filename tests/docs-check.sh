#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The man pages lint clean (groff -ww -z: every warning counts) and document
# every option the tools accept; the bash completions load and complete.
# The API's section-3 pages (generated from the header comments into MAN3_DIR)
# lint clean too, and every public function has one.
# Usage: docs-check.sh SOURCE_DIR LAL LAL_BENCH LAL_COMPARE MAN3_DIR VERSION [LAL_HISTORY]
set -uo pipefail
src=$1 lal=$2 bench=$3 compare=$4 man3=$5
fail=0
command -v groff >/dev/null || { echo "docs-check: groff not installed"; exit 1; }
for page in "$src"/docs/man/*.1; do
  out=$(groff -ww -z -man "$page" 2>&1)
  if [[ -n $out ]]; then
    echo "docs-check: $(basename "$page"): groff warns:"
    echo "$out" | sed 's/^/  /'
    fail=1
  fi
done
pages3=0
for page in "$man3"/*.3; do
  [[ -f $page ]] || continue
  pages3=$((pages3 + 1))
  grep -q '^\.so ' "$page" && continue
  out=$(groff -ww -z -man "$page" 2>&1)
  [[ -z $out ]] || { echo "docs-check: man3/$(basename "$page"): groff warns:"; echo "$out" | sed 's/^/  /'; fail=1; }
done
for fn in $(python3 "$src/scripts/lal_headers.py" "$src"); do
  [[ -f $man3/$fn.3 ]] || { echo "docs-check: no man page $fn(3)"; fail=1; }
done
# One version everywhere: each page's .TH names lal.h's.
version=$6 # the project's, which CMake read from lal.h
for page in "$src"/docs/man/*.1 "$man3"/*.3; do
  grep -q '^\.so ' "$page" && continue
  grep -q "^\.TH .*\"lal $version\"" "$page" ||
    { echo "docs-check: $(basename "$page") does not say lal $version"; fail=1; }
done
history=${7:-} # lal-history, where it was built (SQLite found)
for tool in "$lal" "$bench" "$compare" $history; do
  out=$("$tool" --version 2>&1)
  [[ $out == *"$version"* ]] || { echo "docs-check: $(basename "$tool") --version says '$out'"; fail=1; }
done
# Every long option a tool's --help names is in its man page.
check_options() { # page, help text
  local page=$1 help=$2 opt
  for opt in $(grep -o -- '--[a-z][a-z-]*' <<<"$help" | sort -u); do
    grep -q -- "${opt//-/\\\\-}" "$page" || { echo "docs-check: $(basename "$page") lacks $opt"; fail=1; }
  done
}
check_options "$src/docs/man/lal-bench.1" "$("$bench" --help)"
check_options "$src/docs/man/lal-compare.1" "$("$compare" --help)"
[[ -n $history ]] && check_options "$src/docs/man/lal-history.1" "$("$history" --help)"
check_options "$src/docs/man/lal.1" "$("$lal" doctor --help)$("$lal" info --help)"
# Completions: each defines its function and completes something.
for c in lal lal-bench lal-compare; do
  bash -n "$src/tools/completion/$c" || { echo "docs-check: completion $c does not parse"; fail=1; }
done
got=$(bash -c "source '$src/tools/completion/lal-bench'; COMP_WORDS=('$bench' --workload clock_r); COMP_CWORD=2; _lal_bench; echo \${COMPREPLY[*]}")
[[ $got == clock_read ]] || { echo "docs-check: lal-bench --workload completion gave '$got'"; fail=1; }
got=$(bash -c "source '$src/tools/completion/lal-compare'; COMP_WORDS=(lal-compare a.json --gate p99.); COMP_CWORD=3; _lal_compare; echo \${COMPREPLY[*]}")
[[ $got == p99.9 ]] || { echo "docs-check: lal-compare --gate completion gave '$got'"; fail=1; }
got=$(bash -c "source '$src/tools/completion/lal'; COMP_WORDS=(lal doc); COMP_CWORD=1; _lal; echo \${COMPREPLY[*]}")
[[ $got == doctor ]] || { echo "docs-check: lal completion gave '$got'"; fail=1; }
[[ $fail == 0 ]] && echo "docs-check: man pages (and $pages3 of section 3) lint clean and cover every option and function; completions work"
exit $fail
