// Lean float32 silu backward for AVX-512 (per SIMD target; included from
// ops-inl.h, picked with `Pick`): silu, and swish with beta = 1 (other betas:
// SwishBwd<false> in ops_lean-inl.h). Compiled only on the AVX-512 targets:
// elsewhere the structs are declared and never used. Designed in the
// prototype harness (tools/lean_proto/) by a second developer.
//
// SILU BACKWARD   dx = dy f'(x), f'(x) = s (1 + x (1 - s)), s = sigmoid(x).
//   f'(x) + f'(-x) = 1 exactly, so with a = |x| only g(a) = f'(-a) = sigmoid(-a) (1 - a sigmoid(a))
//   (in [-0.1, 0.5], zero at a0 = 1.27846454276) is evaluated: f' = g for x < 0, 1 - g for x >= 0.
//   No exp, no quotient: g from 32 uniform intervals of width 1/2 on an OFFSET grid
//   k = floor(2a + DELTA), DELTA = 241/256 (= 3.5 - 2 a0 to 2^-8), so that a0 is the centre of
//   interval 3 (a in [1.029, 1.529]), the only interval with a zero; k = low 5 bits of
//   bits(a + 1.5 2^14 + DELTA/2) >> 8 (one add, one shift), one vpermt2ps per coefficient.
//   t = a - ch_k (exact by Sterbenz except for a < 0.14, where t's rounding costs < 0.03 ULP),
//   ch_k Gal-style (g(ch_k) within 1/128 ULP of a float) except ch_3 = float(a0), and
//     r = C0 + t (C1 + t (C2 + t (C3 + t (C4 + t (C5 + t C6))))),   P = r + [k = 3] C1H t,
//   C6 and C5 packed in one word (C5 = bits(C6 word) << 16, a bf16). On the zero interval
//   C0 = -c1 (a0 - float(a0)) (~3e-9) and C1H + C1 = c1 is a float pair (c1's float rounding alone
//   costs 0.6 ULP next to the zero), so P stays relatively accurate up to the zero; C1H t is
//   added by a masked fma (integer compare k == 3), not a 9th table. Pl = (C0 - (P - [k = 3] C1H t))
//   + t q catches the rounding errors of r and P (exact off the zero interval, 2^-24 |r| on it).
//   tools/fit_lean/silu_bwd_table.py (PACK=1 DELTA=0.94140625 silu_bwd_table.py 6): relative approximation error <= 2^-24.7
//   on the zero interval, 2^-26.1 .. 2^-31 elsewhere.
//   Final (one rounding of dy f'): x's sign bit set: dx = fma(dy, P, dy Pl); clear:
//   dx = fma(-dy, P, dy) = dy (1 - P) rounded once (Pl dropped: P <= 1/2, < 1/4 ULP);
//   -0 takes the first branch (P(0) = 1/2 either way). Signs by vpmovd2m + one vpternlogd.
//   Tail |x| > 15.5 (incl. +inf; integer compare of bits(|x|), taken only for vectors with such a
//   lane: ~1e-7 of N(0, 3) lanes): SwishBwd<true> (the shipped kernel) for those lanes (correct for
//   x >= -87). No clamp on the main path: tail lanes compute garbage there and are overwritten.
//   Main path ~30 vector ops: 8 vpermt2ps, 10 FMA-class, abs, add, 2 shifts, sub x2, int compares x2,
//   vpmovd2m, vpternlogd, kortest + branch (the exp-based SwishBwd<true>: ~38 incl. its zone check).
//   Measured (dy = 1) over all 2^32 floats with x >= -87 (3257794562 values: outside the rare
//   lanes; +inf included), long double reference:
//     max 1.2486 ULP at x = -0x1.0e51f6p+0 (-1.05593812, zero interval); > 1 ULP: 10435; > 2 ULP: 0
//     (the exp-based SwishBwd<true>: 1.51).
//   Random dy (2^22 samples, |dy| 2^-20 .. 2^20): max 1.47 ULP (the tail's exp-based
//   kernel at x = 16.5; that kernel alone: 1.51).
//   Rare lanes (SiluBwd2Rare, as now): !(x >= -87): x < -87, -inf, NaN (float64 path).
//   Specials: +inf -> dy (tail); +-0 and denormal x -> dy/2; NaN: rare.
//   Speed (1 thread, x ~ N(0, 3), n = 2^14 / 2^20, best of 300 blocks, shared Zen 4):
//   2.44-2.45 Gelem/s vs the exp-based kernel 1.55-1.66 in the same runs: 1.47-1.48x (2^14),
//   1.57-1.58x (2^20); vs oneDNN 2.6 swish bwd (1.64-2.09, it varies): 1.35-1.48x / 1.17-1.22x

