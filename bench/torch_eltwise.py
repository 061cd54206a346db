#!/usr/bin/python3
"""PyTorch side of `actlab bench`: times torch's activations on actlab's inputs.

Usage: torch_eltwise.py SPEC.json  (written by actlab bench; see
src/lab/kernel_bench_torch.cpp). Prints one JSON object on stdout:
  {"torch_version": ..., "results": [{"act", "n", "threads", "fwd", "bwd",
   "fwd_via", "bwd_via"}], "notes": [...]}
fwd/bwd are Gelem/s (1e9 elements per second), null when not measured.

Forward is called out of place, the way users call it (torch.nn.functional,
a new output tensor every call). Backward calls the aten kernel autograd
would call (sigmoid_backward(dy, y), gelu_backward(dy, x), ...) so that the
number is the kernel, not autograd's graph bookkeeping; entries PyTorch
implements as a composite of several ops (softsign, swish, squareplus, ...)
go through torch.autograd.grad on a retained graph, as users' code would.
Timing matches the C++ side: a warm-up call, then `repeats` repetitions of
enough calls to last `min_seconds`, best (or median) per call.

Exit status 3 with a message on stderr when torch cannot be imported.
"""
import json
import math
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except Exception as e:  # pragma: no cover - reported by actlab bench
    sys.stderr.write("cannot import torch/numpy with %s: %s\n" % (sys.executable, e))
    sys.exit(3)

A = torch.ops.aten
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def autograd_bwd(f):
    """Backward of a composite f through autograd, graph built once."""
    def make(x, y, dy):
        xr = x.detach().requires_grad_(True)
        yr = f(xr)
        return lambda: torch.autograd.grad(yr, xr, dy, retain_graph=True)[0]
    return make


def entry(name, p):
    """(forward f(x), backward factory make(x, y, dy) -> call, fwd_via, bwd_via) or a reason str."""
    g = p.get
    if name == "relu":
        return F.relu, lambda x, y, dy: (lambda: A.threshold_backward(dy, y, 0)), "F.relu", "aten.threshold_backward(dy, y, 0)"
    if name == "relu6":
        return F.relu6, lambda x, y, dy: (lambda: A.hardtanh_backward(dy, x, 0.0, 6.0)), "F.relu6", "aten.hardtanh_backward"
    if name in ("leaky_relu", "rrelu"):
        s = g("negative_slope") if name == "leaky_relu" else (g("lower") + g("upper")) / 2
        if name == "leaky_relu":
            f = lambda x: F.leaky_relu(x, s)
        else:
            lo, up = g("lower"), g("upper")
            f = lambda x: F.rrelu(x, lo, up, training=False)
        return f, lambda x, y, dy: (lambda: A.leaky_relu_backward(dy, x, s, False)), "F." + name, "aten.leaky_relu_backward"
    if name == "prelu":
        w = torch.tensor([g("weight")], dtype=torch.float32)
        f = lambda x: F.prelu(x, w)
        return f, autograd_bwd(f), "F.prelu", "autograd (prelu_backward)"
    if name == "hardtanh":
        lo, hi = g("min_val"), g("max_val")
        return (lambda x: F.hardtanh(x, lo, hi)), lambda x, y, dy: (lambda: A.hardtanh_backward(dy, x, lo, hi)), "F.hardtanh", "aten.hardtanh_backward"
    if name == "sigmoid":
        return torch.sigmoid, lambda x, y, dy: (lambda: A.sigmoid_backward(dy, y)), "torch.sigmoid", "aten.sigmoid_backward(dy, y)"
    if name == "hardsigmoid":
        return F.hardsigmoid, lambda x, y, dy: (lambda: A.hardsigmoid_backward(dy, x)), "F.hardsigmoid", "aten.hardsigmoid_backward"
    if name == "logsigmoid":
        def mk(x, y, dy):
            _, buf = A.log_sigmoid_forward(x)
            return lambda: A.log_sigmoid_backward(dy, x, buf)
        return F.logsigmoid, mk, "F.logsigmoid", "aten.log_sigmoid_backward"
    if name == "tanh":
        return torch.tanh, lambda x, y, dy: (lambda: A.tanh_backward(dy, y)), "torch.tanh", "aten.tanh_backward(dy, y)"
    if name == "softsign":
        return F.softsign, autograd_bwd(F.softsign), "F.softsign (composite)", "autograd"
    if name == "tanhshrink":
        return F.tanhshrink, autograd_bwd(F.tanhshrink), "F.tanhshrink (composite)", "autograd"
    if name == "elu":
        a = g("alpha")
        return (lambda x: F.elu(x, a)), lambda x, y, dy: (lambda: A.elu_backward(dy, a, 1, 1, False, x)), "F.elu", "aten.elu_backward"
    if name == "celu":
        a = g("alpha")
        return (lambda x: F.celu(x, a)), lambda x, y, dy: (lambda: A.elu_backward(dy, a, 1, 1.0 / a, False, x)), "F.celu", "aten.elu_backward"
    if name == "selu":
        return F.selu, lambda x, y, dy: (lambda: A.elu_backward(dy, SELU_ALPHA, SELU_SCALE, 1, False, x)), "F.selu", "aten.elu_backward"
    if name == "gelu":
        return F.gelu, lambda x, y, dy: (lambda: A.gelu_backward(dy, x)), "F.gelu", "aten.gelu_backward"
    if name == "gelu_tanh":
        return (lambda x: F.gelu(x, approximate="tanh")), lambda x, y, dy: (lambda: A.gelu_backward(dy, x, approximate="tanh")), "F.gelu(approximate='tanh')", "aten.gelu_backward(tanh)"
    if name == "silu":
        return F.silu, lambda x, y, dy: (lambda: A.silu_backward(dy, x)), "F.silu", "aten.silu_backward"
    if name == "swish":
        b = g("beta")
        f = lambda x: x * torch.sigmoid(b * x)
        return f, autograd_bwd(f), "x * sigmoid(beta x) (composite)", "autograd"
    if name == "mish":
        return F.mish, lambda x, y, dy: (lambda: A.mish_backward(dy, x)), "F.mish", "aten.mish_backward"
    if name == "softplus":
        b, t = g("beta"), g("threshold")
        return (lambda x: F.softplus(x, b, t)), lambda x, y, dy: (lambda: A.softplus_backward(dy, x, b, t)), "F.softplus", "aten.softplus_backward"
    if name == "hardswish":
        return F.hardswish, lambda x, y, dy: (lambda: A.hardswish_backward(dy, x)), "F.hardswish", "aten.hardswish_backward"
    if name == "hardshrink":
        l = g("lambd")
        return (lambda x: F.hardshrink(x, l)), lambda x, y, dy: (lambda: A.hardshrink_backward(dy, x, l)), "F.hardshrink", "aten.hardshrink_backward"
    if name == "softshrink":
        l = g("lambd")
        return (lambda x: F.softshrink(x, l)), lambda x, y, dy: (lambda: A.softshrink_backward(dy, x, l)), "F.softshrink", "aten.softshrink_backward"
    if name == "threshold":
        t, v = g("threshold"), g("value")
        return (lambda x: F.threshold(x, t, v)), lambda x, y, dy: (lambda: A.threshold_backward(dy, x, t)), "F.threshold", "aten.threshold_backward"
    if name == "squareplus":
        b = g("b")
        f = lambda x: (x + torch.sqrt(x * x + b)) * 0.5
        return f, autograd_bwd(f), "(x + sqrt(x^2 + b)) / 2 (composite)", "autograd"
    if name == "snake":
        a = g("alpha")
        f = lambda x: x + torch.sin(a * x) ** 2 / a
        return f, autograd_bwd(f), "x + sin(a x)^2 / a (composite)", "autograd"
    if name == "exponential":
        return torch.exp, lambda x, y, dy: (lambda: torch.mul(dy, y)), "torch.exp", "dy * y (exp's autograd formula)"
    if name == "identity":
        return "PyTorch's identity returns its input (no kernel to time)"
    if name == "step":
        return "PyTorch has no step activation (a comparison has no gradient)"
    return "no PyTorch equivalent for %s" % name


