#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and runs
# each one for a fixed time, starting from its seed corpus in fuzz/corpus/.
# Exit code 1 if any target crashed, leaked, hit a sanitizer report or broke
# an invariant (the reproducer is kept in build-fuzz/findings/), 0 otherwise.
#
# Usage: scripts/fuzz.sh [--seconds N] [--jobs J] [--build-only] [TARGET...]
#   --seconds N    run time per target (default 60)
#   --jobs J       build parallelism (default 2)
#   --build-only   configure and build, do not run
#   TARGET...      run only these (default: every fuzz_* target)
# Environment: ACTLAB_FUZZ_BUILD_DIR (default build-fuzz), CXX (default clang++).
# New inputs the fuzzers find go to build-fuzz/corpus/TARGET, not to the
# repository; see docs/reliability.md for longer runs and corpus updates.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
jobs=2
build_only=0
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { echo "fuzz.sh: --seconds '$seconds' must be a positive integer" >&2; exit 2; }

build=${ACTLAB_FUZZ_BUILD_DIR:-build-fuzz}
cxx=${CXX:-clang++}
command -v "$cxx" >/dev/null || { echo "fuzz.sh: '$cxx' not found; install clang and libclang-rt-14-dev (scripts/setup.sh)" >&2; exit 2; }
"$cxx" --version | grep -qi clang || { echo "fuzz.sh: CXX='$cxx' is not clang; libFuzzer needs clang" >&2; exit 2; }

cmake -S . -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DACTLAB_BUILD_FUZZERS=ON -DACTLAB_SANITIZE=ON -DACTLAB_BUILD_TESTS=OFF -DACTLAB_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target fuzzers -j"$jobs"
((build_only)) && exit 0

if ((${#targets[@]} == 0)); then
  for f in "$build"/fuzz/fuzz_*; do [[ -x "$f" ]] && targets+=("$(basename "$f")"); done
fi
((${#targets[@]})) || { echo "fuzz.sh: no fuzz targets were built in $build/fuzz" >&2; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mkdir -p "$build/findings"
failed=()
for t in "${targets[@]}"; do
  bin="$build/fuzz/$t"
  [[ -x "$bin" ]] || { echo "fuzz.sh: no target '$t' in $build/fuzz" >&2; exit 2; }
  seeds="fuzz/corpus/$t"
  work="$build/corpus/$t"
  mkdir -p "$work"
  log="$build/findings/$t.log"
  rm -f "$build/findings/$t-"*  # reproducers of an earlier run
  echo "fuzz.sh: $t for ${seconds}s (seeds: $seeds, log: $log)"
  start=$(date +%s)
  # -timeout: an input taking > 10 s is a hang (reported as a finding).
  # -rss_limit_mb: readers must cap their allocations well below this.
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$build/findings/$t-" "$work" "$seeds" >"$log" 2>&1; then
    runs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -a -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "fuzz.sh: $t OK: $runs runs in $(($(date +%s) - start))s, $cov, corpus $(ls "$work" | wc -l) files"
  else
    echo "fuzz.sh: $t FAILED; reproduce with: $bin" "$build/findings/$t-"* >&2
    grep -a -m2 -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|^fuzz_[a-z_]*:|terminate called' "$log" >&2 || tail -20 "$log" >&2
    failed+=("$t")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz.sh: FAILED: ${failed[*]} (logs in $build/findings/)" >&2
  exit 1
fi
echo "fuzz.sh: all ${#targets[@]} targets ran ${seconds}s without a finding"
