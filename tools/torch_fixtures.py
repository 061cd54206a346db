#!/usr/bin/python3
"""Generates the PyTorch parity fixtures under tests/nn/fixtures/.

Run once (with Debian's python3-torch 1.13): /usr/bin/python3 tools/torch_fixtures.py
Each fixture holds, for a small model and a fixed batch: the input, labels,
every parameter (PyTorch layout), the logits, the mean cross-entropy loss,
the gradient of every parameter, and for the MLP the parameters after two
optimizer steps (AdamW, Adam with L2, RMSprop, SGD Nesterov; weight
decay 0.1 on weights only); torch_heads.json: loss and logit gradient of
every output head. `tools/torch_fixtures.py heads` writes only that one.
tests/nn/test_torch_parity.cpp loads the same parameters into actlab's
model and compares everything.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "nn", "fixtures")


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def dump(name, spec, acts, geom, model, x, y, extra=None):
    model.train()
    for p in model.parameters():
        p.grad = None
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    params = []
    for pname, p in model.named_parameters():
        params.append({"name": pname, "shape": list(p.shape), "value": flat(p), "grad": flat(p.grad)})
    buffers = [{"name": n, "value": flat(b)} for n, b in model.named_buffers() if b.dtype == torch.float32]
    fx = {
        "spec": spec, "acts": acts, "geom": geom, "x": flat(x), "y": [int(v) for v in y.tolist()],
        "logits": flat(logits), "loss": float(loss), "params": params, "buffers_after": buffers,
    }
    if extra:
        fx.update(extra(model, x, y))
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(fx, f)
    print("wrote", name, "loss", float(loss))


def mlp():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 4), nn.GELU(), nn.Linear(4, 3))
    x = torch.randn(8, 6)
    y = torch.randint(0, 3, (8,))
    init = {k: v.clone() for k, v in model.state_dict().items()}

    def steps(_m, x, y):
        res = {}
        for oname in ("adamw", "sgd_nesterov", "adam", "rmsprop"):
            model.load_state_dict(init)
            decay = [p for n, p in model.named_parameters() if n.endswith("weight")]
            other = [p for n, p in model.named_parameters() if n.endswith("bias")]
            groups = [{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}]
            if oname == "adamw":
                opt = torch.optim.AdamW(groups, lr=0.01)
            elif oname == "adam":
                opt = torch.optim.Adam(groups, lr=0.01)  # L2: decay added to the gradient
            elif oname == "rmsprop":
                opt = torch.optim.RMSprop(groups, lr=0.01, alpha=0.99, eps=1e-8)
            else:
                opt = torch.optim.SGD(groups, lr=0.05, momentum=0.9, nesterov=True)
            for _ in range(3):
                opt.zero_grad()
                F.cross_entropy(model(x), y).backward()
                opt.step()
            res["after_" + oname] = [flat(p) for _, p in model.named_parameters()]
        model.load_state_dict(init)
        return res

    dump("torch_mlp", "mlp:5,4", "tanh,gelu", [6, 0, 0, 0, 3], model, x, y, steps)


def mlp_bn_prelu():
    torch.manual_seed(2)
    model = nn.Sequential(nn.Linear(6, 5), nn.BatchNorm1d(5), nn.PReLU(), nn.Linear(5, 3))
    with torch.no_grad():
        model[2].weight.fill_(0.2)
        model[1].weight.copy_(torch.rand(5) + 0.5)
        model[1].bias.copy_(torch.randn(5) * 0.1)
    x = torch.randn(8, 6)
    y = torch.randint(0, 3, (8,))
    dump("torch_mlp_bn_prelu", "mlp:5", "prelu", [6, 0, 0, 0, 3], model, x, y)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 2, 5, padding=2)
        self.c2 = nn.Conv2d(2, 3, 5, padding=2)
        self.d1 = nn.Linear(3 * 2 * 2, 8)
        self.d2 = nn.Linear(8, 3)

    def forward(self, x):
        x = x.view(-1, 1, 8, 8)
        x = F.max_pool2d(torch.tanh(self.c1(x)), 2)
        x = F.max_pool2d(F.elu(self.c2(x)), 2)
        x = F.gelu(self.d1(x.flatten(1)))
        return self.d2(x)


def cnn():
    torch.manual_seed(3)
    model = Cnn()
    x = torch.randn(4, 64)
    y = torch.randint(0, 3, (4,))
    dump("torch_cnn", "cnn:2,3,8", "tanh,elu,gelu", [64, 1, 8, 8, 3], model, x, y)


def heads():
    """Loss and dL/dlogits of every output head (actlab's Head), fp64.

    K = 4 classes (4 logits for every head) and K = 2 with one sigmoid unit
    (p = sigmoid(z) = P(class 1)). Means over all values (reduction="mean"),
    as actlab's head_loss.
    """
    torch.manual_seed(4)
    cases = []
    for k, units in ((4, 4), (2, 1)):
        z0 = (torch.randn(7, units, dtype=torch.float64) * 3).float().double()
        y = torch.randint(0, k, (7,))
        t = F.one_hot(y, k).double() if units == k else y.double().reshape(-1, 1)
        fns = {
            "sigmoid_bce": lambda z: F.binary_cross_entropy_with_logits(z, t),
            "sigmoid_mse": lambda z: F.mse_loss(torch.sigmoid(z), t),
        }
        if units == k:
            fns["softmax_ce"] = lambda z: F.cross_entropy(z, y)
            fns["softmax_mse"] = lambda z: F.mse_loss(F.softmax(z, dim=1), t)
        for name, fn in fns.items():
            z = z0.clone().requires_grad_(True)
            loss = fn(z)
            loss.backward()
            cases.append({"head": name, "classes": k, "units": units, "logits": flat(z0),
                          "y": [int(v) for v in y.tolist()], "loss": float(loss), "grad": flat(z.grad)})
    with open(os.path.join(OUT, "torch_heads.json"), "w") as f:
        json.dump({"cases": cases}, f)
    print("wrote torch_heads", len(cases), "cases")


if __name__ == "__main__":
    import sys

    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    # Optional names: regenerate only those fixtures (e.g. `heads`).
    only = set(sys.argv[1:])
    for fn in (mlp, mlp_bn_prelu, cnn, heads):
        if not only or fn.__name__ in only:
            fn()
