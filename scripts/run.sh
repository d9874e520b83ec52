#!/usr/bin/env bash
# The main job, from a clean clone: install what is missing, build the release
# preset and print the environment report (`lal info`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --build
cmake --preset release
cmake --build --preset release
echo "=== lal info"
build/release/tools/lal info
