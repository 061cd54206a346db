// Lean float32 gelu_tanh kernels for AVX-512, forward and backward (per
// SIMD target; included from ops-inl.h, picked with `Pick`). Compiled only
// on the AVX-512 targets: elsewhere the two structs are declared and never
// used. Designed in the prototype harness (tools/lean_proto/) by a second
// developer; constants from tools/fit_lean/gelu_tanh_consts.py (forward),
// gelu_tanh_table.py (`PACK=1 OFF=0.75 gelu_tanh_table.py bwd 6 2`) and
// gelu_tanh_exp2.py 6 (both).
//
// f(x) = x sigmoid(w), w = c1 x + c3 x^3, c1 = 2 sqrt(2/pi), c3 = 0.044715 c1. With a = min(|x|, 9.9)
// (one vrangeps): f(x) = max(x, -0) + f(-a) and f'(x) = 1 - f'(-a) for x >= 0 (as the erf kernels).
// Both kernels use a table-free 2^(+-v), v = w log2(e) = a (K1 + K3 a^2):
//   a^2 = x2 + x2l exactly; Ah = fma(K3, x2, K1) with K1 a multiple of 2^-20, so Ah - K1 is exact and
//   fms(K3, x2, Ah - K1) is Ah's rounding error; K1 + K3 a^2 = Ah + L to ~2^-45; n = round(a Ah)
//   (vroundscaleps), f = fma(a, L, fma(a, Ah, -n)) (|f| <= 1/2, a Ah - n exact inside the fma);
//   2^(+-v) = 2^n (1 + p) (bwd: constants negated), p = 2^f - 1 by a degree-6 polynomial (gelu_tanh_exp2.py 6: 2^f - 1 = f (c1 + ... ), |f| <= 1/2, rel err 2^-28.04);
//   p = fma(f, c1, f^2 R(f)) when kP2 (c1 f exact inside the fma: p to ~0.5 ulp; f Q(f) costs ~1 ulp of p).
//   2^n is applied by vscalefps (exact).
//
// FORWARD (GeluTanhQFwd): -f(-a) = y = a / (1 + E'), E' = e^w(a) = 2^v = 2^n (1 + p) >= 1
//   (v = a (K1 + K3 a^2) with K1 = kGtQK1h + kGtQK1l, K3 = kGtQK3h + kGtQK3l the exact constants, so that
//   n = round(v) >= 0 and p = 2^f - 1, f = v - n; gelu_tanh_consts.py). The numerator a is exact (no rounded
//   a E): D = 1 + 2^n (1 + p) rounded (for the estimate only), r0 = rcp14(D), q0 = a r0, w1 = 2^n q0, and
//   the residual with the unrounded E': a - q0 (1 + E') = ((a - w1) - q0) - w1 p, both subtractions exact
//   (Sterbenz: w1 / a ~ E' / (1 + E') in [1/2, 1), (a - w1) / q0 ~ 1); y = fma(res, r0, q0),
//   f(x) = max(x, -0) - y. E' <= 2^123 at a = 9.9, so r0, q0 stay normal.
//   Measured (all 2^32 inputs with x >= -9.9, long double reference): max 1.6380 ulp at x = -0x1.6196e6p+1 (-2.76241755);
//     > 1 ulp: 43436 of 3231606376, > 2 ulp: 0 . With kGtFwdP2: ~1.25 ulp (step 97), slower.
//   Rare lanes (GeluTanh2Rare, one compare _CMP_NGE_UQ): x < -9.9, -inf, NaN (the float64 path).
//   Specials: f(+-0) = +-0 (y = +0 at a = 0; vmaxps(-0, x) keeps x's zero), f(+inf) = +inf and f(x) = x
//   for x > 9.9 (a clamped, y < 2^-119), f(tiny) = x/2 rounded.
//   ~31 vector ops (1.19-1.21x the previous kernel, 1.37-1.79x oneDNN (1.47-1.50x at n = 2^20),
//   1 thread, shared Zen 4 machine).
//
// BACKWARD (GeluTanhPwBwd): f'(-a) = 2^n (P + Pl) (1 + p) with P + Pl = G_j(a) the interval polynomial
//   of G(a) = f'(-a) 2^v(a) (of f'(-a) itself for a < 1: there the exp lanes are masked to n = 0, p = +0).
//   Here K1 = kGtK1 (multiple of 2^-20) and K3 = kGtK3 are plain floats near c1 log2(e), c3 log2(e): their
//   truncation only changes the smooth factor 2^-v / e^-w, which the tables absorb exactly.
//   16 intervals from the bits of a + 0.75 (exponent and 2 mantissa bits; widths 1/8 on [0, 1/4), 1/4 to
//   1.25, 1/2 to 3.25, 1 to 7.25, 2 to 11.25; vpermps per coefficient), degree 6 in t = a - ch_j (exact),
//   c6 and c5 packed in one word (c5 = bits << 16, a bf16), ch_j near the middle with c0 = G(ch_j) within
//   1/128 ulp of a float (Gal) and with G / c0 in [0.53, 1.9] over the interval (so c0 - P is exact and
//   Pl = fma(q, t, c0 - P) is P's rounding error; with the offset 0.75 every interval admits such a c0).
//   The zero of f' at x0 = -0.75246142207 keeps relative accuracy: the two intervals around it have
//   ch = float(a0), c0 = 0 and P + Pl = q (t - CL), CL = a0 - float(a0) (Pl += q (-CL); no zone polynomial).
//   hi = 2^n P, lo = 2^n (P p + Pl); x >= 0: f' = 1 - (hi + lo) by Fast2Sum; dx = fma(dy, h, dy hl).
//   gelu_tanh_table.py bwd 6 2 PACK: worst rel err 2^-24.82 (relative, exact arithmetic; the zero intervals are limited by c1's float rounding).
//   Measured (dy = 1, all 2^32 inputs with x >= -9.9): max 1.8430 ulp at x = -0x1.08267ep+0 (-1.03183734);
//     > 1 ulp: 185600 of 3231606376, > 2 ulp: 0 . kGtBwdP2 = false: 1.9283 ulp at
//     x = -0x1.2301c4p+1, ~3% faster.
//   Rare lanes (GeluTanh2Rare): x < -9.9, -inf, NaN (the float64 path; f'(-inf) = 0 there).
//   (NaN must stay a rare lane: vrangeps maps it to 9.9 here, so the lean value is not NaN.)
//   Specials: f'(+-0) = 1/2, f'(+inf) = 1 (dx = dy), f'(x) = 1 for large x.
//   ~49 vector ops (1.50-1.51x the previous kernel, 1.25-1.43x oneDNN).

