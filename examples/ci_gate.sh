#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A before/after latency check for CI: measure, change something, measure
# again, and let lal-compare decide. Exit status is lal-compare's: 0 pass,
# 1 a regression beyond the threshold (or a series missing from the second
# run), 2 unusable input or nothing to gate.
#   examples/ci_gate.sh [BUILD_DIR] [SECONDS]
# BUILD_DIR is a lal build tree (default: build/release) with bench/lal-bench
# and compare/lal-compare; without them, the installed ones on PATH are used.
# Replace the `change` step with yours: a kernel parameter, a BIOS setting,
# a new build of your engine, a different container limit.
set -euo pipefail
build=${1:-build/release}
seconds=${2:-5}
bench=$build/bench/lal-bench compare=$build/compare/lal-compare
[[ -x $bench ]] || bench=lal-bench
[[ -x $compare ]] || compare=lal-compare
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
workloads=(--workload wakeup --workload ctx_switch --workload jitter)

"$bench" "${workloads[@]}" --duration "$seconds" --json "$out/before.json" >/dev/null
# change: e.g. `echo 1 > /proc/sys/...`, `docker update --cpus ...`, a new build
"$bench" "${workloads[@]}" --duration "$seconds" --json "$out/after.json" >/dev/null

status=0
"$compare" "$out/before.json" "$out/after.json" --gate p99 --threshold 25 \
  --html "$out/report.html" || status=$?
case $status in
0) echo "ci_gate: pass" ;;
1) echo "ci_gate: FAIL: p99 regressed beyond 25 %, or a series went missing" ;;
*) echo "ci_gate: unusable results (exit $status)" ;;
esac
exit $status
