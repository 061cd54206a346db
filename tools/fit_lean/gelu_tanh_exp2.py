#!/usr/bin/python3
"""2^f - 1 = f (c1 + c2 f + ... + cd f^(d-1)) on |f| <= 1/2 (1 + 1e-3) (f = v - round(v) of the
gelu_tanh kernels), relative error of 2^f, least squares on Chebyshev nodes, float32 coefficients
rounded from c1 up with refits. usage: gelu_tanh_exp2.py DEG"""
import sys
import mpmath as mp
import numpy as np
mp.mp.dps = 40
deg = int(sys.argv[1])
W = mp.mpf('0.5') * mp.mpf('1.001')
N = 300
ws = [W * mp.cos(mp.pi * (k + 0.5) / N) for k in range(N)]
E = [mp.mpf(2) ** w for w in ws]
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
    mx = max(mx, abs(1 + p - mp.mpf(2) ** w) / mp.mpf(2) ** w)
print("// 2^f - 1 = f (c1 + ... ), |f| <= 1/2, rel err 2^%.2f (gelu_tanh_exp2.py %d)" % (float(mp.log(mx, 2)), deg))
print("constexpr float kGtExp2P%d[%d] = {%s};" % (deg, deg, ", ".join(float.hex(fixed[i]) + "f" for i in range(1, deg + 1))))
