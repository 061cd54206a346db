#!/usr/bin/python3
"""Fits the float32 exp polynomial kExpQ of src/act/vmath32-inl.h.

Q(r) = (e^r - 1 - r) / r^2 on |r| <= ln2/2 + 2e-4, least squares on 400 Chebyshev
nodes weighted for relative error of e^r, coefficients rounded to float32; prints
them and the max relative error of 1 + r + r^2 Q(r) (exact arithmetic, mpmath).

    /usr/bin/python3 tools/fit_f32.py 6     # degree 6: 2^-32.2
"""
import mpmath as mp
mp.mp.dps = 40
import numpy as np
a = mp.log(2)/2 + mp.mpf('0.0002')
def Q(r):
    if abs(r) < mp.mpf('1e-10'): return mp.mpf(1)/2 + r/6
    return (mp.exp(r) - 1 - r)/r**2
import sys
deg = int(sys.argv[1])
N = 400
xs = [a*mp.cos(mp.pi*(k+0.5)/N) for k in range(N)]
# minimize sum (r^2 (P(r) - Q(r)))^2 / e^r^2 -> relative error of e^r
A = mp.matrix(N, deg+1); b = mp.matrix(N,1)
for i,r in enumerate(xs):
    w = r**2/mp.exp(r)
    for j in range(deg+1): A[i,j] = w*r**j
    b[i] = w*Q(r)
c = mp.lu_solve(A.T*A, A.T*b)
cf = [float(np.float32(float(c[j]))) for j in range(deg+1)]
# eval error with float32 coefficients in exact arithmetic
mx = 0
for k in range(2001):
    r = -a + 2*a*k/2000
    P = sum(mp.mpf(cf[j])*r**j for j in range(deg+1))
    err = abs((1 + r + r**2*P) - mp.exp(r))/mp.exp(r)
    mx = max(mx, err)
print("exp Q coeffs (c0..c5):", [np.float32(v).hex() if False else float.hex(v) for v in cf])
print("max rel err", mp.nstr(mx,5), "=2^", mp.nstr(mp.log(mx,2),4))
