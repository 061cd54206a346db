// Lean float32 mish kernels for AVX-512, forward and backward, as piecewise
// polynomials (per SIMD target; included from ops-inl.h, picked with `Pick`).
// Compiled only on the AVX-512 targets: elsewhere the two structs are
// declared and never used. Designed in the prototype harness
// (tools/lean_proto/) by a second developer; they replaced exp + rational
// kernels of ~36 and ~75 operations.
//
// GRID (both kernels): n = round(SC x) with SC = 0x1.ad5feep+0 = 2 / |x0| (x0 =
// -1.19243 the zero of mish'), from the bits of fma(min(x, 9.2), SC, 1.5 2^23):
// the low 5 bits index 32 intervals of width 1/SC = 0.596 (n in [-16, 15],
// x in [-9.84, 9.24]), and vpermt2ps picks per lane the interval's centre c and
// coefficients from 32-entry tables (two registers each). With r = xc - c:
//   F(x) = c0 + r (c1 + r (c2 + ... ))   (tools/fit_lean/mish_table.py, mpmath)
// Each centre c is a float chosen near the nominal n / SC so that F(c) is
// within 2^-12 ulp of the float c0 (no low part needed). The last intervals
// (x > 6.9 forward, n = 15 backward) use c = 16, c0 = 1 (- 2^-24 forward): then
// r = xc - 16 never vanishes and only F - c0 (tiny) is fitted. Fitted
// relative error of F: <= 2^-27.0 (forward, degree 6), <= 2^-26.2 (backward,
// degree 7, c1 as a float pair).
// Tail x < -9.83 (below the grid; ~0.5% of N(0, 3) vectors): a branch,
// u = e^x = s (1 + p) (ExpParts, 16-entry table).
//
// FORWARD  mish(x) = x F(x), F = tanh(softplus(x)), degree 6, xc = min(x, 9.2)
// (x F(9.2) rounds to x for every x > 9.2): f = x fl(c0 + r q). (The
// alternative f = fma(x, c0, x (r q)) is 1.06 ulp at step 97 but ~4% slower.)
// Tail: f = x u (1 - u/2) (+ O(u^4)) = K + (Kl + K p - (x u)(u/2)), K + Kl = x s exact.
// Measured over all 2^32 floats (x >= -87; rare lanes from the reference):
// max 1.6033 ulp at x = -0x1.e73bcp-3 (-0.237906933), > 1 ulp: 34140893,
// > 2 ulp: 0.
// Specials: +-0 -> +-0, denormals x F, +inf -> +inf (F(9.2) > 0), NaN -> NaN
// (x F), -inf and x < -87: rare (MishFwd2Rare, one compare, as before).
// ~20 vector ops (old kernel ~36): 1 min, 1 fma index, 8 vpermt2ps, 1 sub,
// 6 fma, 1 mul, tail compare + kortest.
//
// BACKWARD f'(x) = F + x F', F' = sech^2(softplus x) sigmoid(x), degree 7 with c1 as
// a pair (c1h, c1l). xc = min(x, 11.6) (f' -> 1 needs x up to ~11; the index
// still from min(x, 9.2)). Next to the zero of f' c0 and the rest cancel (up to
// |r Q| / |f'| ~ 2.4 at x = -0.894), so the value is formed as an exact pair
// before dy enters (Mish2BwdPair): S = c0 + ph by 2Sum, ph + pl = r c1h exact,
// lo = (2Sum error + pl) + r (c1l + r Q2); dx = fma(dy, S, dy lo). (The cheaper
// dx = fma(dy, c0, dy (r Q)) is 1.30 ulp with dy = 1 but 2.68 ulp with
// random dy: dy P rounds a term larger than the result.)
// The zero x0 = -1.19243 of f' is the centre of interval n = -2, with c =
// x0h = -0x1.31432cp+0 (the float nearest x0) and c0 = fl(f'(x0h)) (~1e-9): near
// x0 the value is c0 + r Q with r = x - x0h exact: no zone branch.
// Tail: f' = u (1 + x) - u^2 (x + 1/2) (+ O(u^3)); 1 + x and x + 1/2 exact there;
// K + Kl = (1 + x) s exact, corr = Kl + K p - u (u (x + 1/2)), dx = fma(dy, K, dy corr).
// Measured over all 2^32 floats (x >= -87; rare lanes from the reference), dy = 1:
// max 1.1625 ulp at x = -0x1.7d57c6p+0 (-1.48962057), > 1 ulp: 320, > 2 ulp: 0 Random dy in [-4, 4] (2^22 x in
// [-9.8, 9.3] / [-1.6, -0.8]): max 1.04 / 1.23 ulp.
// Specials: +-0 -> 0.6, +inf -> 1 (xc clamped, c0 = 1), huge x -> 1; NaN, -inf,
// x < -87: rare (MishBwd2Rare, one compare _CMP_NGE_UQ, as before).
// ~34 vector ops (old kernel ~75): 2 min, 1 fma index, 10 vpermt2ps, 1 sub,
// 6 fma (Horner), 2 (r c1h pair), 6 (2Sum), 2 (lo), dy lo, final fma, tail
// compare + kortest.
//
// Speed (1 thread, x ~ N(0, 3), min of 300 round-robin trials, library-shaped
// loop = the real Hybrid<> with its inline float64 rare path):
// forward 3.40 Gelem/s = 1.32-1.33x oneDNN at 2^20 (1.33-2.0x at 2^14), 1.41x the
// old kernel; backward 2.17-2.20 Gelem/s = 1.82-1.97x oneDNN, 2.1x the old kernel.
// The tables need 16 (forward) / 20 (backward) zmm registers: GCC keeps them in
// registers in that loop and in call-free loops; with an out-of-line call in the
// loop body it reloads every table each iteration (17-21 loads per vector) and
// the forward drops to ~1.05x the old kernel.

