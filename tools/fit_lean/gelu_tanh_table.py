#!/usr/bin/python3
"""Per-interval float32 tables for the piecewise gelu_tanh kernels (ops_lean_gelu_tanh-inl.h).

f(x) = x sigmoid(w(x)), w = c1 x + c3 x^3, c1 = 2 sqrt(2/pi), c3 = 0.044715 c1.
Exp factor (all a, no mask): E(a) = 2^(-a (K1 + K3 a^2)) with float constants K1 ~ c1 log2(e)
(a multiple of 2^-20, so that fma(K3, a^2, K1) - K1 is exact) and K3 = float(c3 log2(e)); their
truncation errors only change the smooth factor E / e^(-w), which the tables absorb exactly.
Targets: fwd G(a) = f(-a) / E(a), bwd G(a) = f'(-a) / E(a), a in [0, AMAX]; without the / E(a) on the
intervals below NOEXP = 1 (the kernel masks the exp factor to 1 there).
Intervals on a = |x| from the bits of a1 = a + 1 (exponent + MB mantissa bits), as gelu.py:
j = 0..3: [j/4, (j+1)/4), 4..7: [1 + (j-4)/2, ...), 8..11: [3 + (j-8), ...), 12..15: [7 + 2 (j-12), ...).
Slot (j + 12) & 15. Polynomial in t = a - ch (exact):
  fwd: c0 + c1 t + ... + cd t^d
  bwd: c0 + (t - CL)(c1 + c2 t + ... ), CL = a0 - float(a0), a0 = 0.7524614... the zero of f'(-a).
ch is also restricted so that G / c0 stays in [0.53, 1.9] over the interval (c0 - P exact).
Zero intervals (fwd j = 0: ch = 0, c0 = -0.0; bwd: both intervals within 0.01 of a0: ch = float(a0),
c0 = 0); elsewhere ch near the middle with c0 = G(ch + CL) within 1/128 ULP of a float (Gal).
Least squares for relative error on 200 Chebyshev nodes (+0.2% margin), float32 rounding one
coefficient at a time with refits; PACK=1: c_d = W, c_(d-1) = bits(W) << 16 (bf16), fixed first.
OFF (default 1): the kernel's index comes from a1 = a + OFF (OFF = 0.75: 16 intervals, widths 1/8 on
[0, 1/4), 1/4 to 1.25, 1/2 to 3.25, 1 to 7.25, 2 to 11.25).
usage: [PACK=1] [AMAX=9.95] [OFF=1] [NOEXP=1] gelu_tanh_table.py fwd|bwd DEG [MB]
"""
import sys, struct, os
import mpmath as mp
import numpy as np
mp.mp.dps = 40
kind = sys.argv[1]; deg = int(sys.argv[2])
MB = int(sys.argv[3]) if len(sys.argv) > 3 else 2
NI = 4 << MB; NPO = 1 << MB
PACK = os.environ.get('PACK', '0') == '1'
AMAX = mp.mpf(os.environ.get("AMAX", "9.95"))
f32 = lambda v: float(np.float32(v))
c1 = 2 * mp.sqrt(2 / mp.pi); c3 = c1 * mp.mpf('0.044715')
L2E = 1 / mp.log(2)
K1 = float(mp.nint(c1 * L2E * 2**20) / 2**20)
K3 = f32(float(c3 * L2E))
def w(a): return c1 * a + c3 * a**3
def dw(a): return c1 + 3 * c3 * a * a
def E(a): return mp.mpf(2) ** (-a * (mp.mpf(K1) + mp.mpf(K3) * a * a))
def fneg(a): return -a / (1 + mp.exp(w(a)))
def dfneg(a):
    ew = mp.exp(w(a))
    return 1 / (1 + ew) - a * dw(a) * ew / (1 + ew) ** 2
NOEXP = mp.mpf(os.environ.get("NOEXP", "1"))  # no exp factor on intervals starting below NOEXP
def target(a, j):
    v = fneg(a) if kind == 'fwd' else dfneg(a)
    return v / E(a) if bounds(j)[0] >= NOEXP else v
a0 = mp.findroot(dfneg, 0.75)
OFF = mp.mpf(os.environ.get("OFF", "1"))  # index from the bits of a1 = a + OFF
IV = []  # (lo, hi, slot) on a
for o in range(-3, 6):
    for k in range(NPO):
        A1lo = mp.mpf(2) ** o * (1 + mp.mpf(k) / NPO); A1hi = mp.mpf(2) ** o * (1 + mp.mpf(k + 1) / NPO)
        lo, hi = max(A1lo - OFF, mp.mpf(0)), min(A1hi - OFF, AMAX)
        if hi <= lo: continue
        IV.append((lo, hi, ((o + 127) * NPO + k) % NI))
assert len(set(v[2] for v in IV)) == len(IV) <= NI, IV
def bounds(j): return IV[j][0], IV[j][1]
a0h = f32(float(a0)); a0l = f32(float(a0 - a0h))
CL = a0l if kind == 'bwd' else 0.0

