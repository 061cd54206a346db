#!/usr/bin/python3
"""Fits kGExpP of gelu-inl.h: e^(-w/2) = 1 + w (c1 + c2 w + ... + cd w^(d-1)) on
|w| <= ln2 (1 + 1e-3) (w = a^2 + 2 n ln2, n = round(-a^2 log2(e)/2)), relative
error of e^(-w/2), least squares on Chebyshev nodes, float32 coefficients rounded
from c1 up with refits. usage: fit_exp.py DEG"""
import sys
import mpmath as mp
import numpy as np
mp.mp.dps = 40
deg = int(sys.argv[1])
W = mp.log(2) * mp.mpf('1.001')
N = 300
ws = [W * mp.cos(mp.pi * (k + 0.5) / N) for k in range(N)]
E = [mp.exp(-w / 2) for w in ws]
fixed = {}
for k in range(1, deg + 1):
    free = [i for i in range(1, deg + 1) if i not in fixed]
    A = np.array([[float(w ** i / e) for i in free] for w, e in zip(ws, E)])
    rhs = np.array([float((e - 1 - sum(mp.mpf(fixed[i]) * w ** i for i in fixed)) / e) for w, e in zip(ws, E)])
    sol = np.linalg.lstsq(A, rhs, rcond=None)[0]
    fixed[k] = float(np.float32(sol[0]))
mx = 0
for k in range(2001):
    w = -W + 2 * W * k / 2000
    p = sum(mp.mpf(fixed[i]) * w ** i for i in fixed)
    mx = max(mx, abs(1 + p - mp.exp(-w / 2)) / mp.exp(-w / 2))
print("// e^(-w/2) - 1 = w (c1 + ... ), rel err 2^%.2f" % float(mp.log(mx, 2)))
print("constexpr float kGExpP[%d] = {%s};" % (deg, ", ".join(float.hex(fixed[i]) + "f" for i in range(1, deg + 1))))
