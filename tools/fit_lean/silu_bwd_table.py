#!/usr/bin/python3
"""Fits the silu backward table g(a) = silu'(-a) = sigmoid(-a) (1 - a sigmoid(a)), a >= 0
(src/act/ops_lean_silu-inl.h, SiluBwd2: `PACK=1 DELTA=0.94140625 silu_bwd_table.py 6`).
PACK=1: C6 and C5 share one word W (C6 = W, C5 = bits(W) << 16, a bf16), fixed first (as gelu.py).
32 intervals of width 1/2, slot k = low 5 bits of the index (one vpermt2ps per coefficient):
  DELTA != 0 (the kernel): offset grid, k = floor(2a + DELTA), interval [(k - DELTA)/2, (k + 1 - DELTA)/2),
    kernel index bits(a + (1.5 2^14 + DELTA/2)) >> 8; DELTA = 241/256 = 3.5 - 2 a0 rounded to 2^-8, so
    that the zero a0 = 1.27846454276 of g is the centre of interval 3 (the only zero interval); a <= 15.5.
  DELTA = 0 (first try, not used): k = round(2a), zero intervals k = 2, 3, a < 15.75.
Kernel form, t = a - ch_k (exact by Sterbenz for a >= ch_k / 2):
   P = C0 + C1H t + t (C1 + t (C2 + ... + t Cd)).
Non-zero intervals: C1H = 0, monomial fit in t; ch_k searched within 2^-6 of the interval middle so
  that g(ch_k) is within 1/128 ULP of a float32 (Gal's accurate tables), C0 fitted (~= g(ch_k)).
Zero interval: ch = float(a0), fitted as (t - CL) (c1 + c2 t + ...), CL = a0 - float(a0), with c1 as a
  float pair, then expanded to monomials: C0 = -CL c1 (rounded), C1H + C1 = c1 - CL c2 with C1H = float(c1')
  (C1H2=1: C1H of 2 significant bits so that C1H t is exact; tried, not used),
  Ck = c_k - CL c_(k+1); relative accuracy holds up to the zero (errors at t = 0, +-2^-23 printed).
Least squares for relative error on 200 Chebyshev nodes per interval (+1% margin), coefficients
rounded to float32 one at a time from C0 up, refitting the rest each time (the basis is evaluated
in mpmath: t - CL near a0 needs it).
stderr: max relative error per interval (exact arithmetic on the stored floats, 401 points).
usage: [PACK=1] [DELTA=0.94140625] silu_bwd_table.py DEG > table.h
"""
import sys
import mpmath as mp
import numpy as np
mp.mp.dps = 40
deg = int(sys.argv[1])
NI = 32
f32 = lambda v: float(np.float32(v))
def sig(a): return 1 / (1 + mp.exp(-a))
def g(a): return sig(-a) * (1 - a * sig(a))
a0 = mp.findroot(lambda a: 1 - a * sig(a), 1.28)
a0h = f32(float(a0)); CL = f32(float(a0 - a0h))
import os, struct
PACK = os.environ.get('PACK', '0') == '1'
DELTA = mp.mpf(os.environ.get("DELTA", "0"))  # OFFSET grid: k = floor(2a + DELTA) (DELTA a multiple of 2^-8)
OFF = DELTA != 0
ZK = (3,) if OFF else (2, 3)
def bounds(k):
    if OFF: return max((k - DELTA) / 2, mp.mpf(0)), (k + 1 - DELTA) / 2
    return max(mp.mpf(k) / 2 - mp.mpf(1) / 4, mp.mpf(0)), mp.mpf(k) / 2 + mp.mpf(1) / 4
def center(k):
    if k in ZK: return a0h, True
    lo, hi = bounds(k)
    mid = f32(float((lo + hi) / 2))
    best = None
    for i in range(64):
        for sgn in (1, -1):
            c = f32(mid + sgn * i * 2.0 ** -12)
            v = g(mp.mpf(c))
            vf = mp.mpf(f32(float(v)))
            _, e = mp.frexp(vf)
            err = abs(v - vf) / mp.ldexp(1, e - 24)
            if best is None or err < best[0]: best = (err, c)
            if err < 1.0 / 128: return c, False
    return best[1], False
def bas(t, i, zero=True):  # zero interval: (t - CL) t^(i-1); elsewhere t^i
    return mp.mpf(1) if i == 0 else ((t - mp.mpf(CL)) * t ** (i - 1) if zero else t ** i)
