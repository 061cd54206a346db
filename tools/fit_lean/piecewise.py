# Piecewise polynomials of F(a), a >= 0, on 32 quarter-octave intervals
# [2^e (1 + h/4), 2^e (1.25 + h/4)) for a in [2^-4, 16); interval 0 also takes [0, 2^-4).
#   y = c0hi + (c0lo + d (c1 + d (c2 + ... + c6 d))),  d = a - centre,
# c0 = F(centre) as a float pair, the other coefficients fitted for relative error in mpmath
# with float rounding one coefficient at a time. Tables are indexed by the low 5 bits of
# max(bits(a) >> 21, 492) (rotated order: slot = (interval + 492) & 31).
#   usage: /usr/bin/python3 piecewise.py tanh|log1pexp [DEG]
#   tanh:      F = tanh(a)            (TanhFwd; intervals from 9.5 on are the constant 1)
#   log1pexp:  F = log(1 + e^-a)      (SoftplusFwd / LogsigmoidFwd)
import mpmath as mp, numpy as np, sys
mp.mp.dps = 40
FN = sys.argv[1] if len(sys.argv) > 1 else 'tanh'
DEG = int(sys.argv[2]) if len(sys.argv) > 2 else 6
F = mp.tanh if FN == 'tanh' else (lambda a: mp.log1p(mp.exp(-a)))
NAME = 'kTanh' if FN == 'tanh' else 'kL1pe'
f32 = lambda v: mp.mpf(float(np.float32(float(v))))
def interval(i):
    if i == 0: return (mp.mpf(0), mp.mpf(2)**-4 * mp.mpf(1.25))
    be, h = divmod(i + 492, 4)
    return (mp.mpf(2)**(be - 127) * (1 + mp.mpf(h)/4), mp.mpf(2)**(be - 127) * (mp.mpf(5)/4 + mp.mpf(h)/4))
M = 120
NI = 32
rows = []; worst = 0
for i in range(NI):
    lo, hi = interval(i)
    if FN == 'tanh' and lo >= 9.5:  # tanh rounds to 1
        rows.append(dict(c=0, c0h=1, c0l=0, co=[0]*DEG, err=0, lo=lo, hi=hi)); continue
    c = mp.mpf(0) if i == 0 else f32((lo + hi)/2)
    c0 = F(c); c0h = f32(c0); c0l = f32(c0 - c0h)
    xs = [lo + (hi - lo)*(1 - mp.cos(mp.pi*(k + mp.mpf(1)/2)/M))/2 for k in range(M)]
    fixed = []
    for step in range(DEG):
        k = DEG - len(fixed)
        A = mp.matrix(M, k); b = mp.matrix(M, 1)
        for r, a in enumerate(xs):
            dd = a - c; w = (1/F(a) if a != 0 else 0) if FN == 'tanh' else 1/F(a)
            for j in range(k): A[r, j] = w*dd**(1 + len(fixed) + j)
            b[r] = w*(F(a) - c0h - c0l - sum(fixed[j]*dd**(1 + j) for j in range(len(fixed))))
        sol = mp.lu_solve(A.T*A, A.T*b)
        fixed.append(f32(sol[0]))
    mx = 0
    for k in range(1, 1201):
        a = lo + (hi - lo)*k/1200; dd = a - c
        v = c0h + c0l + sum(fixed[j]*dd**(1 + j) for j in range(DEG))
        mx = max(mx, abs(v - F(a))/F(a))
    worst = max(worst, mx)
    rows.append(dict(c=c, c0h=c0h, c0l=c0l, co=fixed, err=mx, lo=lo, hi=hi))
for i, r in enumerate(rows):
    print("# %2d [%g, %g) c=%g err 2^%.1f" % (i, r['lo'], r['hi'], r['c'], float(mp.log(r['err'], 2)) if r['err'] else -99))
print("# worst 2^%.2f" % float(mp.log(worst, 2)))
order = [(j - 6) % 16 for j in range(16)]  # table slot s holds interval (s - 6) mod 16... slot = (i + 246) & 15
slot = {(i + 492) & 31: i for i in range(NI)}
def tab(name, vals):
    print("constexpr float %s[32] = {%s};" % (name, ", ".join(float.hex(float(vals[slot[s]])) + "f" for s in range(32))))
tab(NAME + "C", [r['c'] for r in rows]); tab(NAME + "C0h", [r['c0h'] for r in rows]); tab(NAME + "C0l", [r['c0l'] for r in rows])
for j in range(DEG): tab(NAME + "C%d" % (j + 1), [r['co'][j] for r in rows])
