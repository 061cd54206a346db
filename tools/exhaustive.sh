#!/bin/sh
# Exhaustive accuracy sweep: `actlab ulp ACT --step 1` (all 2^32 float32 inputs)
# forward and backward for each activation given (default: all pointwise
# ones, transcendental first), appending each report to LOG. With the default
# double screen ~1-4 CPU minutes per activation and direction (sigmoid ~3;
# piecewise-linear entries are not screened, ~1-2), 4-5x that with --exact;
# run it in the background at low priority:
#   nice -n 19 tools/exhaustive.sh build/actlab docs/ulp-exhaustive.log [ACT...]
set -u
BIN=${1:-build/actlab}
LOG=${2:-ulp-exhaustive.log}
shift 2 2>/dev/null || shift $#
ACTS=${*:-"sigmoid tanh gelu gelu_tanh silu mish softplus elu logsigmoid selu celu exponential tanhshrink swish softsign squareplus snake hardswish hardsigmoid rrelu identity step hardtanh relu relu6 leaky_relu prelu hardshrink softshrink threshold"}
for a in $ACTS; do
  for dir in "" "--backward"; do
    start=$(date -u +%H:%M:%S)
    echo "=== $a ${dir:-forward} step 1 start $start" >> "$LOG"
    "$BIN" ulp "$a" --step 1 $dir --quiet >> "$LOG" 2>&1
    echo "=== exit $? end $(date -u +%H:%M:%S)" >> "$LOG"
  done
done