#if defined(ACTLAB_OPS_LEAN_GELU_TANH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_OPS_LEAN_GELU_TANH_INL_H_
#undef ACTLAB_OPS_LEAN_GELU_TANH_INL_H_
#else
#define ACTLAB_OPS_LEAN_GELU_TANH_INL_H_
#endif

#include "actlab/act/catalogue.hpp"
#include "hwy/highway.h"
#include "src/act/vlean32-inl.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace lean {

#if HWY_TARGET <= HWY_AVX3
constexpr float kGt2AMax = 9.9f;  // |x| clamp; x < -9.9 is rare
// 2^f - 1 = f (c1 + c2 f + ... + c6 f^5), |f| <= 1/2 (gelu_tanh_exp2.py 6)
constexpr float kGtExp2P[6] = {0x1.62e43p-1f, 0x1.ebfbd8p-3f, 0x1.c6af76p-5f, 0x1.3b30a8p-7f, 0x1.5f0baep-10f, 0x1.3f9a64p-13f};
constexpr bool kGtFwdP2 = false, kGtBwdP2 = true;

// p = 2^f - 1
HWY_INLINE __m512 GtExp2M1(__m512 f, bool p2) {
  const float* E = kGtExp2P;
  if (p2) {
    __m512 R = _mm512_set1_ps(E[5]);
    _Pragma("GCC unroll 8") for (int k = 4; k >= 1; --k) R = _mm512_fmadd_ps(R, f, _mm512_set1_ps(E[k]));
    // c1 f exact inside the fma; +-0 -> +0 (fma(+-0, c1, +0))
    return _mm512_fmadd_ps(f, _mm512_set1_ps(E[0]), _mm512_mul_ps(_mm512_mul_ps(f, f), R));
  }
  __m512 Q = _mm512_set1_ps(E[5]);
  _Pragma("GCC unroll 8") for (int k = 4; k >= 0; --k) Q = _mm512_fmadd_ps(Q, f, _mm512_set1_ps(E[k]));
  return _mm512_fmadd_ps(Q, f, _mm512_setzero_ps());  // +0 at f = +-0
}

