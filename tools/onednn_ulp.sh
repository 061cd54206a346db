#!/bin/sh
# actlab's and oneDNN's accuracy on the same inputs: `actlab ulp ACT --step
# STEP [--backward]` and the same with `--impl onednn`, for every entry that
# oneDNN 2.6 has an eltwise algorithm for (default list), appending each
# report to LOG. tools/make_accuracy_md.py --onednn LOG prints the table of
# docs/accuracy.md's "actlab vs oneDNN" section.
#   nice tools/onednn_ulp.sh build/actlab onednn-ulp.log 17 [ACT...]
set -u
BIN=${1:-build/actlab}
LOG=${2:-onednn-ulp.log}
STEP=${3:-17}
shift 3 2>/dev/null || shift $#
ACTS=${*:-"identity relu leaky_relu relu6 hardtanh sigmoid tanh elu exponential gelu gelu_tanh silu mish softplus logsigmoid hardswish"}
for a in $ACTS; do
  for dir in "" "--backward"; do
    for impl in actlab onednn; do
      echo "=== $a ${dir:-forward} $impl step $STEP start $(date -u +%H:%M:%S)" >> "$LOG"
      "$BIN" ulp "$a" --step "$STEP" $dir --impl $impl --quiet >> "$LOG" 2>&1
      echo "=== exit $? end $(date -u +%H:%M:%S)" >> "$LOG"
    done
  done
done
