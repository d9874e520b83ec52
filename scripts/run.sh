#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job, from a clean clone: install what is missing, build the release
# presets, print the environment report (`lal info`) and the audit (`lal
# doctor`), run the benchmark suite natively, run the same suite's Windows
# build under Wine, and compare the two with lal-compare; keep both runs in a
# local history (lal-history, SQLite) and, from the second run on this
# machine, compare each with its machine's past runs and draw the trends.
#   scripts/run.sh [lal-bench options]   (given to both runs, e.g. --quick)
# Writes build/release/lal-bench.json (Linux), build/windows-release/
# lal-bench-wine.json (Windows build under Wine), build/linux-vs-wine.html,
# build/lal-history.sqlite (kept across runs) and build/history/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --main
cmake --preset release
cmake --build --preset release
cmake --preset windows-release
cmake --build --preset windows-release

echo "=== lal info"
build/release/tools/lal info
echo "=== lal doctor"
build/release/tools/lal doctor
echo "=== lal-bench (Linux, native)"
linux_json=build/release/lal-bench.json
build/release/bench/lal-bench --json "$linux_json" "$@"

# The same benchmark, built for Windows, run under Wine in a prefix of its
# own (tests/wine-prefix.sh: one persistent wineserver, booted once).
echo "=== lal-bench (Windows build, under Wine)"
prefix=$PWD/build/windows-release/wineprefix
wine_json=build/windows-release/lal-bench-wine.json
bash tests/wine-prefix.sh setup "$prefix"
WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY= \
  wine build/windows-release/bench/lal-bench.exe --json "$wine_json" "$@" </dev/null
bash tests/wine-prefix.sh cleanup "$prefix"

echo "=== lal-compare: A = Linux native, B = the Windows build under Wine"
cat <<'EOF'
Wine is not Windows: B is Windows code running on this Linux kernel through
Wine's translation (its waits, events and pipes go through wineserver, its
timers through Linux's). It shows what a Windows build does on this machine
under Wine, not what it does on Windows. To compare with real Windows, run
build/windows-release/bench/lal-bench.exe --json win.json on the Windows
machine (a static binary: copy it alone) and then here:
  build/release/compare/lal-compare build/release/lal-bench.json win.json --html report.html
EOF
# Informational: a slower B is the finding, not a failure of the job.
build/release/compare/lal-compare "$linux_json" "$wine_json" --html build/linux-vs-wine.html ||
  true
echo "report: build/linux-vs-wine.html"

echo "=== lal-history: this machine's runs over time (build/lal-history.sqlite)"
history=build/release/history/lal-history
hdb=build/lal-history.sqlite
label=$(git rev-parse --short HEAD 2>/dev/null || echo local)
"$history" --db "$hdb" ingest --label "$label" "$linux_json" "$wine_json"
# Informational, like the comparison above: the gate's verdict is printed,
# the job goes on. The first run of a machine has nothing to compare with.
for result in "$linux_json" "$wine_json"; do
  "$history" --db "$hdb" baseline "$result" || true
done
runs=$("$history" --db "$hdb" runs | tail -n +2 | wc -l)
machines=$("$history" --db "$hdb" machines | wc -l)
if ((runs > machines)); then
  "$history" --db "$hdb" changes
  mkdir -p build/history
  "$history" --db "$hdb" trend build/history
  echo "trends: build/history/index.html (next to build/linux-vs-wine.html)"
else
  echo "trends: from the second run of this job on (build/history/index.html)"
fi
