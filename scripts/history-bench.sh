#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lal-history's targets, measured (the README quotes the numbers):
#   - change points: false alarms per 1,000 runs of pure noise, and the share
#     of +10 % / +25 % shifts found within 3 runs, by run-to-run noise level;
#   - SQLite, then a throwaway PostgreSQL (tests/programs/pg_fixture.sh):
#     ingest RUNS synthetic runs of 80 series, bytes stored per run, one
#     series' trend over all runs, a baseline against the last 30.
#   bash scripts/history-bench.sh [RUNS]     (default 10000; needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000}
bench=build/release/history/lal-history-bench
[[ -x $bench ]] || { echo "no $bench: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
"$bench" changes --histories 1000
db=$(mktemp -d /tmp/lal-history-bench.XXXXXX)
trap 'rm -rf "$db"' EXIT
"$bench" store --db "$db/history.sqlite" --runs "$runs"
source tests/programs/pg_fixture.sh
if pg_start; then
  trap 'pg_stop; rm -rf "$db"' EXIT
  "$bench" store --db "$PG_CONNINFO" --runs "$runs"
fi
