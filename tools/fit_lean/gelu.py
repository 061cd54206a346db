#!/usr/bin/python3
"""Fits the per-interval float32 coefficient tables of gelu-inl.h (run by mk_header.sh).

Intervals on a = |x| come from the bits of a1 = a + 1 (exponent + MB mantissa bits);
with MB = 2 (the kernel): j = 0..3: [j/4, (j+1)/4), 4..7: [1 + (j-4)/2, ...),
8..11: [3 + (j-8), ...), 12..15: [7 + 2 (j-12), ...) (used up to a = AMAX = 13.25).
Table slot of interval j = (j + 12) & 15 (bits(1.0) >> 21 = 0x1fc); MB = 3 gives 32 intervals.
Targets (E = exp(-a^2/2), folded out for intervals starting at a >= NOEXP = 1):
  fwd: f(-a) = -a Phi(-a),            or f(-a) / E
  bwd: f'(-a) = Phi(-a) - a phi(a),   or f'(-a) / E
Polynomial in t = a - ch (exact in float32):
  fwd: c0 + c1 t + ... + cd t^d
  bwd: c0 + (t - CL)(c1 + c2 t + ... + cd t^(d-1)), CL = a0 - float(a0), a0 = 0.75179... the
       zero of f'(-a) (kernel: P = q t + c0, Pl = q (-CL) + rounding error of P).
Zero intervals (fwd j = 0: ch = 0; bwd: the two intervals around a0: ch = float(a0)) have
c0 = 0 (fwd j = 0 stores -0.0 so that f(-0) = -0). Elsewhere ch is searched near the
middle so that c0 = target(ch + CL) is within 1/128 ULP of a float32 (Gal's accurate tables).
Least squares for relative error on 200 Chebyshev nodes (interval + 0.2% margin), then
coefficients rounded to float32 one at a time from c0 up, refitting the rest each time.
PACK=1: c_d and c_(d-1) share one word W (c_d = W, c_(d-1) = bits(W) << 16, a bf16),
fixed first. stderr: the max relative error per interval (exact arithmetic, 401 points).
usage: [PACK=1] [AMAX=13.25] fit_gelu.py fwd|bwd DEG [MB]
"""
import sys, struct, os
import mpmath as mp
import numpy as np
mp.mp.dps = 40
kind = sys.argv[1]; deg = int(sys.argv[2])
MB = int(sys.argv[3]) if len(sys.argv) > 3 else 2  # mantissa bits of a + 1 in the index
NI = 4 << MB; NPO = 1 << MB
PACK = os.environ.get('PACK', '0') == '1'  # pack c_d, c_(d-1) into one word
NOEXP = mp.mpf(os.environ.get("NOEXP", "1"))  # no exp factor for a < NOEXP
AMAX = mp.mpf(os.environ.get("AMAX", "13.25"))
def Phim(a): return mp.erfc(a / mp.sqrt(2)) / 2
def phi(a): return mp.exp(-a * a / 2) / mp.sqrt(2 * mp.pi)
def target(a, j):
    v = -a * Phim(a) if kind == 'fwd' else Phim(a) - a * phi(a)
    return v * mp.exp(a * a / 2) if bounds(j)[0] >= NOEXP else v
a0 = mp.findroot(lambda a: Phim(a) - a * phi(a), 0.75)
a0h = float(np.float32(float(a0))); a0l = float(np.float32(float(a0 - a0h)))
CL = a0l if kind == 'bwd' else 0.0
def bounds(j):
    o, k = divmod(j, NPO)
    lo = mp.mpf(2) ** o * (1 + mp.mpf(k) / NPO) - 1
    hi = mp.mpf(2) ** o * (1 + mp.mpf(k + 1) / NPO) - 1
    return lo, min(hi, AMAX)
def center(j, lo, hi):
    if kind == 'fwd' and j == 0: return 0.0, 0.0, True
    if kind == 'bwd' and bounds(j)[1] > a0 - mp.mpf('0.01') and bounds(j)[0] < a0 + mp.mpf('0.01'): return a0h, a0l, True
    # Gal's trick: a center near the midpoint whose value is close to a float32,
    # so that the rounding of c0 costs (almost) nothing.
    mid = f32(float((lo + hi) / 2))
    best = None
    for k in range(4000):
        for sgn in (1, -1):
            c = f32(mid + sgn * k * 2.0 ** -12)
            v = target(mp.mpf(c) + mp.mpf(CL), j)  # = c0 (P(CL) = c0)
            vf = mp.mpf(f32(float(v)))
            _, e = mp.frexp(vf)
            err = abs(v - vf) / mp.ldexp(1, e - 24)
            if best is None or err < best[0]: best = (err, c)
            if err < 1.0 / 128: return c, 0.0, False
    return best[1], 0.0, False