template <class D>
HWY_INLINE hn::Mask<D> GeluTanh2Rare(D, V<D> x) {
  return hn::Mask<D>{_mm512_cmp_ps_mask(x.raw, _mm512_set1_ps(-kGt2AMax), _CMP_NGE_UQ)};
}

// ---------------------------------------------------------------------------
// Forward
// gelu_tanh_consts.py: K1 = 2 sqrt(2/pi) log2(e) = kGtQK1h + kGtQK1l (kGtQK1h a multiple of 2^-20), K3 = 0.044715 K1
constexpr float kGtQK1h = 0x1.26aecp+1f;
constexpr float kGtQK1l = 0x1.0de73ap-22f;
constexpr float kGtQK3h = 0x1.a5a7dp-4f;
constexpr float kGtQK3l = -0x1.151aaep-29f;

template <class D>
HWY_INLINE V<D> GeluTanhQFwd(D, V<D> xv) {
  const __m512 x = xv.raw;
  const __m512 a = _mm512_range_ps(x, _mm512_set1_ps(kGt2AMax), 0x0A);  // min(|x|, 9.9), sign cleared
  const __m512 x2 = _mm512_mul_ps(a, a);
  const __m512 x2l = _mm512_fmsub_ps(a, a, x2);
  const __m512 k1 = _mm512_set1_ps(kGtQK1h), k3 = _mm512_set1_ps(kGtQK3h);
  const __m512 Ah = _mm512_fmadd_ps(k3, x2, k1);  // K1 + K3 a^2 = Ah + L (Ah - K1h exact)
  __m512 L = _mm512_fmsub_ps(k3, x2, _mm512_sub_ps(Ah, k1));
  L = _mm512_add_ps(L, _mm512_fmadd_ps(_mm512_set1_ps(kGtQK3l), x2, _mm512_set1_ps(kGtQK1l)));
  L = _mm512_fmadd_ps(k3, x2l, L);
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(a, Ah), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m512 f = _mm512_fmadd_ps(a, L, _mm512_fmsub_ps(a, Ah, n));  // v - n, |f| <= 1/2
  const __m512 p = GtExp2M1(f, kGtFwdP2);  // E' = 2^n (1 + p)
  const __m512 one = _mm512_set1_ps(1.f);
  const __m512 Dn = _mm512_add_ps(_mm512_scalef_ps(_mm512_add_ps(p, one), n), one);  // 1 + E' (rcp only)
  const __m512 r0 = _mm512_rcp14_ps(Dn);
  const __m512 q0 = _mm512_mul_ps(a, r0);
  const __m512 w1 = _mm512_scalef_ps(q0, n);
  const __m512 res = _mm512_fnmadd_ps(w1, p, _mm512_sub_ps(_mm512_sub_ps(a, w1), q0));
  const __m512 y = _mm512_fmadd_ps(res, r0, q0);  // a / (1 + E') = -f(-a)
  return V<D>{_mm512_sub_ps(_mm512_max_ps(_mm512_set1_ps(-0.f), x), y)};
}