def per_call(fn, repeats, min_seconds, median):
    t0 = time.perf_counter()
    fn()  # warm-up
    first = max(time.perf_counter() - t0, 1e-9)
    iters = max(1, min(1000000, int(min_seconds / first) + 1))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        times.append((time.perf_counter() - t0) / iters)
    times.sort()
    return times[len(times) // 2] if median else times[0]


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    n_max = spec["n_max"]
    x_all = torch.from_numpy(np.fromfile(spec["x"], dtype="<f4", count=n_max))
    dy_all = torch.from_numpy(np.fromfile(spec["dy"], dtype="<f4", count=n_max))
    if x_all.numel() != n_max or dy_all.numel() != n_max:
        sys.stderr.write("input files shorter than n_max=%d\n" % n_max)
        sys.exit(2)
    rep, mins, med = spec["repeats"], spec["min_seconds"], spec["median"]
    out = {"torch_version": torch.__version__, "results": [], "notes": []}
    for k, a in enumerate(spec["acts"]):
        e = entry(a["name"], a["params"])
        if isinstance(e, str):
            out["notes"].append("%s: %s" % (a["name"], e))
            continue
        f, make_bwd, fwd_via, bwd_via = e
        out["notes"].append("%s: forward %s, backward %s" % (a["name"], fwd_via, bwd_via))
        # Correctness sample (not timed): first check_n inputs.
        m = spec["check_n"]
        xs, dys = x_all[:m].contiguous(), dy_all[:m].contiguous()
        ys = f(xs)
        dxs = make_bwd(xs, ys, dys)()
        ys.detach().numpy().astype("<f4").tofile("%s/%d.y.f32" % (spec["check_dir"], k))
        dxs.detach().numpy().astype("<f4").tofile("%s/%d.dx.f32" % (spec["check_dir"], k))
        for n in spec["sizes"]:
            x, dy = x_all[:n], dy_all[:n]
            for t in spec["threads"]:
                torch.set_num_threads(t)
                tf = per_call(lambda: f(x), rep, mins, med)
                y = f(x)
                tb = per_call(make_bwd(x, y, dy), rep, mins, med)
                del y
                out["results"].append({"act": a["name"], "n": n, "threads": t,
                                       "fwd": n / tf * 1e-9, "bwd": n / tb * 1e-9,
                                       "fwd_via": fwd_via, "bwd_via": bwd_via})
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
