#!/usr/bin/env bash
# The README's main-job command: installs the Debian packages, builds, and
# runs the activation comparison on Fashion-MNIST (actlab compare with its
# defaults: 11 activations x 2 seeds, <= 10 minutes on 2 cores). The report
# lands in actlab-report/ (report.html opens offline in a browser).
# Extra arguments go to `actlab compare` (e.g. --seeds 5 --epochs 10).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/actlab compare "$@"