tabs = [[0.0] * NI for _ in range(deg + 1)]; chs = [0.0] * NI; c1l = [0.0] * NI; c1hs = [0.0] * NI
worst = 0
for k in range(NI):
    lo, hi = bounds(k)
    ch, zero = center(k)
    m = (hi - lo) * mp.mpf('0.01')
    L, H = max(lo - m, mp.mpf(0)), hi + m
    N = 200
    aa = [(L + H) / 2 + (H - L) / 2 * mp.cos(mp.pi * (i + 0.5) / N) for i in range(N)]
    F = [g(a) for a in aa]
    T = [a - mp.mpf(ch) for a in aa]  # kept in mpmath: t - CL near a0 needs it
    fixed = {}
    if zero: fixed[0] = 0.0
    if PACK:  # c_d = W, c_(d-1) = bits(W) << 16 (a bf16), fixed first (as tools/fit_lean/gelu.py)
        free = [i for i in range(deg + 1) if i not in fixed]
        A = np.array([[float(mp.mpf(bas(t, i, zero)) / f) for i in free] for t, f in zip(T, F)])
        rhs = np.array([float((f - sum(mp.mpf(fixed[i]) * mp.mpf(bas(t, i, zero)) for i in fixed)) / f) for t, f in zip(T, F)])
        sol = dict(zip(free, np.linalg.lstsq(A, rhs, rcond=None)[0]))
        b1 = struct.unpack('<I', struct.pack('<f', f32(sol[deg - 1])))[0]
        b1 = ((b1 + 0x8000) >> 16) & 0xFFFF
        b2 = struct.unpack('<I', struct.pack('<f', f32(sol[deg])))[0] & 0xFFFF0000
        fixed[deg - 1] = struct.unpack('<f', struct.pack('<I', b1 << 16))[0]
        fixed[deg] = struct.unpack('<f', struct.pack('<I', b2 | b1))[0]
    for j in range(deg + 1):
        if j in fixed: continue
        free = [i for i in range(deg + 1) if i not in fixed]
        A = np.array([[float(mp.mpf(bas(t, i, zero)) / f) for i in free] for t, f in zip(T, F)])
        rhs = np.array([float((f - sum(mp.mpf(fixed[i]) * mp.mpf(bas(t, i, zero)) for i in fixed)) / f) for t, f in zip(T, F)])
        sol = np.linalg.lstsq(A, rhs, rcond=None)[0]
        fixed[j] = f32(sol[0])
        if zero and j == 1:  # c1 as a pair c1h + c1l on the zero interval (P ~ c1 (t - CL) there)
            c1l[k] = f32(float(mp.mpf(sol[0]) - mp.mpf(fixed[j])))
            fixed[j] = float(mp.mpf(fixed[j]) + mp.mpf(c1l[k]))
    c = [fixed[i] for i in range(deg + 1)]
    c1h = 0.0
    if zero:
        # monomial form for the kernel: P = C0 + C1H t + t (C1L + t (c2' + ...)),
        # (t - CL) sum c_i t^(i-1) = -CL c1 + sum_(k>=1) (c_k - CL c_(k+1)) t^k
        cm = [mp.mpf(x) for x in c]
        e = [-mp.mpf(CL) * cm[1]] + [cm[k] - mp.mpf(CL) * (cm[k + 1] if k + 1 <= deg else 0) for k in range(1, deg + 1)]
        if PACK: e[deg - 1], e[deg] = cm[deg - 1], cm[deg]  # keep the packed pair (the CL shift is far below it)
        # C1H = float(e1) (C1H2=1: e1 rounded to 2 significant bits, C1H t exact; tried, not used)
        ex = int(mp.floor(mp.log(abs(e[1]), 2))) - 1
        c1h = float(mp.nint(e[1] / mp.mpf(2) ** ex) * mp.mpf(2) ** ex) if os.environ.get("C1H2", "0") == "1" else f32(float(e[1]))
        c = [f32(float(e[0])), f32(float(e[1] - mp.mpf(c1h)))] + [f32(float(x)) for x in e[2:]]
    mx = 0
    for i in range(401):
        a = L + (H - L) * i / 400
        t = a - mp.mpf(ch)
        p = mp.mpf(c[0]) + mp.mpf(c1h) * t + sum(mp.mpf(c[j]) * t ** j for j in range(1, deg + 1))
        fv = g(a)
        if fv == 0: continue
        mx = max(mx, abs(p - fv) / abs(fv))
    # the float nearest a0 (t = 0, P = C0) and its neighbours
    if zero:
        for dt in (0.0, 2.0 ** -23, -2.0 ** -23):
            t = mp.mpf(dt); a = mp.mpf(ch) + t
            p = mp.mpf(c[0]) + mp.mpf(c1h) * t + sum(mp.mpf(c[j]) * t ** j for j in range(1, deg + 1))
            print("   zero: t=%g rel err %.3g" % (dt, float(abs(p / g(a) - 1))), file=sys.stderr)
    worst = max(worst, mx)
    print("k=%2d [%s, %s] ch=%r rel err 2^%.2f" % (k, mp.nstr(lo, 4), mp.nstr(hi, 4), ch, float(mp.log(mx, 2))), file=sys.stderr)
    chs[k] = ch; c1hs[k] = c1h
    for i in range(deg + 1): tabs[i][k] = f32(c[i])
print("worst rel err 2^%.2f" % float(mp.log(worst, 2)), file=sys.stderr)
def row(name, v): print("alignas(64) inline constexpr float %s[%d] = {%s};" % (name, NI, ", ".join(float.hex(x) + "f" for x in v)))
print("// silu_bwd_table.py %d (DELTA=%s): worst relative approximation error 2^%.2f" % (deg, mp.nstr(DELTA, 10), float(mp.log(worst, 2))))
print("// P = C0 + C1H t + t (C1 + t (C2 + ... + t C%d)), t = a - Ch" % deg)
row("kSbCh", chs)
row("kSbC1H", c1hs)  # c1's high part on the zero interval (0 elsewhere: there C1 is all of c1)
for i in range(deg + 1): row("kSbC%d" % i, tabs[i])
