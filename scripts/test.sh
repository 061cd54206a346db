#!/usr/bin/env bash
# The README's test command: installs the Debian packages, builds, and runs
#   1. the whole test suite with CTest (Release build, build/), then the
#      hostile-input suite (tests/hostile/run.sh) against build/actlab,
#   2. the ASan + UBSan build of the suite (scripts/sanitize.sh, build-asan/),
#   3. every libFuzzer target for ACTLAB_FUZZ_SECONDS (default 60) each
#      (scripts/fuzz.sh, build-fuzz/).
# Exit code 0 only if all three pass. For a quicker local loop set
# ACTLAB_QUICK=1 to run step 1 only (CI never sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
stamp() { echo "test.sh: $1 after $(($(date +%s) - t0))s"; }

bash scripts/setup.sh --with-browser --with-torch
bash scripts/build.sh
stamp "build done"
ctest --test-dir "${ACTLAB_BUILD_DIR:-build}" -j"$(nproc)" --output-on-failure --timeout 900
stamp "test suite passed"
# Hostile inputs against the built binary (tests/hostile/run.sh prints each
# case, its time and "N passed, N failed"; it exits 1 on any failure).
bash tests/hostile/run.sh "${ACTLAB_BUILD_DIR:-build}/actlab"
stamp "hostile-input suite passed"
if [[ "${ACTLAB_QUICK:-0}" == 1 ]]; then
  echo "test.sh: ACTLAB_QUICK=1: sanitizer and fuzz stages skipped"
  exit 0
fi
bash scripts/sanitize.sh --jobs "$(nproc)"
stamp "sanitizer suite passed"
bash scripts/fuzz.sh --jobs "$(nproc)" --seconds "${ACTLAB_FUZZ_SECONDS:-60}"
stamp "fuzzing passed"
