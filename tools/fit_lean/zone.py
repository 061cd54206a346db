#!/usr/bin/python3
"""Zone polynomials for the float32 backward kernels (bwd-inl.h).

Near the zero x0 of f' we write f'(x0_hi + x0_lo + t) = t * P(t), |t| <= delta,
P(t) = (c0_hi + c0_lo) + c1 t + ... + cn t^n, fitted by least squares on
Chebyshev nodes for relative error of f' (mpmath, 50 digits), coefficients
rounded to float32 from c1 upward with c0 kept as a float pair.

    /usr/bin/python3 fit_zone.py silu 0.04 5
"""
import sys
import mpmath as mp
import numpy as np
mp.mp.dps = 50

def sig(x): return 1/(1+mp.exp(-x))
def d_silu(x):
    s = sig(x); return s*(1 + x*(1-s))
def d_mish(x):
    t = mp.tanh(mp.log1p(mp.exp(x))); return t + x*(1-t*t)*sig(x)
K = 2*mp.sqrt(2/mp.pi); A = mp.mpf('0.044715')
def d_gelu_tanh(x):
    w = K*(x + A*x**3); s = sig(w); dw = K*(1 + 3*A*x*x)
    return s + x*s*(1-s)*dw
F = {'silu': d_silu, 'mish': d_mish, 'gelu_tanh': d_gelu_tanh}
guess = {'silu': -1.278, 'mish': -1.19, 'gelu_tanh': -0.75}

def f32(v): return float(np.float32(float(v)))
def hexf(v):
    h = float.hex(float(v)); m, e = h.split('p'); m = m.rstrip('0').rstrip('.')
    return m + 'p' + e + 'f'

def main():
    name = sys.argv[1]; delta = mp.mpf(sys.argv[2]); deg = int(sys.argv[3])
    f = F[name]
    x0 = mp.findroot(f, guess[name])
    xh = f32(x0); xl = f32(x0 - xh)
    X0 = mp.mpf(xh) + mp.mpf(xl)     # the split point used by the kernel
    N = 200
    ts = [delta*mp.cos(mp.pi*(k+0.5)/N) for k in range(N)]
    P = lambda t: f(X0 + t)/t if t != 0 else mp.diff(f, X0)
    # relative error of t P(t): weight 1/P
    M = mp.matrix(N, deg+1); b = mp.matrix(N, 1)
    for i, t in enumerate(ts):
        pv = P(t)
        for j in range(deg+1): M[i, j] = t**j/pv
        b[i] = 1
    c = mp.lu_solve(M.T*M, M.T*b)
    c0h = f32(c[0]); c0l = f32(c[0] - c0h)
    cs = [c0h, c0l] + [f32(c[j]) for j in range(1, deg+1)]
    mx = 0
    for k in range(4001):
        t = -delta + 2*delta*k/4000
        if t == 0: continue
        q = mp.mpf(c0h) + mp.mpf(c0l) + sum(mp.mpf(cs[j+1])*t**j for j in range(1, deg+1))
        mx = max(mx, abs(t*q - f(X0+t))/abs(f(X0+t)))
    print(f"// {name}: x0 = {mp.nstr(x0, 20)}, zone |t| <= {sys.argv[2]}, deg {deg}, max rel err 2^{mp.nstr(mp.log(mx, 2), 4)}")
    print(f"x0_hi = {hexf(xh)}, x0_lo = {hexf(xl)}")
    print("c0_hi, c0_lo, c1.. = {" + ", ".join(hexf(v) for v in cs) + "}")
    # a few derivative values for reference
    print("f'' at x0 =", mp.nstr(mp.diff(f, x0), 12))

main()