// ---------------------------------------------------------------------------
// Backward tables: PACK=1 OFF=0.75 gelu_tanh_table.py bwd 6 2; slot (bits(a + 0.75) >> 21) & 15.
constexpr float kGtK1 = 0x1.26aecp+1f, kGtK3 = 0x1.a5a7dp-4f;  // v = a (K1 + K3 a^2) ~ w(a) log2(e)
constexpr float kGtBMCl = 0x1.85a06cp-27f;  // -(a0 - float(a0)), a0 = zero of f'(-a)
alignas(64) inline constexpr float kGtBCh[16] = {0x1.7e7p+0f, 0x1.febp+0f, 0x1.408p+1f, 0x1.8048p+1f, 0x1.e15p+1f, 0x1.3p+2f, 0x1.6fa4p+2f, 0x1.b02cp+2f, 0x1.0802p+3f, 0x1.32bf34p+3f, 0x1.dcp-5f, 0x1.8f8p-3f, 0x1.9bp-2f, 0x1.8142ap-1f, 0x1.8142ap-1f, 0x1.20ep+0f};
alignas(64) inline constexpr float kGtBC0[16] = {-0x1.c28596p+0f, -0x1.d7890ep+1f, -0x1.9192aep+2f, -0x1.31e36ap+3f, -0x1.06148ap+4f, -0x1.d8584cp+4f, -0x1.85f22p+5f, -0x1.2ec1acp+6f, -0x1.08c0d2p+7f, -0x1.95b36ap+7f, 0x1.d0945cp-2f, 0x1.62a2f2p-2f, 0x1.924282p-3f, 0.0f, 0.0f, -0x1.73ef08p-1f};
alignas(64) inline constexpr float kGtBC1[16] = {-0x1.a1012cp+1f, -0x1.1ba89ep+2f, -0x1.72b854p+2f, -0x1.dce5fap+2f, -0x1.55dfdp+3f, -0x1.015d82p+4f, -0x1.6c96dp+4f, -0x1.ee1042p+4f, -0x1.6a7604p+5f, -0x1.e4d8cep+5f, -0x1.9721f2p-1f, -0x1.891ec2p-1f, -0x1.5a4d52p-1f, -0x1.b8baccp-2f, -0x1.b8baccp-2f, -0x1.320bd2p+1f};
alignas(64) inline constexpr float kGtBC2[16] = {-0x1.2994ecp+0f, -0x1.37a056p+0f, -0x1.7c1034p+0f, -0x1.d9ffc4p+0f, -0x1.3362b2p+1f, -0x1.866c2ep+1f, -0x1.d83144p+1f, -0x1.1589b4p+2f, -0x1.5316a8p+2f, -0x1.89fb8ap+2f, 0x1.7cb0ep-5f, 0x1.3725a8p-3f, 0x1.232ebep-2f, 0x1.8cd1c6p-2f, 0x1.8cd184p-2f, -0x1.364926p+0f};
alignas(64) inline constexpr float kGtBC3[16] = {0x1.d2606ap-6f, -0x1.c43626p-4f, -0x1.cdd488p-3f, -0x1.037726p-2f, -0x1.d24188p-3f, -0x1.b73c18p-3f, -0x1.b6662cp-3f, -0x1.b6673ep-3f, -0x1.b66938p-3f, -0x1.b666eap-3f, 0x1.0f9474p-2f, 0x1.f4b744p-3f, 0x1.6b1d5p-3f, 0x1.02b842p-6f, 0x1.02c1cp-6f, 0x1.579ddcp-5f};
alignas(64) inline constexpr float kGtBC4[16] = {-0x1.80b9a6p-5f, -0x1.3108bap-4f, -0x1.170deap-5f, 0x1.d998c2p-10f, 0x1.0bafaap-7f, 0x1.efb35p-12f, 0x1.33a00ap-18f, 0x1.d10394p-20f, -0x1.5329eep-21f, -0x1.7d15cp-16f, -0x1.22696ep-6f, -0x1.d3a2fep-5f, -0x1.a10fdep-4f, -0x1.d2565ap-4f, -0x1.d365f2p-4f, 0x1.1b72b6p-5f};
alignas(64) inline constexpr float kGtBC5[16] = {-0x1.08p-5f, 0x1.ep-8f, 0x1.2ep-6f, 0x1.1ep-7f, -0x1.0cp-9f, -0x1.cep-12f, -0x1.0ep-18f, -0x1.e8p-27f, -0x1.fcp-27f, -0x1.28p-26f, -0x1.fp-5f, -0x1.b6p-5f, -0x1p-5f, 0x1.1cp-6f, 0x1.26p-6f, -0x1.a6p-5f};
alignas(64) inline constexpr float kGtBC6[16] = {0x1.cb7a08p-7f, 0x1.2e77ep-7f, -0x1.0c792ep-10f, -0x1.0a781ep-8f, -0x1.2d760cp-11f, 0x1.0773cep-12f, 0x1.0b6d0ep-18f, 0x1.7d64e8p-29f, -0x1.4964fcp-32f, -0x1.536528p-32f, 0x1.1d7afp-8f, 0x1.977ab6p-7f, 0x1.5b7ap-6f, 0x1.72791cp-6f, 0x1.ec7926p-7f, -0x1.417aa6p-14f};


