#!/usr/bin/python3
"""PyTorch side of bench/train_vs_torch.sh: the same model, optimizer, batch,
data and normalisation as `actlab train`, timed per epoch (training steps
only, as actlab's train_s), test accuracy after each epoch.

usage: train_vs_torch.py --model mlp|cnn --epochs N --threads T [--dir D]
"""
import argparse
import gzip
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="mlp")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training rows")
    ap.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr = idx(os.path.join(a.dir, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255
    ytr = idx(os.path.join(a.dir, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    xte = idx(os.path.join(a.dir, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255
    yte = idx(os.path.join(a.dir, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    if a.limit:
        xtr, ytr = xtr[:a.limit], ytr[:a.limit]
    mean, std = xtr.mean(), xtr.std()  # one mean/std over all pixels, as actlab's normalise()
    xtr, xte = (xtr - mean) / std, (xte - mean) / std
    xtr, ytr, xte, yte = map(torch.from_numpy, (xtr, ytr, xte, yte))
    if a.model == "mlp":
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                              nn.Linear(128, 100), nn.ReLU(), nn.Linear(100, 10))
        shape = (-1, 784)
    else:
        model = nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(64 * 7 * 7, 1024), nn.ReLU(), nn.Linear(1024, 10))
        shape = (-1, 1, 28, 28)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = xtr.shape[0]
    for epoch in range(1, a.epochs + 1):
        model.train()
        perm = torch.randperm(n)
        t0 = time.perf_counter()
        for i in range(0, n, a.batch):
            j = perm[i:i + a.batch]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xtr[j].view(shape)), ytr[j])
            loss.backward()
            opt.step()
        dt = time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            acc = sum((model(xte[i:i + 1000].view(shape)).argmax(1) == yte[i:i + 1000]).sum().item()
                      for i in range(0, xte.shape[0], 1000)) / xte.shape[0]
        print(f"torch epoch={epoch} train_s={dt:.3f} test_acc={acc:.4f}", flush=True)


if __name__ == "__main__":
    main()
