#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A before/after latency check for CI: measure, change something, measure
# again, and let lal-compare decide. Exit status is lal-compare's: 0 pass,
# 1 a regression beyond the threshold (or a series missing from the second
# run), 2 unusable input or nothing to gate.
#   examples/ci_gate.sh [BIN_DIR] [SECONDS]
# BIN_DIR holds lal-bench and lal-compare (default: build/release/bench).
# Replace the `change` step with yours: a kernel parameter, a BIOS setting,
# a new build of your engine, a different container limit.
set -euo pipefail
bin=${1:-build/release/bench}
seconds=${2:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
workloads=(--workload wakeup --workload ctx_switch --workload jitter)

"$bin/lal-bench" "${workloads[@]}" --duration "$seconds" --json "$out/before.json" >/dev/null
# change: e.g. `echo 1 > /proc/sys/...`, `docker update --cpus ...`, a new build
"$bin/lal-bench" "${workloads[@]}" --duration "$seconds" --json "$out/after.json" >/dev/null

status=0
"$bin/lal-compare" "$out/before.json" "$out/after.json" --gate p99 --threshold 25 \
  --html "$out/report.html" || status=$?
case $status in
0) echo "ci_gate: pass" ;;
1) echo "ci_gate: FAIL: p99 regressed beyond 25 %, or a series went missing" ;;
*) echo "ci_gate: unusable results (exit $status)" ;;
esac
exit $status
