#!/usr/bin/env bash
# The main job, from a clean clone: install what is missing, build the release
# preset, print the environment report (`lal info`) and run the benchmark suite
# (about 45 s; results also in build/release/lal-bench.json).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --build
cmake --preset release
cmake --build --preset release
echo "=== lal info"
build/release/tools/lal info
echo "=== lal-bench"
build/release/bench/lal-bench --json build/release/lal-bench.json "$@"