#if defined(ACTLAB_OPS_LEAN_MISH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_OPS_LEAN_MISH_INL_H_
#undef ACTLAB_OPS_LEAN_MISH_INL_H_
#else
#define ACTLAB_OPS_LEAN_MISH_INL_H_
#endif

#include "actlab/act/catalogue.hpp"
#include "hwy/highway.h"
#include "src/act/vlean32-inl.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace lean {

#if HWY_TARGET <= HWY_AVX3
// forward: tools/fit_lean/mish_table.py 6 fwd (centre C, then c0 .. c6)
// grid scale 0x1.ad5fee0000000p+0 (1.677245020866394); n = -16 interval lower end -9.837560877943043
alignas(64) inline constexpr float kMish2FC[32] = {-0x1.75be2a0000000p-8f, 0x1.319f400000000p-1f, 0x1.315c460000000p+0f, 0x1.ca3b860000000p+0f, 0x1.314d860000000p+1f, 0x1.7cabda0000000p+1f, 0x1.ca38f60000000p+1f, 0x1.0b86e20000000p+2f, 0x1.3176fe0000000p+2f, 0x1.57a3a60000000p+2f, 0x1.7de74c0000000p+2f, 0x1.a3e0840000000p+2f, 0x1.0000000000000p+4f, 0x1.0000000000000p+4f, 0x1.0000000000000p+4f, 0x1.0000000000000p+4f, -0x1.316d660000000p+3f, -0x1.1def020000000p+3f, -0x1.0b17200000000p+3f, -0x1.efe9940000000p+2f, -0x1.ca48ae0000000p+2f, -0x1.a3462e0000000p+2f, -0x1.7db7b40000000p+2f, -0x1.5749680000000p+2f, -0x1.3136a20000000p+2f, -0x1.0aa6240000000p+2f, -0x1.ca57fe0000000p+1f, -0x1.7e753e0000000p+1f, -0x1.30f01e0000000p+1f, -0x1.cb82f60000000p+0f, -0x1.3214860000000p+0f, -0x1.3106f60000000p-1f};
alignas(64) inline constexpr float kMish2FP[7][32] = {  // c0, c1, c2, ..
    {0x1.3243f00000000p-1f, 0x1.8d5d920000000p-1f, 0x1.cb601a0000000p-1f, 0x1.eb75580000000p-1f, 0x1.f8c5ca0000000p-1f, 0x1.fd95ea0000000p-1f, 0x1.ff3f4a0000000p-1f, 0x1.ffc4820000000p-1f, 0x1.ffed920000000p-1f, 0x1.fffa5e0000000p-1f, 0x1.fffe4a0000000p-1f, 0x1.ffff7a0000000p-1f, 0x1.fffffe0000000p-1f, 0x1.fffffe0000000p-1f, 0x1.fffffe0000000p-1f, 0x1.fffffe0000000p-1f, 0x1.2c3ea60000000p-14f, 0x1.140e040000000p-13f, 0x1.f167020000000p-13f, 0x1.c42ff20000000p-12f, 0x1.96f6820000000p-11f, 0x1.7631da0000000p-10f, 0x1.50421e0000000p-9f, 0x1.322cb00000000p-8f, 0x1.14fe620000000p-7f, 0x1.f83b100000000p-7f, 0x1.c1fe1a0000000p-6f, 0x1.92692c0000000p-5f, 0x1.68d0100000000p-4f, 0x1.384ee80000000p-3f, 0x1.08826a0000000p-2f, 0x1.a6b7ac0000000p-2f},
    {0x1.47dcb80000000p-2f, 0x1.06a0ae0000000p-2f, 0x1.32685e0000000p-3f, 0x1.13fdea0000000p-4f, 0x1.a490b80000000p-6f, 0x1.2553600000000p-7f, 0x1.76b1400000000p-9f, 0x1.d4a9240000000p-11f, 0x1.2461d20000000p-12f, 0x1.66d2460000000p-14f, 0x1.b4e1000000000p-16f, 0x1.0b9efc0000000p-17f, 0x1.02d34c0000000p-16f, -0x1.123bc80000000p-12f, -0x1.db9f000000000p-15f, -0x1.7addea0000000p-21f, 0x1.2c3be60000000p-14f, 0x1.14095e0000000p-13f, 0x1.f157e80000000p-13f, 0x1.c416fa0000000p-12f, 0x1.96ce0c0000000p-11f, 0x1.75ed620000000p-10f, 0x1.4fd36a0000000p-9f, 0x1.3174be0000000p-8f, 0x1.13d0260000000p-7f, 0x1.f44aae0000000p-7f, 0x1.bba4f60000000p-6f, 0x1.880c1a0000000p-5f, 0x1.578c9a0000000p-4f, 0x1.1cfba80000000p-3f, 0x1.bbeb4a0000000p-3f, 0x1.2dd6f00000000p-2f},
    {-0x1.f294600000000p-7f, -0x1.5357360000000p-4f, -0x1.5e88de0000000p-4f, -0x1.9e8afc0000000p-5f, -0x1.69f1440000000p-6f, -0x1.0e9eb00000000p-7f, -0x1.66e97a0000000p-9f, -0x1.c9dc1c0000000p-11f, -0x1.20a9f40000000p-12f, -0x1.644fa20000000p-14f, -0x1.b332fc0000000p-16f, -0x1.0b0d7c0000000p-17f, -0x1.94a5ae0000000p-16f, -0x1.5dfe440000000p-13f, -0x1.48149e0000000p-15f, -0x1.51c1de0000000p-21f, 0x1.2c36640000000p-15f, 0x1.1400100000000p-14f, 0x1.f139b20000000p-14f, 0x1.c3e5080000000p-13f, 0x1.967d1e0000000p-12f, 0x1.75646e0000000p-11f, 0x1.4ef6020000000p-10f, 0x1.3004dc0000000p-9f, 0x1.1173be0000000p-8f, 0x1.ec6a9e0000000p-8f, 0x1.aef6440000000p-7f, 0x1.73644c0000000p-6f, 0x1.3564880000000p-5f, 0x1.d000380000000p-5f, 0x1.1f8d660000000p-4f, 0x1.a82e180000000p-5f},
    {-0x1.77937c0000000p-5f, -0x1.5cad8c0000000p-6f, 0x1.d9d9c20000000p-7f, 0x1.48015a0000000p-6f, 0x1.789a2a0000000p-7f, 0x1.3db67e0000000p-8f, 0x1.bfce680000000p-10f, 0x1.26916e0000000p-11f, 0x1.79778a0000000p-13f, 0x1.d606e60000000p-15f, 0x1.206b780000000p-16f, 0x1.62e3a80000000p-18f, -0x1.cb987e0000000p-17f, -0x1.6663b80000000p-15f, -0x1.6b5f500000000p-17f, -0x1.f064860000000p-23f, 0x1.9038fa0000000p-17f, 0x1.6fe5ce0000000p-16f, 0x1.4b52b80000000p-15f, 0x1.2d00160000000p-14f, 0x1.0e91280000000p-13f, 0x1.f06dec0000000p-13f, 0x1.bc4e9c0000000p-12f, 0x1.9186560000000p-11f, 0x1.664de00000000p-10f, 0x1.3dc8c60000000p-9f, 0x1.0e6fea0000000p-8f, 0x1.b87df80000000p-8f, 0x1.4355b40000000p-7f, 0x1.605ffa0000000p-7f, 0x1.ca8ffa0000000p-10f, -0x1.95eb2c0000000p-6f},
    {-0x1.3607400000000p-11f, 0x1.213ef80000000p-6f, 0x1.235cac0000000p-7f, -0x1.3c1da00000000p-9f, -0x1.ddd53a0000000p-9f, -0x1.0187860000000p-9f, -0x1.9362ec0000000p-11f, -0x1.16e2640000000p-12f, -0x1.6e82560000000p-14f, -0x1.ce8ece0000000p-16f, -0x1.1de5300000000p-17f, -0x1.6130220000000p-19f, -0x1.5b882a0000000p-19f, -0x1.70329e0000000p-18f, -0x1.9400d60000000p-20f, -0x1.6f65860000000p-25f, 0x1.901e080000000p-19f, 0x1.6fb3b80000000p-18f, 0x1.4b02ce0000000p-17f, 0x1.2c7bfc0000000p-16f, 0x1.0db84e0000000p-15f, 0x1.ed9fb60000000p-15f, 0x1.b7b4200000000p-14f, 0x1.89deb80000000p-13f, 0x1.59b5960000000p-12f, 0x1.28d41c0000000p-11f, 0x1.d9ac4a0000000p-11f, 0x1.4c868a0000000p-10f, 0x1.2ff7c40000000p-10f, -0x1.e9448c0000000p-11f, -0x1.e1db6c0000000p-8f, -0x1.b3b7ae0000000p-7f},
    {0x1.f193de0000000p-8f, 0x1.9785f60000000p-10f, -0x1.4cefb00000000p-8f, -0x1.e0b48a0000000p-10f, 0x1.b568800000000p-12f, 0x1.18554a0000000p-11f, 0x1.118cf80000000p-12f, 0x1.9dccb00000000p-14f, 0x1.1bc1aa0000000p-15f, 0x1.6e1ec80000000p-17f, 0x1.ca004e0000000p-19f, 0x1.1ca2f60000000p-20f, -0x1.c8700c0000000p-23f, -0x1.7bb85a0000000p-22f, -0x1.c32df80000000p-24f, -0x1.10e6600000000p-28f, 0x1.411c360000000p-21f, 0x1.274bc60000000p-20f, 0x1.0954ea0000000p-19f, 0x1.e0e92a0000000p-19f, 0x1.aedd4c0000000p-18f, 0x1.873d200000000p-17f, 0x1.5944ce0000000p-16f, 0x1.2fa5700000000p-15f, 0x1.014c220000000p-14f, 0x1.9828f20000000p-14f, 0x1.0ee5da0000000p-13f, 0x1.78a63a0000000p-14f, -0x1.10162a0000000p-12f, -0x1.5f70140000000p-10f, -0x1.694cde0000000p-9f, 0x1.2bf2560000000p-12f},
    {0x1.b618500000000p-11f, -0x1.a8afec0000000p-9f, 0x1.f0a4c60000000p-16f, 0x1.18e7660000000p-10f, 0x1.d577700000000p-13f, -0x1.273aa40000000p-14f, -0x1.0c74600000000p-14f, -0x1.e2c93a0000000p-16f, -0x1.61122e0000000p-17f, -0x1.d7981c0000000p-19f, -0x1.2cf2500000000p-20f, -0x1.77ccf80000000p-22f, -0x1.beef040000000p-28f, -0x1.3ab27c0000000p-27f, -0x1.953ee80000000p-29f, -0x1.459d2c0000000p-33f, 0x1.a9b81a0000000p-24f, 0x1.89c8c00000000p-23f, 0x1.5fc60a0000000p-22f, 0x1.3d33aa0000000p-21f, 0x1.1cde240000000p-20f, 0x1.f02d160000000p-20f, 0x1.b63ac00000000p-19f, 0x1.71c1260000000p-18f, 0x1.2430ca0000000p-17f, 0x1.6d14520000000p-17f, 0x1.3b87fc0000000p-18f, -0x1.3347f40000000p-15f, -0x1.76c71a0000000p-13f, -0x1.c9bcce0000000p-12f, -0x1.0a9adc0000000p-13f, 0x1.06d44a0000000p-9f},
};
// backward: tools/fit_lean/mish_table.py 7 bwd (centre C, then c0, c1, c1 low, c2 .. c7)
// grid scale 0x1.ad5fee0000000p+0 (1.677245020866394); n = -16 interval lower end -9.837560877943043
alignas(64) inline constexpr float kMish2BC[32] = {-0x1.5b5c1e0000000p-8f, 0x1.3306c40000000p-1f, 0x1.2fffee0000000p+0f, 0x1.cabe120000000p+0f, 0x1.31a4880000000p+1f, 0x1.7cf21e0000000p+1f, 0x1.ca3ada0000000p+1f, 0x1.0a9d640000000p+2f, 0x1.318e2e0000000p+2f, 0x1.5786220000000p+2f, 0x1.7d94160000000p+2f, 0x1.a33b160000000p+2f, 0x1.ca65f80000000p+2f, 0x1.f00eee0000000p+2f, 0x1.0add780000000p+3f, 0x1.0000000000000p+4f, -0x1.3178f20000000p+3f, -0x1.1e59500000000p+3f, -0x1.0af74a0000000p+3f, -0x1.efaf040000000p+2f, -0x1.c9997e0000000p+2f, -0x1.a3508e0000000p+2f, -0x1.7d342c0000000p+2f, -0x1.56ebb80000000p+2f, -0x1.313f2a0000000p+2f, -0x1.0b7b080000000p+2f, -0x1.ca95540000000p+1f, -0x1.7cc3c00000000p+1f, -0x1.30c20a0000000p+1f, -0x1.cb53440000000p+0f, -0x1.31432c0000000p+0f, -0x1.31fe540000000p-1f};
alignas(64) inline constexpr float kMish2BP[9][32] = {  // c0, c1, c1 low, c2, ..
    {0x1.3176680000000p-1f, 0x1.dc54580000000p-1f, 0x1.133e260000000p+0f, 0x1.1494e20000000p+0f, 0x1.0c05fe0000000p+0f, 0x1.0597460000000p+0f, 0x1.023e440000000p+0f, 0x1.00dc580000000p+0f, 0x1.004dd00000000p+0f, 0x1.001b600000000p+0f, 0x1.00096a0000000p+0f, 0x1.00033a0000000p+0f, 0x1.00010c0000000p+0f, 0x1.00005a0000000p+0f, 0x1.00001e0000000p+0f, 0x1.0000000000000p+0f, -0x1.4045bc0000000p-11f, -0x1.0eb7f20000000p-10f, -0x1.ca3fc80000000p-10f, -0x1.7e85fe0000000p-9f, -0x1.3c11e60000000p-8f, -0x1.034c620000000p-7f, -0x1.a359820000000p-7f, -0x1.4e85c80000000p-6f, -0x1.037d2e0000000p-5f, -0x1.87a43c0000000p-5f, -0x1.1c58ba0000000p-4f, -0x1.82a6f00000000p-4f, -0x1.c9b4400000000p-4f, -0x1.8e3aee0000000p-4f, 0x1.beb7740000000p-31f, 0x1.e3c02c0000000p-3f},
    {0x1.47eebe0000000p-1f, 0x1.a65d600000000p-2f, 0x1.8e58600000000p-4f, -0x1.7d82fa0000000p-5f, -0x1.ba09300000000p-5f, -0x1.fe32ec0000000p-6f, -0x1.c70b220000000p-7f, -0x1.71aab60000000p-8f, -0x1.0eb1fe0000000p-9f, -0x1.85cf900000000p-11f, -0x1.1077b00000000p-12f, -0x1.79f4b20000000p-14f, -0x1.ef220e0000000p-16f, -0x1.4eeff40000000p-17f, -0x1.c1368e0000000p-19f, -0x1.a27ef60000000p-17f, -0x1.1ac5940000000p-11f, -0x1.d93e240000000p-11f, -0x1.8bb8fe0000000p-10f, -0x1.45a1ca0000000p-9f, -0x1.0867960000000p-8f, -0x1.a85da20000000p-8f, -0x1.4d84f80000000p-7f, -0x1.ffea280000000p-7f, -0x1.781b9c0000000p-6f, -0x1.0519a80000000p-5f, -0x1.47cd6a0000000p-5f, -0x1.43dff00000000p-5f, -0x1.8bdca60000000p-7f, 0x1.33bbec0000000p-4f, 0x1.115acc0000000p-2f, 0x1.0ddd6a0000000p-1f},
    {0x1.7d7e440000000p-26f, -0x1.7465700000000p-30f, -0x1.a9f7600000000p-30f, 0x1.da8fd40000000p-33f, 0x1.cb57a80000000p-35f, -0x1.b0e0120000000p-31f, 0x1.597bea0000000p-32f, -0x1.dece3c0000000p-36f, 0x1.e554520000000p-34f, -0x1.e05bde0000000p-36f, 0x1.61d2020000000p-37f, -0x1.3ed07e0000000p-39f, 0x1.a93b7a0000000p-41f, -0x1.3805460000000p-44f, -0x1.58a7bc0000000p-44f, 0x1.5968cc0000000p-42f, 0x1.f595ec0000000p-36f, -0x1.4fd6240000000p-37f, -0x1.b2e18c0000000p-37f, 0x1.128f060000000p-34f, 0x1.8330380000000p-34f, -0x1.f37bda0000000p-34f, 0x1.c016ce0000000p-32f, -0x1.3a5e820000000p-32f, 0x1.92bd060000000p-32f, 0x1.a716520000000p-30f, -0x1.834d500000000p-30f, -0x1.a99b220000000p-32f, 0x1.a8723c0000000p-33f, 0x1.11a5ac0000000p-29f, -0x1.3af3b80000000p-27f, -0x1.de1b020000000p-28f},
    {-0x1.7152dc0000000p-5f, -0x1.25e3480000000p-2f, -0x1.a70d7a0000000p-3f, -0x1.67ef540000000p-5f, 0x1.06e6040000000p-6f, 0x1.2e4ab60000000p-6f, 0x1.4bf8a60000000p-7f, 0x1.284eba0000000p-8f, 0x1.ca1ea40000000p-10f, 0x1.54af600000000p-11f, 0x1.e69ada0000000p-13f, 0x1.569ade0000000p-14f, 0x1.c60a900000000p-16f, 0x1.35c9a60000000p-17f, 0x1.a25b620000000p-19f, -0x1.d571600000000p-17f, -0x1.ea812a0000000p-13f, -0x1.94fdc80000000p-12f, -0x1.4d1bf80000000p-11f, -0x1.0c9c9a0000000p-10f, -0x1.a91a6c0000000p-10f, -0x1.4997fa0000000p-9f, -0x1.eddc100000000p-9f, -0x1.60b51c0000000p-8f, -0x1.cd20a00000000p-8f, -0x1.fd641e0000000p-8f, -0x1.40aa580000000p-8f, 0x1.0d92300000000p-7f, 0x1.5f779a0000000p-5f, 0x1.cb44d80000000p-4f, 0x1.a34a300000000p-3f, 0x1.9995b40000000p-3f},
    {-0x1.77a1240000000p-3f, -0x1.579eaa0000000p-5f, 0x1.9987640000000p-4f, 0x1.0051b20000000p-4f, 0x1.6a2dbc0000000p-7f, -0x1.05f64e0000000p-8f, -0x1.1235120000000p-8f, -0x1.25b8560000000p-9f, -0x1.f02dae0000000p-11f, -0x1.831a1c0000000p-12f, -0x1.1cd3980000000p-13f, -0x1.991bbc0000000p-15f, -0x1.13172a0000000p-16f, -0x1.7b5ad20000000p-18f, -0x1.02457a0000000p-19f, -0x1.b6619c0000000p-18f, -0x1.14ee260000000p-14f, -0x1.c0d89e0000000p-14f, -0x1.6873080000000p-13f, -0x1.19cfa80000000p-12f, -0x1.aba2d00000000p-12f, -0x1.37d4a20000000p-11f, -0x1.a81c480000000p-11f, -0x1.faddb80000000p-11f, -0x1.af3b8e0000000p-11f, 0x1.d079500000000p-13f, 0x1.d1389e0000000p-9f, 0x1.88dd0e0000000p-7f, 0x1.d266960000000p-6f, 0x1.976bee0000000p-5f, 0x1.574edc0000000p-5f, -0x1.11f67a0000000p-4f},
    {-0x1.942e560000000p-9f, 0x1.7c44ce0000000p-4f, 0x1.d20ac00000000p-7f, -0x1.ce4fc00000000p-6f, -0x1.a6d3820000000p-7f, -0x1.dbe0f40000000p-10f, 0x1.a1b4a40000000p-11f, 0x1.7999100000000p-11f, 0x1.7930360000000p-12f, 0x1.3dd6fe0000000p-13f, 0x1.e8a5ce0000000p-15f, 0x1.68a1160000000p-16f, 0x1.ee5ea00000000p-18f, 0x1.596a5e0000000p-19f, 0x1.db12f20000000p-21f, -0x1.b498040000000p-20f, -0x1.c58a3c0000000p-17f, -0x1.6571200000000p-16f, -0x1.145f640000000p-15f, -0x1.99d7de0000000p-15f, -0x1.1ee77c0000000p-14f, -0x1.6c0d3e0000000p-14f, -0x1.6ff8400000000p-14f, -0x1.d676e60000000p-16f, 0x1.8ee9c60000000p-13f, 0x1.9b1bb00000000p-11f, 0x1.1e8af80000000p-9f, 0x1.49a52a0000000p-8f, 0x1.203ada0000000p-7f, 0x1.dc8fd40000000p-8f, -0x1.4c3fa60000000p-6f, -0x1.12908e0000000p-4f},
    {0x1.7e6bca0000000p-5f, -0x1.8638760000000p-9f, -0x1.fa97b60000000p-6f, 0x1.c1c0560000000p-11f, 0x1.7762700000000p-8f, 0x1.fa08aa0000000p-10f, 0x1.7f0fca0000000p-13f, -0x1.037aaa0000000p-13f, -0x1.9555020000000p-14f, -0x1.8984620000000p-15f, -0x1.4432020000000p-16f, -0x1.f1dd5e0000000p-18f, -0x1.5e30e80000000p-19f, -0x1.f1e3f40000000p-21f, -0x1.5ac3fe0000000p-22f, -0x1.e9a5ea0000000p-23f, -0x1.1a50b40000000p-19f, -0x1.a8e2140000000p-19f, -0x1.329f100000000p-18f, -0x1.96a4b20000000p-18f, -0x1.cb2eec0000000p-18f, -0x1.36888c0000000p-18f, 0x1.a297ee0000000p-18f, 0x1.483e980000000p-15f, 0x1.fad32c0000000p-14f, 0x1.3f93080000000p-12f, 0x1.5fabe80000000p-11f, 0x1.3b34160000000p-10f, 0x1.12424a0000000p-10f, -0x1.ade16a0000000p-9f, -0x1.032f140000000p-6f, -0x1.9808f20000000p-8f},
    {0x1.841f4c0000000p-8f, -0x1.6bb9320000000p-6f, 0x1.bf122c0000000p-8f, 0x1.5b34420000000p-8f, -0x1.cb1e300000000p-11f, -0x1.b632d80000000p-11f, -0x1.bd75520000000p-13f, -0x1.f4e3220000000p-17f, 0x1.0636820000000p-16f, 0x1.6cf5ac0000000p-17f, 0x1.55b0c20000000p-18f, 0x1.1796960000000p-19f, 0x1.98f37c0000000p-21f, 0x1.2992100000000p-22f, 0x1.a595de0000000p-24f, -0x1.25a5180000000p-26f, -0x1.0d15cc0000000p-22f, -0x1.72eaec0000000p-22f, -0x1.bea99a0000000p-22f, -0x1.8ad6480000000p-22f, 0x1.e0c1fc0000000p-25f, 0x1.82bc000000000p-20f, 0x1.5f5b9c0000000p-18f, 0x1.e638620000000p-17f, 0x1.219d6a0000000p-15f, 0x1.34e5480000000p-14f, 0x1.14f2320000000p-13f, 0x1.0803680000000p-13f, -0x1.988bda0000000p-12f, -0x1.3bac2a0000000p-9f, -0x1.a421480000000p-9f, 0x1.84529c0000000p-7f},
    {-0x1.3bf7820000000p-7f, 0x1.7efb660000000p-9f, 0x1.1b653a0000000p-8f, -0x1.44da040000000p-9f, -0x1.c1d4d80000000p-12f, 0x1.8ae07a0000000p-13f, 0x1.799cd80000000p-14f, 0x1.38b1020000000p-16f, 0x1.d524d20000000p-22f, -0x1.be36a40000000p-20f, -0x1.170d5e0000000p-20f, -0x1.f636600000000p-22f, -0x1.8f3d3e0000000p-23f, -0x1.283cb20000000p-24f, -0x1.a70e140000000p-26f, -0x1.2706260000000p-31f, -0x1.74c2da0000000p-26f, -0x1.a496ee0000000p-26f, -0x1.835bec0000000p-29f, 0x1.c6ed1e0000000p-25f, 0x1.b2915c0000000p-23f, 0x1.07247c0000000p-21f, 0x1.5f2a080000000p-20f, 0x1.acc4540000000p-19f, 0x1.c9782e0000000p-18f, 0x1.9db70c0000000p-17f, 0x1.c1949a0000000p-17f, -0x1.fc00a80000000p-16f, -0x1.128edc0000000p-12f, -0x1.69a0fa0000000p-11f, 0x1.21b8a80000000p-10f, 0x1.42bf320000000p-8f},
};

