# Uniform piecewise polynomials of L(a) = log(1 + e^-a), a in [0, 15.75]:
# 32 intervals of width 1/2 centred at c_k = k/2 (k = round(2a), interval 0 = [0, 1/4]),
#   L = c0h + (c0l + t (c1 + ... + cD t^(D-1))),  t = a - c_k (exact),
# fitted for relative error in mpmath, coefficients rounded to float one at a time.
#   usage: /usr/bin/python3 tools/fit_lean/log1pexp_table.py DEG [pair|single]
# pair: c0 = c0h + c0l (float pair); single: c0 = L(c_k) rounded, c0l = 0.
import mpmath as mp, numpy as np, sys
mp.mp.dps = 40
DEG = int(sys.argv[1]) if len(sys.argv) > 1 else 6
PAIR = (sys.argv[2] if len(sys.argv) > 2 else 'pair') == 'pair'
F = lambda a: mp.log1p(mp.exp(-a))
f32 = lambda v: mp.mpf(float(np.float32(float(v))))
M = 100; NI = 32
rows = []; worst = 0
for k in range(NI):
    c = mp.mpf(k)/2
    lo, hi = (mp.mpf(0), mp.mpf(0.25)) if k == 0 else (c - mp.mpf(0.25), c + mp.mpf(0.25))
    if k == NI - 1: hi = mp.mpf(15.75)
    c0 = F(c); c0h = f32(c0); c0l = f32(c0 - c0h) if PAIR else mp.mpf(0)
    xs = [lo + (hi - lo)*(1 - mp.cos(mp.pi*(j + mp.mpf(1)/2)/M))/2 for j in range(M)]
    fixed = []
    for step in range(DEG):
        kk = DEG - len(fixed)
        A = mp.matrix(M, kk); b = mp.matrix(M, 1)
        for r, a in enumerate(xs):
            dd = a - c; Fa = F(a); w = 1/Fa
            for j in range(kk): A[r, j] = w*dd**(1 + len(fixed) + j)
            b[r] = w*(Fa - c0h - c0l - sum(fixed[j]*dd**(1 + j) for j in range(len(fixed))))
        sol = mp.lu_solve(A.T*A, A.T*b)
        fixed.append(f32(sol[0]))
    mx = 0
    for j in range(0, 601):
        a = lo + (hi - lo)*j/600; dd = a - c
        v = c0h + c0l + sum(fixed[i]*dd**(1 + i) for i in range(DEG))
        mx = max(mx, abs(v - F(a))/F(a))
    worst = max(worst, mx)
    rows.append(dict(c0h=c0h, c0l=c0l, co=fixed, err=mx))
    print("// %2d [%g, %g] rel err 2^%.1f" % (k, lo, hi, float(mp.log(mx, 2))), file=sys.stderr)
print("// log1pexp_table.py %d %s: worst relative approximation error 2^%.2f" % (DEG, 'pair' if PAIR else 'single', float(mp.log(worst, 2))))
def tab(name, vals):
    print("alignas(64) inline constexpr float %s[32] = {%s};" % (name, ", ".join(float.hex(float(v)) + "f" for v in vals)))
tab("kL1pC0", [r['c0h'] for r in rows])
if PAIR: tab("kL1pC0l", [r['c0l'] for r in rows])
for j in range(DEG): tab("kL1pC%d" % (j + 1), [r['co'][j] for r in rows])
