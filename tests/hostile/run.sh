#!/usr/bin/env bash
# Hostile-input suite (issue 15): runs the built `actlab` against bad data
# files, flags, checkpoints, outputs, special files and kills, and asserts
# for each case the exit code, that stderr names the offending thing, and
# that no output or temporary file is left where it should not be.
#
#   tests/hostile/run.sh [path/to/actlab]     (default: build/actlab)
#
# Special files are the suite's own, in its scratch folder: a FIFO made with
# mkfifo and character devices made with mknod (null 1,3 and zero 1,5) when
# the process may (root); those cases are skipped with the reason otherwise.
# System paths (/dev/null, /dev/zero, /dev/full) are never touched.
# Prints one line per case and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-${ACTLAB_BUILD_DIR:-build}/actlab}")
[[ -x "$BIN" ]] || { echo "hostile: no actlab binary at $BIN" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/actlab-hostile.XXXXXX")
trap 'rm -rf "$T"' EXIT
W="$T/work"   # every output goes here: checked for leftovers after each case
mkdir -p "$W"
PY=/usr/bin/python3
pass=0 fail=0 skip=0
t0=$(date +%s%N)

# check NAME RC MSG ABSENT CMD...  runs CMD (the actlab binary is $BIN) with a
# 60 s timeout; RC the expected exit code, MSG a fixed string stderr must
# contain ('' for none), ABSENT a space-separated list of paths that must not
# exist afterwards ('' for none). Any "*.tmp.*" file under $W fails the case.
check() {
  local name=$1 rc=$2 msg=$3 absent=$4
  shift 4
  local err="$T/err" out="$T/out" got
  timeout 60 "$@" >"$out" 2>"$err" </dev/null
  got=$?
  local why=""
  [[ $got == "$rc" ]] || why="exit $got, expected $rc"
  if [[ -z $why && -n $msg ]] && ! grep -qF -- "$msg" "$err"; then why="stderr lacks '$msg'"; fi
  for p in $absent; do [[ -e $p || -L $p ]] && why="${why:+$why; }left $p"; done
  local tmps
  tmps=$(find "$W" -name '*.tmp.*' 2>/dev/null | head -3)
  [[ -n $tmps ]] && why="${why:+$why; }temp file left: $tmps"
  find "$W" -name '*.tmp.*' -delete 2>/dev/null
  if [[ -z $why ]]; then
    pass=$((pass + 1))
    echo "ok    $name"
  else
    fail=$((fail + 1))
    echo "FAIL  $name: $why"
    sed 's/^/        | /' "$err" | head -5
  fi
}
skipcase() { skip=$((skip + 1)); echo "skip  $1: $2"; }

# ---- fixtures -------------------------------------------------------------
mkfifo "$T/fifo"
DEV_OK=0
if mknod "$T/null" c 1 3 2>/dev/null && mknod "$T/zero" c 1 5 2>/dev/null; then DEV_OK=1; fi
NODEV="mknod not permitted (needs root, or the file system is mounted nodev)"
$PY - "$T" <<'EOF'
import gzip, os, struct, sys
t = sys.argv[1]
def idx(dims, payload, typ=8):
    return b"\0\0" + bytes([typ, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload
def mnist(d, n=40, m=20, h=4, w=3):
    os.makedirs(d, exist_ok=True)
    for base, k in (("train", n), ("t10k", m)):
        open(f"{d}/{base}-images-idx3-ubyte", "wb").write(idx([k, h, w], bytes((i * 7) % 256 for i in range(k * h * w))))
        open(f"{d}/{base}-labels-idx1-ubyte", "wb").write(idx([k], bytes(i % 10 for i in range(k))))
mnist(f"{t}/good")
for name, train_images in {
    "empty": b"",
    "magic": b"PK\3\4" + b"\0" * 60,
    "trunc": idx([40, 4, 3], b"\1" * 10),
    "zerodim": idx([40, 0, 3], b""),
    "huge": idx([2**31, 28, 28], b"\0" * 16),
    "float": idx([40, 4, 3], b"\0" * 480, typ=0x0D),
    "gzbad": b"\x1f\x8b\x08\x00" + b"\xff" * 40,
    "gzcut": gzip.compress(idx([40, 4, 3], b"\1" * 480))[:30],
}.items():
    mnist(f"{t}/{name}")
    open(f"{t}/{name}/train-images-idx3-ubyte", "wb").write(train_images)
mnist(f"{t}/swapped")
os.replace(f"{t}/swapped/train-labels-idx1-ubyte", f"{t}/swapped/x")
os.replace(f"{t}/swapped/train-images-idx3-ubyte", f"{t}/swapped/train-labels-idx1-ubyte")
os.replace(f"{t}/swapped/x", f"{t}/swapped/train-images-idx3-ubyte")
mnist(f"{t}/badlabel")
open(f"{t}/badlabel/train-labels-idx1-ubyte", "wb").write(idx([40], bytes([200] * 40)))
mnist(f"{t}/tiny", h=2, w=2)
open(f"{t}/ragged.csv", "w").write("a,b,label\n1,2,0\n3,4\n5,6,1\n")
open(f"{t}/nan.csv", "w").write("a,b,label\n1,nan,0\n3,4,1\n")
open(f"{t}/empty.csv", "w").write("")
open(f"{t}/bad.npy", "wb").write(b"\x93NUMPX" + b"\0" * 60)
open(f"{t}/odd.f32", "wb").write(b"12345")
open(f"{t}/x.f32", "wb").write(struct.pack("<4f", -1, 0, 1, 2))
EOF
mkdir -p "$T/fifodir" && cp "$T/good/"*labels* "$T/good/t10k-images-idx3-ubyte" "$T/fifodir/" && mkfifo "$T/fifodir/train-images-idx3-ubyte"
mkdir -p "$T/dirdir" && cp "$T/good/"*labels* "$T/good/t10k-images-idx3-ubyte" "$T/dirdir/" && mkdir "$T/dirdir/train-images-idx3-ubyte"
truncate -s 20G "$T/sparse.bin"   # sparse: no disk used
echo "not a folder" > "$T/afile"
TRAIN=(train --epochs 1 --quiet)                      # + --data and --model per case
MOONS=("${TRAIN[@]}" --data moons --model mlp:8)
"$BIN" train --data moons --model mlp:8 --epochs 2 --quiet --save "$T/ck.bin" >/dev/null 2>&1 || { echo "hostile: cannot make a checkpoint" >&2; exit 2; }
$PY - "$T" <<'EOF'
import sys
t = sys.argv[1]
b = open(f"{t}/ck.bin", "rb").read()
open(f"{t}/ck_trunc.bin", "wb").write(b[: len(b) // 2])
open(f"{t}/ck_magic.bin", "wb").write(b"NOTACKPT" + b[8:])
f = bytearray(b); f[len(f) // 2] ^= 0xFF
open(f"{t}/ck_flip.bin", "wb").write(bytes(f))
open(f"{t}/ck_empty.bin", "wb").write(b"")
open(f"{t}/ck_short.bin", "wb").write(b[:12])
EOF

echo "hostile: actlab = $BIN, scratch = $T"

# ---- data files (exit 1, the file named) ------------------------------------
for c in empty:"is empty" magic:"its magic number is 50 4b 03 04" trunc:"but the file holds 10" \
         zerodim:"a size of 0 (dimension 2 of 3)" huge:"header says 2147483648 x 28 x 28" \
         float:"float32 IDX data" gzbad:"train-images-idx3-ubyte" gzcut:"train-images-idx3-ubyte"; do
  check "idx-${c%%:*}" 1 "${c#*:}" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data fashion-mnist --data-dir "$T/${c%%:*}"
done
check idx-swapped 1 "check that images and labels files are not swapped" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data fashion-mnist --data-dir "$T/swapped"
check idx-label-range 1 "train-labels-idx1-ubyte" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data fashion-mnist --data-dir "$T/badlabel"
check idx-fifo 1 "not a regular file" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data fashion-mnist --data-dir "$T/fifodir"
check idx-directory 1 "is a directory" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data fashion-mnist --data-dir "$T/dirdir"
check data-dir-missing 1 "$T/nosuch" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data fashion-mnist --data-dir "$T/nosuch"
check data-dir-file 1 "$T/afile" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data fashion-mnist --data-dir "$T/afile"
check cnn-tiny-images 2 "2 x 2 images" "" "$BIN" "${TRAIN[@]}" --data fashion-mnist --data-dir "$T/tiny" --model cnn
check csv-ragged 1 "ragged.csv" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data "csv:$T/ragged.csv"
check csv-nan 1 "nan.csv" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data "csv:$T/nan.csv"
check csv-empty 1 "empty.csv" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data "csv:$T/empty.csv"
check csv-fifo 1 "FIFO" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data "csv:$T/fifo"
check npy-magic 1 "bad.npy" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data "npy:$T/bad.npy,$T/bad.npy"
check fx-input-odd 1 "multiple of 4" "$W/y" "$BIN" fx relu --input "$T/odd.f32" --output "$W/y"
check fx-input-fifo 1 "FIFO" "$W/y" "$BIN" fx relu --input "$T/fifo" --output "$W/y"
check fx-input-sparse 1 "limit" "$W/y" "$BIN" fx relu --input "$T/sparse.bin" --output "$W/y"
check fx-input-dir 1 "is a directory" "$W/y" "$BIN" fx relu --input "$T" --output "$W/y"
if ((DEV_OK)); then
  check fx-input-chardev 1 "character device" "$W/y" "$BIN" fx relu --input "$T/zero" --output "$W/y"
  check csv-chardev 1 "character device" "" "$BIN" "${TRAIN[@]}" --model mlp:8 --data "csv:$T/zero"
else
  skipcase fx-input-chardev "$NODEV"; skipcase csv-chardev "$NODEV"
fi

# ---- flags (exit 2, the flag named) -----------------------------------------
check batch-negative 2 "--batch" "" "$BIN" "${MOONS[@]}" --batch -1
check batch-zero 2 "--batch" "" "$BIN" "${MOONS[@]}" --batch 0
check threads-huge 2 "--threads" "" "$BIN" "${MOONS[@]}" --threads 65536
check threads-zero 2 "--threads" "" "$BIN" "${MOONS[@]}" --threads 0
check evaluate-threads 2 "--threads" "" "$BIN" evaluate --model-file "$T/ck.bin" --threads 65536
check ulp-threads 2 "--threads" "" "$BIN" ulp relu --threads 100000
check bench-threads 2 "--threads" "" "$BIN" bench relu --threads 999999 --against none
check clip-negative 2 "--clip-grad" "" "$BIN" "${MOONS[@]}" --clip-grad -1
check clip-nan 2 "--clip-grad" "" "$BIN" "${MOONS[@]}" --clip-grad nan
check gamma-negative 2 "--gamma" "" "$BIN" "${MOONS[@]}" --gamma -5
check lr-zero 2 "--lr" "" "$BIN" "${MOONS[@]}" --lr 0
check lr-inf 2 "--lr" "" "$BIN" "${MOONS[@]}" --lr inf
check momentum-one 2 "--momentum" "" "$BIN" "${MOONS[@]}" --momentum 1
check dropout-one 2 "--dropout" "" "$BIN" "${MOONS[@]}" --dropout 1
check epochs-zero 2 "--epochs" "" "$BIN" "${MOONS[@]}" --epochs 0
check weight-decay-nan 2 "--weight-decay" "" "$BIN" "${MOONS[@]}" --weight-decay nan
check resmlp-dup-key 2 "depth is given twice" "" "$BIN" "${TRAIN[@]}" --data moons --model resmlp:depth=2,width=4,depth=3
check act-dup-param 2 "alpha is given twice" "" "$BIN" "${MOONS[@]}" --act 'elu(alpha=1,alpha=2)'
check param-twice 2 "--param: alpha is given twice" "" "$BIN" "${MOONS[@]}" --act elu --param alpha=1 --param alpha=2
check act-empty 2 "--act ''" "" "$BIN" "${MOONS[@]}" --act ''
check act-unknown 2 "unknown activation" "" "$BIN" fx nosuch 1
check model-width-huge 2 "--model" "" "$BIN" "${TRAIN[@]}" --data moons --model mlp:99999999
check model-memory 2 "needs about" "" "$BIN" "${TRAIN[@]}" --data moons --model mlp:65536,65536,65536,65536
check fx-cols-zero 2 "--cols" "" "$BIN" fx softmax --input "$T/x.f32" --output "$W/y" --cols 0
check fx-inline-param 0 "" "" "$BIN" fx 'elu(alpha=0.5)' -1 1
check eval-alias-notice 0 "'eval' is now 'actlab fx'" "" "$BIN" eval relu 1
check plot-title-long 2 "--title" "$W/t.svg" "$BIN" plot relu --title "$(printf 'a%.0s' $(seq 1026))" --out "$W/t.svg"
check plot-title-control 2 "control character" "$W/t.svg" "$BIN" plot relu --title "$(printf 'a\001b')" --out "$W/t.svg"
check plot-size-huge 2 "--size" "$W/t.svg" "$BIN" plot relu --size 1e300x20 --out "$W/t.svg"
check plot-ext 2 "unsupported extension" "$W/t.gif" "$BIN" plot relu --out "$W/t.gif"
check study-out-empty 2 "--out ''" "" "$BIN" study --out '' --quiet
check study-out-file 1 "not a folder" "" "$BIN" study --out "$T/afile" --quiet

# ---- checkpoints (exit 1, the checkpoint named) -----------------------------
check ck-truncated 1 "ck_trunc.bin" "" "$BIN" evaluate --model-file "$T/ck_trunc.bin"
check ck-magic 1 "wrong magic" "" "$BIN" evaluate --model-file "$T/ck_magic.bin"
check ck-bitflip 1 "checksum" "" "$BIN" evaluate --model-file "$T/ck_flip.bin"
check ck-empty 1 "ck_empty.bin" "" "$BIN" evaluate --model-file "$T/ck_empty.bin"
check ck-short 1 "too short" "" "$BIN" evaluate --model-file "$T/ck_short.bin"
check ck-directory 1 "is a directory" "" "$BIN" evaluate --model-file "$T"
check ck-missing 1 "nosuch.bin" "" "$BIN" evaluate --model-file "$T/nosuch.bin"
check ck-fifo 1 "FIFO" "" "$BIN" evaluate --model-file "$T/fifo"
check ck-sparse-20g 1 "limit" "" "$BIN" evaluate --model-file "$T/sparse.bin"
check resume-fifo 1 "FIFO" "" "$BIN" train --resume "$T/fifo"
check resume-lr-conflict 2 "--lr cannot be combined with --resume" "" "$BIN" train --resume "$T/ck.bin" --epochs 3 --lr 0.5
check resume-model-conflict 2 "--model cannot be combined with --resume" "" "$BIN" train --resume "$T/ck.bin" --epochs 3 --model mlp:4
check resume-data-conflict 2 "--data cannot be combined with --resume" "" "$BIN" train --resume "$T/ck.bin" --epochs 3 --data xor
check resume-finished 2 "nothing to train" "" "$BIN" train --resume "$T/ck.bin" --epochs 2 --quiet
cp "$T/ck.bin" "$W/ext.bin"
check resume-extend 0 "" "" "$BIN" train --resume "$W/ext.bin" --epochs 3 --quiet
if ((DEV_OK)); then
  check ck-chardev-zero 1 "character device" "" "$BIN" evaluate --model-file "$T/zero"
  check resume-chardev 1 "character device" "" "$BIN" train --resume "$T/null"
else
  skipcase ck-chardev-zero "$NODEV"; skipcase resume-chardev "$NODEV"
fi

# ---- outputs -----------------------------------------------------------------
check save-metrics-same 2 "--save and --metrics name the same file" "$W/x" "$BIN" "${MOONS[@]}" --save "$W/x" --metrics "$W/x"
check output-grad-same 2 "--output and --grad name the same file" "$W/f" "$BIN" fx relu --input "$T/x.f32" --output "$W/f" --grad "$W/f"
echo keep > "$W/x"; ln -s x "$W/alias"
check save-metrics-via-link 2 "name the same file" "" "$BIN" "${MOONS[@]}" --save "$W/x" --metrics "$W/alias"
[[ $(cat "$W/x") == keep ]] || echo "FAIL  save-metrics-via-link: x was changed"
rm -f "$W/alias" "$W/x"
mkdir -p "$W/adir"
check save-directory 1 "is a directory" "" "$BIN" "${MOONS[@]}" --save "$W/adir"
check save-missing-dir 1 "does not exist" "$W/no/ck" "$BIN" "${MOONS[@]}" --save "$W/no/ck"
ln -s nowhere "$W/dangling"
check save-dangling-link 1 "does not exist" "$W/nowhere" "$BIN" "${MOONS[@]}" --save "$W/dangling"
rm -f "$W/dangling"
check metrics-fifo-no-reader 1 "no reader" "" "$BIN" "${MOONS[@]}" --metrics "$T/fifo"
check plot-out-directory 1 "is a directory" "" "$BIN" plot relu --out "$W/adir"
echo old > "$W/real"; ln -s real "$W/link"
check save-through-link 0 "" "" "$BIN" "${MOONS[@]}" --save "$W/link"
if [[ -L $W/link ]] && "$BIN" evaluate --model-file "$W/real" >/dev/null 2>&1; then
  pass=$((pass + 1)); echo "ok    save-through-link-kept"
else
  fail=$((fail + 1)); echo "FAIL  save-through-link-kept: the link was replaced or its target is not a checkpoint"
fi
( "$BIN" fx relu --input "$T/x.f32" --output "$T/fifo" 2>/dev/null & cat "$T/fifo" > "$T/fifo.out"; wait ) 
if [[ $(stat -c %s "$T/fifo.out") == 16 && -p $T/fifo ]]; then
  pass=$((pass + 1)); echo "ok    output-fifo-with-reader"
else
  fail=$((fail + 1)); echo "FAIL  output-fifo-with-reader: $(stat -c %s "$T/fifo.out") bytes, fifo kept: $([[ -p $T/fifo ]] && echo yes || echo no)"
fi
if ((DEV_OK)); then
  check save-chardev 0 "" "" "$BIN" "${MOONS[@]}" --save "$T/null" --metrics "$T/null"
  if [[ -c $T/null ]]; then pass=$((pass + 1)); echo "ok    save-chardev-kept"
  else fail=$((fail + 1)); echo "FAIL  save-chardev-kept: the device node was replaced"; fi
  check plot-chardev 0 "" "" "$BIN" plot relu --out "$T/null.svg"
  rm -f "$T/null.svg"
else
  skipcase save-chardev "$NODEV"; skipcase save-chardev-kept "$NODEV"; skipcase plot-chardev "$NODEV"
fi

# ---- the lab's commands and study files ------------------------------------------
TINY=(--data xor --rows 64 --model mlp:4 --epochs 1 --seeds 1)
check compare-out-empty 2 "--out" "" "$BIN" compare "${TINY[@]}" --acts relu --out ''
check gradflow-out-empty 2 "--out" "" "$BIN" gradflow --out ''
check boundary-out-empty 2 "--out" "" "$BIN" boundary --out ''
check study-out-empty 2 "--out" "" "$BIN" study --only step --out ''
echo x > "$W/afile"
check study-out-is-file 1 "--out" "" "$BIN" study --only step --out "$W/afile"
check compare-acts-twice 2 "twice" "$W/cmp" "$BIN" compare "${TINY[@]}" --acts relu,relu --out "$W/cmp"
check study-acts-twice 2 "twice" "$W/st" "$BIN" study --acts relu,relu --out "$W/st"
check study-unknown-only 2 "step" "$W/st" "$BIN" study --only no_such_experiment --out "$W/st"
check study-set-bad 2 "epochs" "$W/st" "$BIN" study --set epochs=-1 --out "$W/st"
printf '[[experiment]]\nname = "x"\n[experiment.axes]\ndepth = [2, "three"]\n' > "$T/bad.toml"
check study-file-bad-value 2 "bad.toml:4" "$W/st" "$BIN" study "$T/bad.toml" --out "$W/st"
printf '[[experiment]]\nname = "x"\nclaim = "nope"\n' > "$T/claim.toml"
check study-file-unknown-claim 2 "nope" "$W/st/runs" "$BIN" study "$T/claim.toml" --out "$W/st"
check study-file-fifo 1 "FIFO" "$W/st" "$BIN" study "$T/fifo" --out "$W/st"
check study-file-missing 1 "missing.toml" "$W/st" "$BIN" study "$T/missing.toml" --out "$W/st"

# ---- kills ---------------------------------------------------------------------
# SIGTERM/SIGINT mid-run: the process dies by the signal, the checkpoint is
# complete or absent, and no temporary file is left (AtomicFile's handler).
for sig in TERM INT; do
  rm -f "$W/k.bin"
  # Background jobs of a script start with SIGINT ignored: restore the
  # default dispositions before exec, as an interactive shell would.
  timeout 120 $PY -c 'import os, signal, sys
for s in (signal.SIGINT, signal.SIGTERM): signal.signal(s, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$BIN" train --data spiral --rows 20000 --model mlp:64,64 --batch 32 \
      --epochs 50 --quiet --checkpoint-every 20 --save "$W/k.bin" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 400); do [[ -e $W/k.bin ]] && break; sleep 0.02; done
  sleep 0.3
  kill -$sig $pid; wait $pid; rc=$?
  tmps=$(find "$W" -name '*.tmp.*' | head -1)
  if [[ $rc -ge 128 && -z $tmps ]] && "$BIN" evaluate --model-file "$W/k.bin" >/dev/null 2>&1; then
    pass=$((pass + 1)); echo "ok    kill-$sig-mid-training"
  else
    fail=$((fail + 1)); echo "FAIL  kill-$sig-mid-training: rc $rc, temp '$tmps', checkpoint loadable: $("$BIN" evaluate --model-file "$W/k.bin" >/dev/null 2>&1 && echo yes || echo no)"
  fi
  find "$W" -name '*.tmp.*' -delete
done
# SIGKILL: a torn temporary file may remain, never a torn target.
rm -f "$W/k.bin"
"$BIN" train --data spiral --rows 60000 --model mlp:64,64 --batch 32 --epochs 2 --quiet \
    --checkpoint-every 20 --save "$W/k.bin" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1000); do [[ -e $W/k.bin ]] && break; sleep 0.01; done
kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
find "$W" -name '*.tmp.*' -delete
check kill-KILL-target-intact 0 "" "" "$BIN" evaluate --model-file "$W/k.bin"
check kill-KILL-resume 0 "" "" "$BIN" train --resume "$W/k.bin" --quiet --metrics "$W/km.json"

ms=$((($(date +%s%N) - t0) / 1000000))
printf 'hostile: %d cases in %d.%d s (%d skipped)\n' $((pass + fail)) $((ms / 1000)) $((ms % 1000 / 100)) "$skip"
echo "$pass passed, $fail failed"
((fail == 0))