def center(j, lo, hi):
    if kind == 'fwd' and j == 0: return 0.0, True
    if kind == 'bwd' and hi > a0 - mp.mpf('0.01') and lo < a0 + mp.mpf('0.01'): return a0h, True
    mid = f32(float((lo + hi) / 2))
    best = None
    # Sterbenz: c0 - P must be exact for every P = G(a) of the interval (kernel: Pl = fma(q, t, c0 - P)),
    # i.e. G(a) / c0 in [1/2, 2] (with a margin) at both ends (G is monotonic on these intervals)
    gl, gh = target(lo, j), target(hi, j)
    def sterbenz(v): return all(mp.mpf('0.53') < g / v < mp.mpf('1.9') for g in (gl, gh))
    for k in range(4000):
        for sgn in (1, -1):
            c = f32(mid + sgn * k * 2.0 ** -12)
            v = target(mp.mpf(c) + mp.mpf(CL), j)
            if not sterbenz(v): continue
            vf = mp.mpf(f32(float(v)))
            _, e = mp.frexp(vf)
            err = abs(v - vf) / mp.ldexp(1, e - 24)
            if best is None or err < best[0]: best = (err, c)
            if err < 1.0 / 128: return c, False
    return best[1], False
tabs = [[0.0] * NI for _ in range(deg + 1)]; chs = [0.0] * NI
worst = 0
for j in range(len(IV)):
    lo, hi = bounds(j)
    ch, zero = center(j, lo, hi)
    m = (hi - lo) * mp.mpf('0.002')
    L, H = max(lo - m, mp.mpf(0)), hi + m
    N = 200
    aa = [(L + H) / 2 + (H - L) / 2 * mp.cos(mp.pi * (k + 0.5) / N) for k in range(N)]
    F = np.array([float(target(a, j)) for a in aa])
    T = np.array([float(a - mp.mpf(ch)) for a in aa])
    bas = (lambda t, i: t ** i if i == 0 else (t - CL) * t ** (i - 1)) if kind == 'bwd' else (lambda t, i: t ** i)
    fixed = {}
    if zero: fixed[0] = 0.0
    if PACK:
        free = [i for i in range(deg + 1) if i not in fixed]
        A = np.array([[bas(t, i) / f for i in free] for t, f in zip(T, F)])
        rhs = np.array([(f - sum(fixed[i] * bas(t, i) for i in fixed)) / f for t, f in zip(T, F)])
        sol = dict(zip(free, np.linalg.lstsq(A, rhs, rcond=None)[0]))
        b1 = struct.unpack('<I', struct.pack('<f', f32(sol[deg - 1])))[0]
        b1 = ((b1 + 0x8000) >> 16) & 0xFFFF
        b2 = struct.unpack('<I', struct.pack('<f', f32(sol[deg])))[0] & 0xFFFF0000
        fixed[deg - 1] = struct.unpack('<f', struct.pack('<I', b1 << 16))[0]
        fixed[deg] = struct.unpack('<f', struct.pack('<I', b2 | b1))[0]
    for k in range(deg + 1):
        if k in fixed: continue
        free = [i for i in range(deg + 1) if i not in fixed]
        A = np.array([[bas(t, i) / f for i in free] for t, f in zip(T, F)])
        rhs = np.array([(f - sum(fixed[i] * bas(t, i) for i in fixed)) / f for t, f in zip(T, F)])
        sol = np.linalg.lstsq(A, rhs, rcond=None)[0]
        fixed[k] = f32(sol[0])
    c = [fixed[i] for i in range(deg + 1)]
    mx = 0
    for k in range(401):
        a = L + (H - L) * k / 400
        if a == 0: continue
        t = a - mp.mpf(ch)
        p = sum(mp.mpf(c[i]) * (((t - mp.mpf(CL)) * t ** (i - 1)) if (kind == 'bwd' and i > 0) else t ** i) for i in range(deg + 1))
        fv = target(a, j)
        mx = max(mx, abs(p - fv) / abs(fv))
    worst = max(worst, mx)
    print("j=%2d [%s, %s] ch=%r rel err 2^%.2f" % (j, mp.nstr(lo, 4), mp.nstr(hi, 4), ch, float(mp.log(mx, 2))), file=sys.stderr)
    s = IV[j][2]
    chs[s] = ch
    for i in range(deg + 1): tabs[i][s] = c[i]
    if kind == 'fwd' and j == 0: tabs[0][s] = -0.0
print("worst rel err 2^%.2f" % float(mp.log(worst, 2)), file=sys.stderr)
P = "kGtF" if kind == 'fwd' else "kGtB"
def row(name, v): print("alignas(64) inline constexpr float %s[%d] = {%s};" % (name, NI, ", ".join(float.hex(x) + "f" for x in v)))
print("// gelu_tanh_table.py %s %d %d%s: worst rel err 2^%.2f" % (kind, deg, MB, " PACK" if PACK else "", float(mp.log(worst, 2))))
print("constexpr float %sK1 = %sf, %sK3 = %sf;  // v = a (K1 + K3 a^2) ~ w(a) log2(e)" % (P, float.hex(K1), P, float.hex(K3)))
row(P + "Ch", chs)
if kind == 'bwd': print("constexpr float kGtBMCl = %sf;  // -(a0 - float(a0)), a0 = zero of f'(-a)" % float.hex(-CL))
for i in range(deg + 1): row(P + "C%d" % i, tabs[i])