constexpr float kMish2Tail = -9.83f;  // below the n = -16 interval (-9.8376): exp formula

// Rare lanes (float64 in the library): forward x < -87 and -inf; backward also NaN.
template <class D>
HWY_INLINE hn::Mask<D> MishFwd2Rare(D, V<D> x) {
  return hn::Mask<D>{_mm512_cmp_ps_mask(x.raw, _mm512_set1_ps(-87.f), _CMP_LT_OQ)};
}
template <class D>
HWY_INLINE hn::Mask<D> MishBwd2Rare(D, V<D> x) {
  return hn::Mask<D>{_mm512_cmp_ps_mask(x.raw, _mm512_set1_ps(-87.f), _CMP_NGE_UQ)};
}  // x < kMish2Tail: exp formula (branch)

// Forward: F(x) = c0 + r (c1 + ... + r c6) rounded, r = xc - C[n], n = round(SC xc) mod 32,
// xc = min(x, 9.2) (x F(9.2) rounds to x for x > 9.2); returns x F.
template <class D>
HWY_INLINE V<D> Mish2FwdPoly(D, V<D> x) {
  const __m512 xc = _mm512_min_ps(x.raw, _mm512_set1_ps(9.2f));
  const __m512 t = _mm512_fmadd_ps(xc, _mm512_set1_ps(0x1.ad5feep+0f), _mm512_set1_ps(0x1.8p23f));
  const __m512i idx = _mm512_castps_si512(t);
  auto L = [&](const float* tab) { return Lut32(idx, tab); };
  const __m512 r = _mm512_sub_ps(xc, L(kMish2FC));
  __m512 q = L(kMish2FP[6]);
#pragma GCC unroll 8
  for (int k = 5; k >= 1; --k) q = _mm512_fmadd_ps(q, r, L(kMish2FP[k]));
  return V<D>{_mm512_mul_ps(x.raw, _mm512_fmadd_ps(r, q, L(kMish2FP[0])))};  // F rounded, then x F
}