#if defined(ACTLAB_OPS_LEAN_SILU_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_OPS_LEAN_SILU_INL_H_
#undef ACTLAB_OPS_LEAN_SILU_INL_H_
#else
#define ACTLAB_OPS_LEAN_SILU_INL_H_
#endif

#include "actlab/act/catalogue.hpp"
#include "hwy/highway.h"
#include "src/act/vlean32-inl.h"   // lean::V, lean::K, ACTLAB_LEAN_BWD_OP
#include "src/act/ops_lean-inl.h"  // SwishBwd<true> for the tail

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace lean {

#if HWY_TARGET <= HWY_AVX3
// ---- PACK=1 DELTA=0.94140625 tools/fit_lean/silu_bwd_table.py 6 (slot k = floor(2a + DELTA), a in [(k - DELTA)/2, (k + 1 - DELTA)/2)) ----
alignas(64) inline constexpr float kSbCh[32] = {0x1.d000000000000p-8f, 0x1.2a40000000000p-2f, 0x1.8d60000000000p-1f, 0x1.4749740000000p+0f, 0x1.c8a0000000000p+0f, 0x1.2340000000000p+1f, 0x1.6478000000000p+1f, 0x1.a3a8000000000p+1f, 0x1.e3a8000000000p+1f, 0x1.1230000000000p+2f, 0x1.313c000000000p+2f, 0x1.5174000000000p+2f, 0x1.7180000000000p+2f, 0x1.90f8000000000p+2f, 0x1.b1ec000000000p+2f, 0x1.d1cc000000000p+2f, 0x1.f168000000000p+2f, 0x1.090e000000000p+3f, 0x1.18ee000000000p+3f, 0x1.28e0000000000p+3f, 0x1.390a000000000p+3f, 0x1.48e6000000000p+3f, 0x1.58e6000000000p+3f, 0x1.68fc000000000p+3f, 0x1.78da000000000p+3f, 0x1.8958000000000p+3f, 0x1.98a4000000000p+3f, 0x1.a8da000000000p+3f, 0x1.b8ca000000000p+3f, 0x1.c968000000000p+3f, 0x1.d922000000000p+3f, 0x1.e8d4000000000p+3f};
alignas(64) inline constexpr float kSbC1H[32] = {0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, -0x1.be14100000000p-3f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f};
alignas(64) inline constexpr float kSbC0[32] = {0x1.fc60020000000p-2f, 0x1.6cf4f80000000p-2f, 0x1.2e5f9e0000000p-3f, -0x1.848b9e0000000p-29f, -0x1.36930e0000000p-4f, -0x1.95db760000000p-4f, -0x1.82885a0000000p-4f, -0x1.4135800000000p-4f, -0x1.ed28260000000p-5f, -0x1.6756780000000p-5f, -0x1.01127a0000000p-5f, -0x1.6304920000000p-6f, -0x1.e2fb160000000p-7f, -0x1.46b1220000000p-7f, -0x1.ad58f40000000p-8f, -0x1.1bae700000000p-8f, -0x1.75afba0000000p-9f, -0x1.e25bbc0000000p-10f, -0x1.39c8980000000p-10f, -0x1.95c4140000000p-11f, -0x1.03d0440000000p-11f, -0x1.4e6fee0000000p-12f, -0x1.ab916e0000000p-13f, -0x1.0ff0540000000p-13f, -0x1.5b3b000000000p-14f, -0x1.b29f4a0000000p-15f, -0x1.18e0660000000p-15f, -0x1.610d220000000p-16f, -0x1.be84ee0000000p-17f, -0x1.1474060000000p-17f, -0x1.5ebc940000000p-18f, -0x1.bcd17a0000000p-19f};
alignas(64) inline constexpr float kSbC1[32] = {-0x1.fffcb80000000p-2f, -0x1.eabc7a0000000p-2f, -0x1.7a9c9a0000000p-2f, -0x1.1dea040000000p-28f, -0x1.6ffa420000000p-4f, -0x1.9b9d900000000p-7f, 0x1.9daf220000000p-6f, 0x1.2a46e20000000p-5f, 0x1.2011c80000000p-5f, 0x1.dc59980000000p-6f, 0x1.6f9ea40000000p-6f, 0x1.0bc7200000000p-6f, 0x1.7a6cdc0000000p-7f, 0x1.07436a0000000p-7f, 0x1.61fe200000000p-8f, 0x1.dc22a80000000p-9f, 0x1.3e29e40000000p-9f, 0x1.9fdd480000000p-10f, 0x1.1157ce0000000p-10f, 0x1.64a9e40000000p-11f, 0x1.cc65f80000000p-12f, 0x1.2a5dec0000000p-12f, 0x1.7fd2700000000p-13f, 0x1.eaf5ee0000000p-14f, 0x1.3b010e0000000p-14f, 0x1.8c20ee0000000p-15f, 0x1.0102dc0000000p-15f, 0x1.444ac00000000p-16f, 0x1.9b90940000000p-17f, 0x1.ff509c0000000p-18f, 0x1.454b320000000p-18f, 0x1.9da8c80000000p-19f};
alignas(64) inline constexpr float kSbC2[32] = {0x1.cec5d60000000p-10f, 0x1.1de5d80000000p-4f, 0x1.27b7ea0000000p-3f, 0x1.2c56320000000p-3f, 0x1.a5871e0000000p-4f, 0x1.c88f460000000p-5f, 0x1.5e82fe0000000p-6f, 0x1.b83dfc0000000p-9f, -0x1.2ac3980000000p-8f, -0x1.c0baf60000000p-8f, -0x1.b048360000000p-8f, -0x1.647fec0000000p-8f, -0x1.0fd9140000000p-8f, -0x1.8de9680000000p-9f, -0x1.15eb780000000p-9f, -0x1.80505a0000000p-10f, -0x1.0665700000000p-10f, -0x1.5d2d540000000p-11f, -0x1.d1a6260000000p-12f, -0x1.337fcc0000000p-12f, -0x1.911ef40000000p-13f, -0x1.0646f80000000p-13f, -0x1.540f940000000p-14f, -0x1.b608360000000p-15f, -0x1.1ac5f00000000p-15f, -0x1.65a1b00000000p-16f, -0x1.d249ea0000000p-17f, -0x1.2788140000000p-17f, -0x1.789c020000000p-18f, -0x1.d5b9000000000p-19f, -0x1.2bd9ba0000000p-19f, -0x1.7e800a0000000p-20f};
alignas(64) inline constexpr float kSbC3[32] = {0x1.5741480000000p-4f, 0x1.2b96220000000p-4f, 0x1.aa9bae0000000p-6f, -0x1.3537420000000p-6f, -0x1.15b0180000000p-5f, -0x1.cd02be0000000p-6f, -0x1.1375160000000p-6f, -0x1.0ae54c0000000p-7f, -0x1.83a32c0000000p-9f, -0x1.a8b2c00000000p-12f, 0x1.3211b40000000p-11f, 0x1.c5c7860000000p-11f, 0x1.afbdf40000000p-11f, 0x1.63086e0000000p-11f, 0x1.0b72d20000000p-11f, 0x1.8492dc0000000p-12f, 0x1.12e9ac0000000p-12f, 0x1.782f900000000p-13f, 0x1.0037d20000000p-13f, 0x1.584a760000000p-14f, 0x1.c7ac500000000p-15f, 0x1.2d896e0000000p-15f, 0x1.8b07340000000p-16f, 0x1.00b8500000000p-16f, 0x1.4e0aec0000000p-17f, 0x1.a981180000000p-18f, 0x1.1707760000000p-18f, 0x1.63b0c80000000p-19f, 0x1.c789e80000000p-20f, 0x1.1d6b6c0000000p-20f, 0x1.6de0540000000p-21f, 0x1.d475a80000000p-22f};
alignas(64) inline constexpr float kSbC4[32] = {-0x1.8b7a240000000p-7f, -0x1.1331400000000p-6f, -0x1.be0db20000000p-6f, -0x1.f2c9200000000p-7f, -0x1.7e06740000000p-11f, 0x1.56e4cc0000000p-8f, 0x1.586f040000000p-8f, 0x1.c533f80000000p-9f, 0x1.de9bec0000000p-10f, 0x1.a2807e0000000p-11f, 0x1.26c3400000000p-12f, 0x1.1efa420000000p-15f, -0x1.f0d4a80000000p-15f, -0x1.59868a0000000p-14f, -0x1.42e9320000000p-14f, -0x1.0638e00000000p-14f, -0x1.8dcbb40000000p-15f, -0x1.1df2080000000p-15f, -0x1.934d7c0000000p-16f, -0x1.164f6c0000000p-16f, -0x1.784cba0000000p-17f, -0x1.fa96e20000000p-18f, -0x1.5095840000000p-18f, -0x1.bac68c0000000p-19f, -0x1.2309140000000p-19f, -0x1.7625a00000000p-20f, -0x1.ee66fc0000000p-21f, -0x1.3d5be40000000p-21f, -0x1.98f09c0000000p-22f, -0x1.01b1820000000p-22f, -0x1.4bf9be0000000p-23f, -0x1.aaec2a0000000p-24f};
alignas(64) inline constexpr float kSbC5[32] = {-0x1.9a00000000000p-7f, -0x1.3a00000000000p-7f, 0x1.3200000000000p-10f, 0x1.ac00000000000p-8f, 0x1.1200000000000p-8f, 0x1.ea00000000000p-11f, -0x1.2800000000000p-11f, -0x1.8a00000000000p-11f, -0x1.1600000000000p-11f, -0x1.3600000000000p-12f, -0x1.3200000000000p-13f, -0x1.fe00000000000p-15f, -0x1.4c00000000000p-16f, -0x1.1000000000000p-19f, 0x1.4000000000000p-18f, 0x1.a400000000000p-18f, 0x1.8400000000000p-18f, 0x1.3600000000000p-18f, 0x1.d400000000000p-19f, 0x1.5400000000000p-19f, 0x1.da00000000000p-20f, 0x1.4800000000000p-20f, 0x1.be00000000000p-21f, 0x1.2a00000000000p-21f, 0x1.8e00000000000p-22f, 0x1.0200000000000p-22f, 0x1.5a00000000000p-23f, 0x1.c000000000000p-24f, 0x1.2200000000000p-24f, 0x1.7000000000000p-25f, 0x1.de00000000000p-26f, 0x1.3400000000000p-26f};
alignas(64) inline constexpr float kSbC6[32] = {0x1.95789a0000000p-14f, 0x1.7f783a0000000p-9f, 0x1.b075320000000p-9f, 0x1.0877ac0000000p-13f, -0x1.4677120000000p-10f, -0x1.aa74ea0000000p-11f, -0x1.c774280000000p-13f, 0x1.55748a0000000p-15f, 0x1.6974160000000p-14f, 0x1.1173360000000p-14f, 0x1.3d72320000000p-15f, 0x1.4370fe0000000p-16f, 0x1.276f4c0000000p-17f, 0x1.db6c100000000p-19f, 0x1.226d400000000p-20f, 0x1.9e6da40000000p-25f, -0x1.566d840000000p-22f, -0x1.a86d360000000p-22f, -0x1.7e6cd40000000p-22f, -0x1.326c540000000p-22f, -0x1.cc6bda0000000p-23f, -0x1.4c6b480000000p-23f, -0x1.d26abe0000000p-24f, -0x1.406a2a0000000p-24f, -0x1.b2698e0000000p-25f, -0x1.2269020000000p-25f, -0x1.82685a0000000p-26f, -0x1.fe67c00000000p-27f, -0x1.4e67220000000p-27f, -0x1.b466700000000p-28f, -0x1.1a65de0000000p-28f, -0x1.6c65340000000p-29f};
constexpr float kSbDelta = 0.94140625f;  // 241/256: 1.5 2^14 + kSbDelta/2 is a float (ulp 2^-9)
constexpr float kSbAMax = 15.5f;         // floor(2a + DELTA) <= 31 for a <= 15.5; above: tail

// (Dropping Pl saves 3 ops and gives 1.16 ULP with dy = 1, but dy P is then
// rounded twice for x < 0: up to 2.3 ULP with general dy.)
template <class D>
HWY_INLINE V<D> SiluBwd2(D d, V<D> x, V<D> dy) {
  const __m512 xr = x.raw;
  const __m512 a = _mm512_abs_ps(xr);
  // k = floor(2a + DELTA): a + (1.5 2^14 + DELTA/2) rounds a + DELTA/2 to 2^-9, whose mantissa bits >> 8 are k
  const __m512i idx = _mm512_srli_epi32(_mm512_castps_si512(_mm512_add_ps(a, _mm512_set1_ps(0x1.8p14f + 0.5f * kSbDelta))), 8);
  const __m512 t = _mm512_sub_ps(a, Lut32(idx, kSbCh));
  const __m512 w56 = Lut32(idx, kSbC6);  // c6 = w56, c5 = bits(w56) << 16 (a bf16; PACK=1)
  __m512 q = _mm512_fmadd_ps(w56, t, _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(w56), 16)));
  q = _mm512_fmadd_ps(q, t, Lut32(idx, kSbC4));
  q = _mm512_fmadd_ps(q, t, Lut32(idx, kSbC3));
  q = _mm512_fmadd_ps(q, t, Lut32(idx, kSbC2));
  q = _mm512_fmadd_ps(q, t, Lut32(idx, kSbC1));
  // C1H is 0 except on the zero interval (slot 3): there P = C1H t + r, elsewhere P = r (an integer
  // compare of the index and masked fmas instead of a 9th vpermt2ps; idx = bits(1.5 2^14) >> 8 + k)
  const __mmask16 z = _mm512_cmpeq_epi32_mask(idx, _mm512_set1_epi32((0x46c00000 >> 8) + 3));
  const __m512 c1h = _mm512_set1_ps(kSbC1H[3]);
  const __m512 c0 = Lut32(idx, kSbC0);
  const __m512 r = _mm512_fmadd_ps(q, t, c0);
  const __m512 P = _mm512_mask3_fmadd_ps(t, c1h, r, z);  // z ? C1H t + r : r
  // Pl = C0 + t q + [C1H t] - P (P's and r's rounding errors): C0 - (P - [C1H t]) is exact off the
  // zero interval (P = r, Sterbenz) and within 2^-24 |r| on it (|r| < 0.2 |P| there)
  const __m512 Pl = _mm512_fmadd_ps(q, t, _mm512_sub_ps(c0, _mm512_mask3_fnmadd_ps(t, c1h, P, z)));
  // x's sign bit set: f' = P + Pl, dx = dy P + dy Pl; clear: f' = 1 - P, dx = dy - dy P (one rounding;
  // Pl is dropped there: P < 1/2 so its rounding costs < 1/4 ULP of 1 - P)
  const __mmask16 neg = _mm512_movepi32_mask(_mm512_castps_si512(xr));
  const __m512i dyi = _mm512_castps_si512(dy.raw);
  const __m512 sdy = _mm512_castsi512_ps(_mm512_ternarylogic_epi32(dyi, _mm512_castps_si512(xr), _mm512_set1_epi32(INT32_MIN), 0xd2));  // dy ^ (~x & sign)
  const __m512 lo = _mm512_mask_mul_ps(dy.raw, neg, dy.raw, Pl);  // dy Pl where x < 0, else dy
  __m512 dx = _mm512_fmadd_ps(sdy, P, lo);
  // |x| > 15.5 (also NaN) by an integer compare of the bits (keeps the FP compare pipes free)
  const __mmask16 tail = _mm512_cmpgt_epu32_mask(_mm512_castps_si512(a), _mm512_set1_epi32(0x41780000));  // bits(15.5f)
  if (HWY_UNLIKELY(tail)) {
    const Params p{};  // silu ignores it
    dx = _mm512_mask_mov_ps(dx, tail, SwishBwd<true>::bwd(d, x, x, dy, p).raw);
  }
  return V<D>{dx};
}
template <class D>
HWY_INLINE hn::Mask<D> SiluBwd2Rare(D d, V<D> x) { return hn::Not(hn::Ge(x, K(d, -87.f))); }

ACTLAB_LEAN_BWD_OP(SiluBwdOp, SiluBwd2, SiluBwd2Rare);

#else
struct SiluBwdOp;
#endif  // HWY_TARGET <= HWY_AVX3

}  // namespace lean
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
