#!/usr/bin/env bash
# The main job, from a clean clone: install what is missing, build the release
# preset, print the environment report (`lal info`) and the audit (`lal
# doctor`), then run the benchmark suite (about 75 s; results also in
# build/release/lal-bench.json).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --build
cmake --preset release
cmake --build --preset release
echo "=== lal info"
build/release/tools/lal info
echo "=== lal doctor"
build/release/tools/lal doctor
echo "=== lal-bench"
build/release/bench/lal-bench --json build/release/lal-bench.json "$@"