template <class D>
HWY_INLINE V<D> MishFwd2(D d, V<D> x) {
  V<D> f = Mish2FwdPoly(d, x);
  const __mmask16 tail = _mm512_cmp_ps_mask(x.raw, _mm512_set1_ps(kMish2Tail), _CMP_LT_OQ);
  if (HWY_UNLIKELY(tail != 0)) {
    // mish = x u (1 - u/2) (+ O(u^4)), u = e^x = s (1 + p): K = x s exactly as K + Kl,
    // f = K + (Kl + K p - (x u)(u/2)).
    V<D> s, p;
    ExpParts<false>(d, x, x, s, p);
    const __m512 u = _mm512_fmadd_ps(s.raw, p.raw, s.raw);
    const __m512 K = _mm512_mul_ps(x.raw, s.raw);
    const __m512 Kl = _mm512_fmsub_ps(x.raw, s.raw, K);
    const __m512 c1 = _mm512_fmadd_ps(K, p.raw, Kl);
    const __m512 corr = _mm512_fnmadd_ps(_mm512_mul_ps(x.raw, u), _mm512_mul_ps(u, _mm512_set1_ps(0.5f)), c1);
    f = V<D>{_mm512_mask_add_ps(f.raw, tail, K, corr)};
  }
  return f;
}

