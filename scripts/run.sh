#!/usr/bin/env bash
# The README's main-job command: installs, builds, and runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/actlab list
./build/actlab plot sigmoid,tanh,relu,gelu,silu,mish --out actlab-report/curves.png
echo "actlab: curve plot written to actlab-report/curves.png"
