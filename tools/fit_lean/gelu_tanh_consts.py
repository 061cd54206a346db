#!/usr/bin/python3
# constants for gelutanh-inl.h: c1 = 2 sqrt(2/pi) split with c1h a multiple of 2^-19 (so A - c1h is exact
# for A = fma(c, x^2, c1h) < 32), c3 = c1 * 0.044715 and 3 c3 as float pairs.
import mpmath as mp, numpy as np
mp.mp.dps = 40
def f32(v): return float(np.float32(float(v)))
def hexf(v):
    h = float.hex(float(v)); m, e = h.split('p'); m = m.rstrip('0').rstrip('.'); return m + 'p' + e + 'f'
c1 = 2*mp.sqrt(2/mp.pi); c3 = c1*mp.mpf('0.044715')
c1h = mp.nint(c1*2**19)/2**19; c1l = f32(c1-c1h)
c3h = f32(c3); c3l = f32(c3-c3h); d3h = f32(3*c3); d3l = f32(3*c3-d3h)
for n,v in [('kC1h',c1h),('kC1l',c1l),('kC3h',c3h),('kC3l',c3l),('kD3h',d3h),('kD3l',d3l)]:
    print(f"constexpr float {n} = {hexf(v)};")
