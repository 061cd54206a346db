#!/usr/bin/python3
# Piecewise polynomial tables for the lean mish kernels (src/act/ops_lean_mish-inl.h).
# 32 intervals of width 3/4: n = round(x 4/3) in [-16, 15] (x clamped to <= 11.6),
# nominal centre 0.75 n. Per interval a float centre c (near 0.75 n) chosen so that
# F(c) is within 2^-12 ulp of a float c0 (the value needs no low part), then
#   F(c + r) ~ c0 + r (c1 + r (c2 + ... + r c6)),  r = x - c,
# with float coefficients fitted by weighted least squares on the relative error
# of F, rounded one by one (c1 first), each time refitting the rest.
#   fwd: F = G = tanh(softplus(x))   (mish = x G)
#   bwd: F = mish'(x) = G + x G'     (the two intervals around its zero x0 use c = x0h,
#        c0 = fl(F(x0h)): near x0 the value is c0 + r Q, no cancellation)
# usage: mish_table.py DEG fwd|bwd  -> prints C++ tables and per-interval max relative error (log2).
import sys, random
import numpy as np
import mpmath as mp
mp.mp.dps = 40
DEG = int(sys.argv[1]) if len(sys.argv) > 1 else 6
XMAX = 11.6
X0 = -1.1924316268  # zero of mish' (refined below)
SC = float(np.float32(2 / 1.19243162682))  # grid scale: n = round(SC x), x0 = -2 / SC is a centre
HW = 0.5 / SC
PAIR = 0
BIGN = {'fwd': 12, 'bwd': 15}
X0H = float.fromhex("-0x1.31432cp+0")

def G(x):
    x = mp.mpf(x)
    return mp.tanh(mp.log1p(mp.exp(x)))

def D(x):
    x = mp.mpf(x)
    sp = mp.log1p(mp.exp(x))
    t = mp.tanh(sp)
    return t + x * (1 - t * t) / (1 + mp.exp(-x))

f32 = np.float32

def ulp32(v):
    v = abs(float(v))
    if v == 0: return 2.0 ** -149
    e = mp.floor(mp.log(v, 2))
    return float(mp.mpf(2) ** (max(int(e), -126) - 23))

def pick_centre(F, nominal, rad, sign=0, tries=20000):
    rng = random.Random(int(nominal * 1000) + 7)
    best = None
    for i in range(tries):
        off = rng.uniform(-rad, rad)
        if sign < 0: off = -abs(off) - 1e-4
        c = float(f32(nominal + off))
        if sign < 0 and not c < 0: continue
        v = F(c)
        c0 = float(f32(float(v)))
        e = abs(float(v - c0)) / ulp32(c0)
        if best is None or e < best[2]:
            best = (c, c0, e)
        if e < 2 ** -12: break
    return best

def fit(F, c, c0, rlo, rhi, deg=DEG, npts=240):
    k = np.arange(npts)
    rs = (rlo + rhi) / 2 + (rhi - rlo) / 2 * np.cos(np.pi * (k + 0.5) / npts)
    rs = np.concatenate([rs, [rlo, rhi]])
    Fc = F(c) if rlo <= 0 <= rhi else mp.mpf(c0)
    Fv = [F(mp.mpf(c) + mp.mpf(r)) for r in rs]
    Q = np.array([float((fv - Fc) / r) if r != 0 else 0.0 for fv, r in zip(Fv, rs)])
    Fd = np.array([float(fv) for fv in Fv])
    w = np.abs(rs / Fd)
    coefs = []; lows = []
    tgt = Q.copy()
    for j in range(deg):  # c_{j+1}
        m = deg - j
        A = np.stack([rs ** i for i in range(m)], axis=1) * w[:, None]
        sol, *_ = np.linalg.lstsq(A, tgt * w, rcond=None)
        if j == 0 and PAIR:
            ch = float(f32(sol[0])); cl = float(f32(sol[0] - ch))
            coefs.append(ch); lows.append(cl); cj = ch + cl
        else:
            cj = float(f32(sol[0]))
            coefs.append(cj)
        tgt = (tgt - cj) / np.where(rs == 0, 1, rs)
        # keep the weight consistent: remaining error scaled by r^(j+1)
        w = w * np.abs(rs)
    # check: relative error with exact evaluation of float coefficients
    chk = np.linspace(rlo, rhi, 2001)
    mx = 0.0
    for r in chk:
        rr = mp.mpf(float(r))
        q = mp.mpf(0)
        for cj in reversed(coefs): q = q * rr + cj
        if lows: q += lows[0]
        val = c0 + rr * q
        fv = F(mp.mpf(c) + rr)
        if fv != 0: mx = max(mx, abs(float((val - fv) / fv)))
    return coefs, lows, mx

def table(F, kind):
    rows = []
    for idx in range(32):
        n = idx if idx < 16 else idx - 32
        nom = n / SC
        lo, hi = nom - HW - 1e-3, nom + HW + 1e-3
        if n == 15: hi = XMAX
        if n >= BIGN[kind]:
            # c0 = 1 (bwd) or 1 - 2^-24 (fwd: then P = G - c0 > 0 at the clamp 11.6, so
            # x = +inf gives inf + inf, not inf - inf); r = x - 16 < 0 never vanishes.
            c = 16.0; c0 = 1.0 if kind == 'bwd' else 1.0 - 2.0 ** -24; e = 0.0
        elif kind == 'bwd' and n == -2:
            c = X0H; c0 = float(f32(float(F(c)))); e = 0.0
        elif n == 0:
            c, c0, e = pick_centre(F, -0.004, 0.0035, sign=-1 if kind == 'fwd' else 0)
        else:
            c, c0, e = pick_centre(F, nom, 0.004 if abs(n) == 1 else 0.008)
        coefs, lows, mx = fit(F, c, c0, lo - c, hi - c)
        rows.append((c, c0, coefs, mx, e, lows))
        print(f"// {kind} n={n:3d} c={c:.6f} c0 off {e:.2e} ulp  max rel err 2^{np.log2(mx) if mx > 0 else -99:.1f}", file=sys.stderr)
    return rows

def emit(name, rows):
    def arr(vals):
        return ", ".join(float(v).hex().replace("0x1.", "0x1.") + "f" if v != 0 else "0.0f" for v in vals)
    print(f"alignas(64) inline constexpr float {name}C[32] = {{{arr([r[0] for r in rows])}}};")
    print(f"alignas(64) inline constexpr float {name}P[{DEG + 1 + PAIR}][32] = {{  // c0, c1{', c1 low' if PAIR else ''}, c2, ..")
    print(f"    {{{arr([r[1] for r in rows])}}},")
    for j in range(DEG):
        print(f"    {{{arr([r[2][j] for r in rows])}}},")
        if j == 0 and PAIR: print(f"    {{{arr([r[5][0] for r in rows])}}},")
    print("};")

if __name__ == "__main__":
    which = sys.argv[2] if len(sys.argv) > 2 else "both"
    print(f"// grid scale {SC.hex()} ({SC!r}); n = -16 interval lower end {(-16.5 / SC)!r}")
    if which in ("fwd", "both"):
        PAIR = 0
        emit("kMishF", table(G, 'fwd'))
    if which in ("bwd", "both"):
        PAIR = 1
        emit("kMishB", table(D, 'bwd'))
