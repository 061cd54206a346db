#!/bin/sh
# Trains the same model on Fashion-MNIST with actlab and with PyTorch
# (python3-torch) at equal thread counts and prints epoch time and test
# accuracy for both, then the ratio of mean epoch times.
#
#   bench/train_vs_torch.sh [mlp|cnn] [EPOCHS] [THREADS] [LIMIT]   (default: mlp 3 1 0)
#
# LIMIT > 0 trains on the first LIMIT training rows only (quick CNN runs).
#
# mlp: 784-256-128-100-10, ReLU; cnn: conv5x5x32 -> pool -> conv5x5x64 ->
# pool -> dense 1024 (actlab --model cnn). Adam 1e-3, batch 128, all 60000
# training rows (--val-fraction 0), global pixel standardisation on both.
# ACTLAB (default build/actlab) selects the binary.
set -eu
MODEL=${1:-mlp}
EPOCHS=${2:-3}
THREADS=${3:-1}
LIMIT=${4:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
ACTLAB=${ACTLAB:-$HERE/../build/actlab}
case $MODEL in
  mlp) SPEC=mlp:256,128,100 ;;
  cnn) SPEC=cnn ;;
  *) echo "usage: $0 [mlp|cnn] [EPOCHS] [THREADS]" >&2; exit 2 ;;
esac
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "== $MODEL, $EPOCHS epochs, $THREADS thread(s), limit $LIMIT rows, $(nproc) cores visible"
"$ACTLAB" train --data fashion-mnist --val-fraction 0 --model "$SPEC" --act relu --optimizer adam \
  --lr 1e-3 --batch 128 --epochs "$EPOCHS" --threads "$THREADS" --limit-train "$LIMIT" --quiet | tee "$OUT/actlab.txt" |
  sed 's/^/actlab /'
OMP_NUM_THREADS=$THREADS /usr/bin/python3 "$HERE/train_vs_torch.py" --model "$MODEL" \
  --epochs "$EPOCHS" --threads "$THREADS" --limit "$LIMIT" | tee "$OUT/torch.txt"
awk -v a="$OUT/actlab.txt" -v t="$OUT/torch.txt" 'BEGIN {
  while ((getline l < a) > 0) { n = split(l, f, /[ =]/); for (i = 1; i < n; i++) if (f[i] == "train_s") { sa += f[i+1]; na++ } }
  while ((getline l < t) > 0) { n = split(l, f, /[ =]/); for (i = 1; i < n; i++) if (f[i] == "train_s") { st += f[i+1]; nt++ } }
  printf "mean epoch: actlab %.2f s, torch %.2f s, ratio actlab/torch = %.3f\n", sa/na, st/nt, (sa/na)/(st/nt) }'