// Backward polynomial with the value formed as an exact pair before dy enters:
// f' = c0 + r c1h + r (c1l + r Q2); S = c0 + r c1h by 2Sum of c0 and ph = fl(r c1h)
// (pl = r c1h - ph exact by fms), lo = (2Sum error + pl) + r (c1l + r Q2);
// dx = fma(dy, S, dy lo). Near the zero of f' and at the edges of the intervals
// next to it c0 and r Q cancel; dy then enters once on the pair, not on a
// rounded partial sum (with dy != 1 the plain fma(dy, c0, dy P) form reached 2.7 ulp).
template <class D>
HWY_INLINE V<D> Mish2BwdPair(D, V<D> x, V<D> dy) {
  const __m512 xc = _mm512_min_ps(x.raw, _mm512_set1_ps(11.6f));
  const __m512 xi = _mm512_min_ps(x.raw, _mm512_set1_ps(9.2f));
  const __m512 t = _mm512_fmadd_ps(xi, _mm512_set1_ps(0x1.ad5feep+0f), _mm512_set1_ps(0x1.8p23f));
  const __m512i idx = _mm512_castps_si512(t);
  auto L = [&](const float* tab) { return Lut32(idx, tab); };
  const __m512 r = _mm512_sub_ps(xc, L(kMish2BC));
  __m512 q = L(kMish2BP[8]);
  q = _mm512_fmadd_ps(q, r, L(kMish2BP[7]));
  q = _mm512_fmadd_ps(q, r, L(kMish2BP[6]));
  q = _mm512_fmadd_ps(q, r, L(kMish2BP[5]));
  q = _mm512_fmadd_ps(q, r, L(kMish2BP[4]));
  q = _mm512_fmadd_ps(q, r, L(kMish2BP[3]));                 // Q2 = c2 + r (...)
  const __m512 w = _mm512_fmadd_ps(q, r, L(kMish2BP[2]));    // c1l + r Q2
  const __m512 c0 = L(kMish2BP[0]), c1 = L(kMish2BP[1]);
  const __m512 ph = _mm512_mul_ps(r, c1);
  const __m512 pl = _mm512_fmsub_ps(r, c1, ph);
  const __m512 S = _mm512_add_ps(c0, ph);                      // 2Sum(c0, ph)
  const __m512 bb = _mm512_sub_ps(S, c0);
  const __m512 e = _mm512_add_ps(_mm512_sub_ps(c0, _mm512_sub_ps(S, bb)), _mm512_sub_ps(ph, bb));
  const __m512 lo = _mm512_fmadd_ps(r, w, _mm512_add_ps(e, pl));
  return V<D>{_mm512_fmadd_ps(dy.raw, S, _mm512_mul_ps(dy.raw, lo))};
}

