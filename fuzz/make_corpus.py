#!/usr/bin/python3
"""Writes the seed corpora in fuzz/corpus/<target>/ (run from the repository
root: /usr/bin/python3 fuzz/make_corpus.py). Seeds are small valid and
almost-valid inputs in each target's input format (see the fuzz_*.cpp
headers), so the fuzzers start from the interesting paths."""
import gzip
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
FASHION = "/usr/share/datasets/fashion-mnist"


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def idx(dims, payload):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


def gz(b):
    return gzip.compress(b, mtime=0)


# ---- fuzz_idx: first byte = mode (0 gunzip, 1 labels, 2 images, 3 pair) ----
imgs = idx([3, 2, 2], bytes(range(12)))
labs = idx([3], bytes([0, 9, 4]))
write("fuzz_idx", "gunzip", b"\x00" + gz(b"hello idx"))
write("fuzz_idx", "gunzip-two-members", b"\x00" + gz(b"ab") + gz(b"cd"))
write("fuzz_idx", "labels-plain", b"\x01" + labs)
write("fuzz_idx", "labels-gz", b"\x01" + gz(labs))
write("fuzz_idx", "images-plain", b"\x02" + imgs)
write("fuzz_idx", "images-gz", b"\x02" + gz(imgs))
write("fuzz_idx", "pair-plain", b"\x03" + struct.pack("<I", len(imgs)) + imgs + labs)
write("fuzz_idx", "pair-gz", b"\x03" + struct.pack("<I", len(gz(imgs))) + gz(imgs) + gz(labs))
write("fuzz_idx", "wrong-magic", b"\x02" + b"\x1f\x9d" + imgs[2:])
write("fuzz_idx", "truncated-gz", b"\x02" + gz(imgs)[:-5])
write("fuzz_idx", "huge-header", b"\x02" + idx([1 << 31, 28, 28], b"0123456789abcdef"))
# Two real Fashion-MNIST test images and their labels, re-headed.
if os.path.exists(FASHION):
    with gzip.open(os.path.join(FASHION, "t10k-images-idx3-ubyte.gz")) as f:
        real_imgs = idx([2, 28, 28], f.read()[16:16 + 2 * 784])
    with gzip.open(os.path.join(FASHION, "t10k-labels-idx1-ubyte.gz")) as f:
        real_labs = idx([2], f.read()[8:10])
    write("fuzz_idx", "fashion-2-gz", b"\x03" + struct.pack("<I", len(gz(real_imgs))) + gz(real_imgs) + gz(real_labs))

# ---- fuzz_csv: first byte = mode (0 one file, 1 train+test, 2 spec, 3 label name + file) ----
csv_good = b"a,b,label\n1,2,0\n3.5,-4e-3,1\n5,6,2\n"
csv_quoted = (b"\xef\xbb\xbf\"x,1\",kind, y \r\n1.5,\"setosa, wild\",-2\r\n\r\n"
              b"\"2.5\", versicolor ,+3e2\r\n1e-400,\"say \"\"hi\"\"\",7")
csv_test = b"a,b,label\n7,8,1\n9,10,0\n"
write("fuzz_csv", "one-file", b"\x00" + csv_good)
write("fuzz_csv", "names-crlf-bom", b"\x03kind\n" + csv_quoted)
write("fuzz_csv", "pair", b"\x01" + struct.pack("<I", len(csv_good)) + csv_good + csv_test)
csv_names = b"a,label\n1,cat\n2,dog\n3,cat\n"
write("fuzz_csv", "pair-names", b"\x01" + struct.pack("<I", len(csv_names)) + csv_names + b"a,label\n4,dog\n")
write("fuzz_csv", "ragged-nan", b"\x00a,b,label\n1,nan,0\n1,2\n\"open")
write("fuzz_csv", "spec-csv", b"\x02csv:train.csv,label=species,test_fraction=0.25")
write("fuzz_csv", "spec-npy", b"\x02npy:x.npy,y.npy,test_x=tx.npy,test_y=ty.npy")


# ---- fuzz_npy: first byte = mode (0 X+Y pair, 1 X with a valid Y, 2 Y with a valid X) ----
def npy(descr, shape, payload, major=1, fortran=False):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    d = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (descr, "True" if fortran else "False", dims)
    pre = 10 if major == 1 else 12
    d += " " * ((64 - (pre + len(d) + 1) % 64) % 64) + "\n"
    n = struct.pack("<H", len(d)) if major == 1 else struct.pack("<I", len(d))
    return b"\x93NUMPY" + bytes([major, 0]) + n + d.encode()


