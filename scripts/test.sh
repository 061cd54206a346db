#!/usr/bin/env bash
# The README's test command: installs the Debian packages, builds, and runs
# the whole test suite with CTest. Exit code 0 only if every test passed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser
bash scripts/build.sh
ctest --test-dir "${ACTLAB_BUILD_DIR:-build}" -j"$(nproc)" --output-on-failure --timeout 900