template <class D>
HWY_INLINE V<D> GeluTanhPwBwd(D, V<D> xv, V<D> dyv) {
  const __m512 x = xv.raw, dy = dyv.raw;
  const __m512 a = _mm512_range_ps(x, _mm512_set1_ps(kGt2AMax), 0x0A);  // min(|x|, 9.9), sign cleared
  const __m512 a1 = _mm512_add_ps(a, _mm512_set1_ps(0.75f));
  const __m512i idx = _mm512_srli_epi32(_mm512_castps_si512(a1), 21);
  const __m512 t = _mm512_sub_ps(a, Lut16(idx, kGtBCh));  // exact (Sterbenz)
  const __m512 w56 = Lut16(idx, kGtBC6);                  // c6 = w56, c5 = bits(w56) << 16
  __m512 q = _mm512_fmadd_ps(w56, t, _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(w56), 16)));
  q = _mm512_fmadd_ps(q, t, Lut16(idx, kGtBC4));
  q = _mm512_fmadd_ps(q, t, Lut16(idx, kGtBC3));
  q = _mm512_fmadd_ps(q, t, Lut16(idx, kGtBC2));
  q = _mm512_fmadd_ps(q, t, Lut16(idx, kGtBC1));
  const __m512 c0 = Lut16(idx, kGtBC0);
  const __m512 P = _mm512_fmadd_ps(q, t, c0);
  // P + Pl = c0 + q (t - CL): c0 - P exact (Sterbenz by the choice of ch, or c0 = 0)
  const __m512 Pl = _mm512_fmadd_ps(q, _mm512_set1_ps(kGtBMCl), _mm512_fmadd_ps(q, t, _mm512_sub_ps(c0, P)));
  // 2^-v = 2^n (1 + p); lanes a < 1 (a1 < 1.75): x2 = x2l = 0, n = 0, f = +0, p = +0
  const __mmask16 ex = _mm512_cmp_ps_mask(a1, _mm512_set1_ps(1.75f), _CMP_GE_OQ);
  const __m512 x2 = _mm512_maskz_mul_ps(ex, a, a);
  const __m512 x2l = _mm512_maskz_fmsub_ps(ex, a, a, x2);
  const __m512 nk1 = _mm512_set1_ps(-kGtK1), nk3 = _mm512_set1_ps(-kGtK3);
  const __m512 Ah = _mm512_fmadd_ps(nk3, x2, nk1);
  const __m512 L = _mm512_fmadd_ps(nk3, x2l, _mm512_fmsub_ps(nk3, x2, _mm512_sub_ps(Ah, nk1)));
  const __m512 n = _mm512_roundscale_ps(_mm512_maskz_mul_ps(ex, a, Ah), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m512 f = _mm512_fmadd_ps(a, L, _mm512_maskz_fmsub_ps(ex, a, Ah, n));
  const __m512 p = GtExp2M1(f, kGtBwdP2);
  const __m512 hi = _mm512_scalef_ps(P, n);  // f'(-a) = hi + lo
  const __m512 lo = _mm512_scalef_ps(_mm512_fmadd_ps(P, p, Pl), n);
  // x >= 0: f'(x) = 1 - f'(-a) = h + hl (|hi| <= 1/2: Fast2Sum); x < 0: h = hi, hl = lo
  const __mmask16 pos = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GE_OQ);
  const __m512 one = _mm512_set1_ps(1.f);
  const __m512 h = _mm512_mask_sub_ps(hi, pos, one, hi);
  const __m512 r = _mm512_sub_ps(_mm512_sub_ps(one, h), hi);
  const __m512 hl = _mm512_mask_sub_ps(lo, pos, r, lo);
  return V<D>{_mm512_fmadd_ps(dy, h, _mm512_mul_ps(dy, hl))};  // one final rounding
}

ACTLAB_LEAN_FWD_OP(GeluTanhFwdOp, GeluTanhQFwd, GeluTanh2Rare);
ACTLAB_LEAN_BWD_OP(GeluTanhBwdOp, GeluTanhPwBwd, GeluTanh2Rare);
#else
struct GeluTanhFwdOp;
struct GeluTanhBwdOp;
#endif  // HWY_TARGET <= HWY_AVX3

}  // namespace lean
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