x_f4 = npy("<f4", [4, 3], struct.pack("<12f", *[i / 4 - 1 for i in range(12)]))
x_f8 = npy("<f8", [2, 3], struct.pack("<6d", *[0.1 * i for i in range(6)]), major=2)
x_u1 = npy("|u1", [2, 1, 2, 2], bytes(range(0, 240, 30)))
y_i8 = npy("<i8", [4], struct.pack("<4q", 0, 1, 2, 1))
y_u1 = npy("|u1", [2], bytes([1, 0]))
y_i4 = npy("<i4", [2], struct.pack("<2i", 0, 1), major=3)
write("fuzz_npy", "pair-f4-i8", b"\x00" + struct.pack("<I", len(x_f4)) + x_f4 + y_i8)
write("fuzz_npy", "pair-f8-v2-i4-v3", b"\x00" + struct.pack("<I", len(x_f8)) + x_f8 + y_i4)
write("fuzz_npy", "pair-u1-images", b"\x00" + struct.pack("<I", len(x_u1)) + x_u1 + y_u1)
write("fuzz_npy", "x-f4", b"\x01" + x_f4)
write("fuzz_npy", "x-fortran", b"\x01" + npy("<f4", [4, 3], bytes(48), fortran=True))
write("fuzz_npy", "x-lying-shape", b"\x01" + npy("<f4", [1 << 31, 3], bytes(48)))
write("fuzz_npy", "y-i8", b"\x02" + y_i8)
write("fuzz_npy", "y-u2", b"\x02" + npy("<u2", [4], struct.pack("<4H", 3, 0, 1, 0)))

# ---- fuzz_param: line 1 activation (or list), further lines NAME=VALUE ----
params = {
    "relu": [], "gelu_erf": [], "relu,tanh,gelu": [], "sigmoid,": [],
    "step": ["threshold=0.5"],
    "hardtanh": ["min_val=-2", "max_val=2"],
    "hardtanh-swap": ["max_val=-3", "min_val=-4"],
    "leaky_relu": ["negative_slope=0.2"],
    "prelu": ["weight=0.25"],
    "rrelu": ["lower=0.1", "upper=0.3"],
    "elu": ["alpha=1e-3"],
    "celu": ["alpha=0x1p-3"],
    "swish": ["beta=-1.5"],
    "softplus": ["beta=2", "threshold=20"],
    "hardshrink": ["lambd=0.5"],
    "softshrink": ["lambd=inf"],
    "threshold": ["threshold=0.1", "value=20"],
    "squareplus": ["b=4"],
    "snake": ["alpha=nan"],
    "softmax": [],
}
for name, ps in params.items():
    act = name.split("-")[0]
    write("fuzz_param", name.replace(",", "_"), "\n".join([act] + ps).encode())

# ---- fuzz_model_spec: line 1 --model, line 2 --acts; or a canonical text ----
specs = {
    "mlp": "mlp:256,128,100\nrelu",
    "mlp-acts": "mlp:8,8,8\nrelu,tanh,leaky_relu(negative_slope=0.2)",
    "cnn": "cnn\ngelu",
    "cnn-sizes": "cnn:32,64,1024\nrelu,elu(alpha=0.5),swish(beta=2)",
    "resmlp": "resmlp:depth=20,width=64\nsilu",
    "resmlp-width": "resmlp:width=8\nhardtanh(min_val=-2,max_val=2)",
    "bad-width": "mlp:256,abc\nrelu",
    "canonical": "mlp:4,4 acts=relu;softplus(beta=2,threshold=20) batchnorm=1 layernorm=0 "
                 "residual=0 dropout=0.25 init=he prelu_per_channel=0",
}
for name, text in specs.items():
    write("fuzz_model_spec", name, text.encode())

# ---- fuzz_checkpoint: real checkpoints from `actlab train --save` ----
# Only when the actlab binary is given: fuzz/make_corpus.py build/actlab
import subprocess
import sys
import tempfile

if len(sys.argv) > 1:
    runs = {
        "mlp-xor-adam": "--data xor --rows 64 --model mlp:4 --epochs 1 --batch 16",
        "mlp-prelu-sgd": "--data spiral --rows 60 --model mlp:3,3 --acts prelu,leaky_relu(negative_slope=0.2) "
                         "--optimizer sgd --momentum 0.9 --nesterov --epochs 1 --batch 32",
        "resmlp-bn": "--data moons --rows 64 --model resmlp:depth=1,width=4 --batchnorm --dropout 0.1 "
                     "--epochs 1 --batch 32 --optimizer rmsprop",
        "mlp-ln-cosine": "--data circles --rows 64 --model mlp:4 --layernorm --act celu --optimizer adamw "
                         "--schedule cosine --epochs 2 --batch 16",
        "cnn-fashion": "--data fashion-mnist --limit-train 32 --limit-test 16 --model cnn:2,2,4 --epochs 1 --batch 16",
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in runs.items():
            path = os.path.join(tmp, name)
            subprocess.run([sys.argv[1], "train", "--quiet", *args.split(), "--save", path],
                           check=True, stdout=subprocess.DEVNULL)
            with open(path, "rb") as f:
                write("fuzz_checkpoint", name, f.read())