f32 = lambda v: float(np.float32(v))
tabs = [[0.0] * NI for _ in range(deg + 1)]; chs = [0.0] * NI; cls = [0.0] * NI
worst = 0
for j in range(NI):
    if bounds(j)[0] >= AMAX: continue
    lo, hi = bounds(j)
    ch, cl, zero = center(j, lo, hi)
    m = (hi - lo) * mp.mpf('0.002')
    L, H = max(lo - m, mp.mpf(0)), hi + m
    N = 200
    aa = [(L + H) / 2 + (H - L) / 2 * mp.cos(mp.pi * (k + 0.5) / N) for k in range(N)]
    if j == 0: aa = [a for a in aa if a > 0]
    F = np.array([float(target(a, j)) for a in aa])
    T = np.array([float(a - mp.mpf(ch)) for a in aa])  # a - ch is exact in float32
    # basis: t^i, or for zero intervals (t - cl) t^(i-1) (kernel: q t + q (-cl))
    # bwd: every interval uses (t - CL) t^(i-1) for i >= 1, CL = a0 - a0h a global constant (kernel: q t + q (-CL))
    bas = (lambda t, i: t ** i if i == 0 else (t - CL) * t ** (i - 1)) if kind == 'bwd' else (lambda t, i: t ** i)
    k0 = 1 if zero else 0
    c = [0.0] * (deg + 1)
    fixed = {}
    if zero: fixed[0] = 0.0
    if PACK:
        # top two coefficients share one float32 word W: c_d = W, c_(d-1) = bits(W) << 16 (a bf16)
        free = [i for i in range(deg + 1) if i not in fixed]
        A = np.array([[bas(t, i) / f for i in free] for t, f in zip(T, F)])
        rhs = np.array([(f - sum(fixed[i] * bas(t, i) for i in fixed)) / f for t, f in zip(T, F)])
        sol = dict(zip(free, np.linalg.lstsq(A, rhs, rcond=None)[0]))
        b1 = struct.unpack('<I', struct.pack('<f', f32(sol[deg - 1])))[0]
        b1 = ((b1 + 0x8000) >> 16) & 0xFFFF
        b2 = struct.unpack('<I', struct.pack('<f', f32(sol[deg])))[0] & 0xFFFF0000
        fixed[deg - 1] = struct.unpack('<f', struct.pack('<I', b1 << 16))[0]
        fixed[deg] = struct.unpack('<f', struct.pack('<I', b2 | b1))[0]
    for k in range(k0, deg + 1):
        if k in fixed: continue
        free = [i for i in range(deg + 1) if i not in fixed]
        A = np.array([[bas(t, i) / f for i in free] for t, f in zip(T, F)])
        rhs = np.array([(f - sum(fixed[i] * bas(t, i) for i in fixed)) / f for t, f in zip(T, F)])
        sol = np.linalg.lstsq(A, rhs, rcond=None)[0]
        fixed[k] = f32(sol[0])
    c = [fixed[i] for i in range(deg + 1)]
    # exact-arithmetic relative error on a dense grid
    mx = 0
    for k in range(401):
        a = L + (H - L) * k / 400
        if a == 0: continue
        t = a - mp.mpf(ch)
        p = sum(mp.mpf(c[i]) * (((t - mp.mpf(CL)) * t ** (i - 1)) if (kind == 'bwd' and i > 0) else t ** i) for i in range(deg + 1))
        fv = target(a, j)
        mx = max(mx, abs(p - fv) / abs(fv))
    worst = max(worst, mx)
    print("j=%2d [%s, %s] ch=%r cl=%s rel err 2^%.2f" % (j, mp.nstr(lo, 4), mp.nstr(hi, 4), ch, cl, float(mp.log(mx, 2))), file=sys.stderr)
    s = (j + (0x3f800000 >> (23 - MB))) & (NI - 1)
    chs[s] = ch; cls[s] = cl
    for i in range(deg + 1): tabs[i][s] = c[i]
    if kind == 'fwd' and j == 0: tabs[0][s] = -0.0
print("worst rel err 2^%.2f" % float(mp.log(worst, 2)), file=sys.stderr)
P = "kGF" if kind == 'fwd' else "kGB"
def row(name, v): print("alignas(64) static const float %s[%d] = {%s};" % (name, NI, ", ".join(float.hex(x) + "f" for x in v)))
def row_old(name, v): print("alignas(64) static const float %s[16] = {%s};" % (name, ", ".join(float.hex(x) + "f" for x in v)))
row(P + "Ch", chs)
if kind == 'bwd': print("constexpr float kGBMCl = %sf;  // -(a0 - a0h), a0 = zero of f'(-a)" % float.hex(-CL))
for i in range(deg + 1): row(P + "C%d" % i, tabs[i])
