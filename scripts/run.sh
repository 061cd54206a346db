#!/usr/bin/env bash
# The README's main-job command: installs the Debian packages, builds, and
# runs `actlab study` -- the claims suite: every claim about activation
# functions tested by its own experiment, decided by 95% confidence intervals
# over seeds, in one report (<= 10 minutes on 2 cores). The report lands in
# actlab-study/ (report.html opens offline in a browser).
# Extra arguments go to `actlab study` (e.g. --seeds 10, --only ranking,
# or a study file: studies/claims-thorough.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/actlab study "$@"
