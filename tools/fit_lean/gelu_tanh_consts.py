#!/usr/bin/python3
# Exact-exp constants of the forward (GeluTanhQFwd): v = w log2(e) = a (K1 + K3 a^2),
# K1 = 2 sqrt(2/pi) log2(e) = kGtQK1h + kGtQK1l with kGtQK1h a multiple of 2^-20 (so that fma(K3h, a^2, K1h) - K1h
# is exact for a <= 9.9: the sum stays below 16), K3 = 0.044715 K1 = kGtQK3h + kGtQK3l.
import mpmath as mp, numpy as np
mp.mp.dps = 50
f32 = lambda v: float(np.float32(float(v)))
c1 = 2 * mp.sqrt(2 / mp.pi); c3 = c1 * mp.mpf('0.044715'); L2E = 1 / mp.log(2)
k1 = c1 * L2E; k3 = c3 * L2E
K1h = mp.nint(k1 * 2**20) / 2**20; K1l = f32(k1 - K1h); K3h = f32(k3); K3l = f32(k3 - K3h)
def hexf(v):
    h = float.hex(float(v)); m, e = h.split('p'); m = m.rstrip('0').rstrip('.'); return m + 'p' + e + 'f'
for n, v in [('kGtQK1h', K1h), ('kGtQK1l', K1l), ('kGtQK3h', K3h), ('kGtQK3l', K3l)]:
    print("constexpr float %s = %s;" % (n, hexf(v)))
print("// relative error of the pairs: K1 %.2g, K3 %.2g" % (float((K1h + K1l - k1) / k1), float((K3h + K3l - k3) / k3)))