template <class D>
HWY_INLINE V<D> MishBwd2(D d, V<D> x, V<D> dy) {
  V<D> dx = Mish2BwdPair(d, x, dy);
  const __mmask16 tail = _mm512_cmp_ps_mask(x.raw, _mm512_set1_ps(kMish2Tail), _CMP_LT_OQ);
  if (HWY_UNLIKELY(tail != 0)) {
    // f' = u (1 + x) - u^2 (x + 1/2) (+ O(u^3)), 1 + x and x + 1/2 exact here;
    // K = (1 + x) s as K + Kl, corr = Kl + K p - u (u (x + 1/2)); dx = fma(dy, K, dy corr).
    V<D> s, p;
    ExpParts<false>(d, x, x, s, p);
    const __m512 u = _mm512_fmadd_ps(s.raw, p.raw, s.raw);
    const __m512 A = _mm512_add_ps(x.raw, _mm512_set1_ps(1.f));
    const __m512 xh = _mm512_add_ps(x.raw, _mm512_set1_ps(0.5f));
    const __m512 K = _mm512_mul_ps(A, s.raw);
    const __m512 Kl = _mm512_fmsub_ps(A, s.raw, K);
    const __m512 c1 = _mm512_fmadd_ps(K, p.raw, Kl);
    const __m512 corr = _mm512_fnmadd_ps(u, _mm512_mul_ps(u, xh), c1);
    dx = V<D>{_mm512_mask_mov_ps(dx.raw, tail, _mm512_fmadd_ps(dy.raw, K, _mm512_mul_ps(dy.raw, corr)))};
  }
  return dx;
}
ACTLAB_LEAN_FWD_OP(MishFwdOp, MishFwd2, MishFwd2Rare);
ACTLAB_LEAN_BWD_OP(MishBwdOp, MishBwd2, MishBwd2Rare);
#else
struct MishFwdOp;
struct MishBwdOp;
#endif  // HWY_TARGET <= HWY_AVX3

}  // namespace lean
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
