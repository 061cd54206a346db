#!/usr/bin/env bash
# Configures and builds actlab (Release) into build/ (or $ACTLAB_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${ACTLAB_BUILD_DIR:-build}
jobs=${ACTLAB_JOBS:-$(nproc)}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build_dir" -j"$jobs"
