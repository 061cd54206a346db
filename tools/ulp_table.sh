#!/bin/sh
# Prints the markdown rows of docs/accuracy.md: `actlab ulp` forward and
# backward for every catalogue entry at the given step (default 4099); the
# softmax family on ROWS random rows (default 4000). Optional activation names
# after the step restrict the list.
#   [ROWS=40000] tools/ulp_table.sh build/actlab 4099 [ACT...]
BIN=${1:-build/actlab}
STEP=${2:-4099}
ROWS=${ROWS:-4000}
shift 2 2>/dev/null || shift $#
ACTS=${*:-$("$BIN" list --format json | /usr/bin/python3 -c 'import json,sys; print(" ".join(e["name"] for e in json.load(sys.stdin)))')}
for a in $ACTS; do
  row="| $a"
  for dir in "" "--backward"; do
    out=$("$BIN" ulp "$a" --step "$STEP" --rows "$ROWS" --quiet --threads 1 $dir)
    rc=$?
    max=$(echo "$out" | awk '/^max_ulp/ {print $2}')
    worst=$(echo "$out" | awk '/^worst_x/ {print $2}')
    f1=$(echo "$out" | awk '/^frac_gt_1ulp/ {print $2}')
    f2=$(echo "$out" | awk '/^frac_gt_2ulp/ {print $2}')
    nf=$(echo "$out" | awk '/^nonfinite_mismatch/ {print $2}')
    c=$(echo "$out" | awk '/^contract/ {print $2}')
    ok=$([ $rc -eq 0 ] && echo met || echo VIOLATED)
    row="$row | $max | $worst | $f1 | $f2 | $nf | $c $ok"
  done
  echo "$row |"
done
