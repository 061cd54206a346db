// Lean float32 GELU kernels (erf form) for AVX-512, forward and backward
// (the tanh form: ops_lean_gelu_tanh-inl.h) (per SIMD target; included from ops-inl.h, picked with `Pick` like
// ops_lean-inl.h). Compiled only on the AVX-512 targets: elsewhere the two
// structs are declared and never used.
//
// Method (details at GeluFwd / GeluBwd below): with a = min(|x|, 14.5)
// (forward) or min(|x|, 13.2) (backward), the
// x < 0 value at -a comes from one of 16 intervals (exponent and 2 mantissa
// bits of a + 1; vpermps per coefficient), a degree-6 polynomial in t = a -
// ch_j (exact), times e^(-a^2/2) = 2^n (1 + p) for a >= 1 with a^2 carried
// as an exact pair; then f(x) = f(-|x|) + max(x, -0) and f'(x) = 1 - f'(-x)
// for x >= 0 (a Fast2Sum). The zero of f' at x = -0.7518 keeps relative
// accuracy through C0 + q(t) (t - CL). Tables: `PACK=1 AMAX=14.5
// tools/fit_lean/gelu.py fwd 6 2`, `PACK=1 tools/fit_lean/gelu.py bwd 6 2`
// and `tools/fit_lean/gelu_exp.py 6`. Designed in the prototype harness (tools/lean_proto/) by a second developer.

#if defined(ACTLAB_OPS_LEAN_GELU_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_OPS_LEAN_GELU_INL_H_
#undef ACTLAB_OPS_LEAN_GELU_INL_H_
#else
#define ACTLAB_OPS_LEAN_GELU_INL_H_
#endif

#include "actlab/act/catalogue.hpp"
#include "hwy/highway.h"
#include "src/act/vlean32-inl.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace lean {

#if HWY_TARGET <= HWY_AVX3
alignas(64) inline constexpr float kGFCh[16] = {0x1.3fb0000000000p+0f, 0x1.bfe0000000000p+0f, 0x1.2190000000000p+1f, 0x1.5f90000000000p+1f, 0x1.c280000000000p+1f, 0x1.1fa0000000000p+2f, 0x1.6024000000000p+2f, 0x1.9fdc000000000p+2f, 0x1.001a000000000p+3f, 0x1.400e000000000p+3f, 0x1.800a000000000p+3f, 0x1.b7ce000000000p+3f, 0x0.0p+0f, 0x1.7b00000000000p-2f, 0x1.2b80000000000p-1f, 0x1.b620000000000p-1f};
alignas(64) inline constexpr float kGFC0[16] = {-0x1.2741e00000000p-2f, -0x1.4be8700000000p-2f, -0x1.626f7a0000000p-2f, -0x1.700afc0000000p-2f, -0x1.7d65140000000p-2f, -0x1.86bba40000000p-2f, -0x1.8c2dda0000000p-2f, -0x1.8f75660000000p-2f, -0x1.926aa20000000p-2f, -0x1.948cc40000000p-2f, -0x1.95bcd80000000p-2f, -0x1.9663400000000p-2f, -0x0.0p+0f, -0x1.0d94b40000000p-3f, -0x1.4e95f80000000p-3f, -0x1.57a0920000000p-3f};
alignas(64) inline constexpr float kGFC1[16] = {-0x1.7c00920000000p-4f, -0x1.bd7dbc0000000p-5f, -0x1.12aade0000000p-5f, -0x1.6d5d020000000p-6f, -0x1.9d10da0000000p-7f, -0x1.c13c420000000p-8f, -0x1.079b680000000p-8f, -0x1.4ef51a0000000p-9f, -0x1.75ba4a0000000p-10f, -0x1.8ac05c0000000p-11f, -0x1.d0d8080000000p-12f, -0x1.386a040000000p-12f, -0x1.0000000000000p-1f, -0x1.bdfca40000000p-3f, -0x1.5268520000000p-4f, 0x1.4cede00000000p-5f};
alignas(64) inline constexpr float kGFC2[16] = {0x1.af89ac0000000p-5f, 0x1.be59d40000000p-6f, 0x1.e7e5a20000000p-7f, 0x1.23aaea0000000p-7f, 0x1.1a03d00000000p-8f, 0x1.016a940000000p-9f, 0x1.01a31c0000000p-10f, 0x1.1ce0900000000p-11f, 0x1.08c2660000000p-12f, 0x1.c834c20000000p-14f, 0x1.c4a28a0000000p-15f, 0x1.0b41b00000000p-15f, 0x1.9884520000000p-2f, 0x1.6358340000000p-2f, 0x1.1d5fb80000000p-2f, 0x1.671eea0000000p-3f};
alignas(64) inline constexpr float kGFC3[16] = {-0x1.90b8840000000p-6f, -0x1.7260e60000000p-7f, -0x1.6ad7440000000p-8f, -0x1.8954a40000000p-9f, -0x1.48cf840000000p-10f, -0x1.fcd7f60000000p-12f, -0x1.b57d620000000p-13f, -0x1.a713be0000000p-14f, -0x1.491a0c0000000p-15f, -0x1.d07e520000000p-17f, -0x1.8546800000000p-18f, -0x1.9470ee0000000p-19f, 0x1.33612a0000000p-20f, -0x1.6b9c920000000p-4f, -0x1.eb18720000000p-4f, -0x1.0808d60000000p-3f};
alignas(64) inline constexpr float kGFC4[16] = {0x1.45258e0000000p-7f, 0x1.0f219c0000000p-8f, 0x1.e01e580000000p-10f, 0x1.db29480000000p-11f, 0x1.5a686a0000000p-12f, 0x1.ca99e40000000p-14f, 0x1.54dfd80000000p-15f, 0x1.21b5ec0000000p-16f, 0x1.7ae1980000000p-18f, 0x1.b776da0000000p-20f, 0x1.37c9720000000p-21f, 0x1.1d5ce20000000p-22f, -0x1.106f140000000p-4f, -0x1.85114a0000000p-5f, -0x1.8b143a0000000p-6f, 0x1.bdc04c0000000p-8f};
alignas(64) inline constexpr float kGFC5[16] = {-0x1.e200000000000p-9f, -0x1.6c00000000000p-10f, -0x1.2600000000000p-11f, -0x1.0a00000000000p-12f, -0x1.5a00000000000p-14f, -0x1.8a00000000000p-16f, -0x1.fa00000000000p-18f, -0x1.7a00000000000p-19f, -0x1.aa00000000000p-21f, -0x1.9400000000000p-23f, -0x1.e400000000000p-25f, -0x1.8400000000000p-26f, 0x1.5200000000000p-13f, 0x1.3600000000000p-6f, 0x1.8200000000000p-6f, 0x1.5200000000000p-6f};
alignas(64) inline constexpr float kGFC6[16] = {0x1.4576e20000000p-10f, 0x1.c3756c0000000p-12f, 0x1.5374260000000p-13f, 0x1.15730a0000000p-14f, 0x1.4b715a0000000p-16f, 0x1.396f8a0000000p-18f, 0x1.636dfa0000000p-20f, 0x1.d36c7a0000000p-22f, 0x1.c16aaa0000000p-24f, 0x1.6168940000000p-26f, 0x1.6766e40000000p-28f, 0x1.f965840000000p-30f, 0x1.3872520000000p-7f, 0x1.7a79360000000p-8f, 0x1.da79820000000p-13f, -0x1.2a79520000000p-8f};
alignas(64) inline constexpr float kGBCh[16] = {0x1.3f00000000000p+0f, 0x1.bf60000000000p+0f, 0x1.1e98000000000p+1f, 0x1.6048000000000p+1f, 0x1.c088000000000p+1f, 0x1.1fd8000000000p+2f, 0x1.5fe0000000000p+2f, 0x1.a108000000000p+2f, 0x1.001e000000000p+3f, 0x1.3ff4000000000p+3f, 0x1.8008000000000p+3f, 0x1.a3f8000000000p+3f, 0x1.e500000000000p-4f, 0x1.7fc0000000000p-2f, 0x1.80ead20000000p-1f, 0x1.80ead20000000p-1f};
constexpr float kGBMCl = 0x1.a03fd40000000p-27f;  // -(a0 - a0h), a0 = zero of f'(-a)
alignas(64) inline constexpr float kGBC0[16] = {-0x1.104f200000000p-2f, -0x1.06057c0000000p-1f, -0x1.7a5e020000000p-1f, -0x1.ef45d80000000p-1f, -0x1.4aae200000000p+0f, -0x1.b59c960000000p+0f, -0x1.0fbfae0000000p+1f, -0x1.4514380000000p+1f, -0x1.926b440000000p+1f, -0x1.f983840000000p+1f, -0x1.304cb00000000p+2f, -0x1.4d26f80000000p+2f, 0x1.9fb50c0000000p-2f, 0x1.b767c60000000p-3f, 0x0.0p+0f, 0x0.0p+0f};
alignas(64) inline constexpr float kGBC1[16] = {-0x1.0504180000000p-1f, -0x1.e53c160000000p-2f, -0x1.cf67260000000p-2f, -0x1.c0dcea0000000p-2f, -0x1.b3d6ac0000000p-2f, -0x1.aa46e00000000p-2f, -0x1.a4df2e0000000p-2f, -0x1.a187080000000p-2f, -0x1.9e9dd60000000p-2f, -0x1.9c7c820000000p-2f, -0x1.9b4bd60000000p-2f, -0x1.9ad9380000000p-2f, -0x1.92d1be0000000p-1f, -0x1.6212c40000000p-1f, -0x1.b9d9900000000p-2f, -0x1.b9d9900000000p-2f};
alignas(64) inline constexpr float kGBC2[16] = {0x1.7d29e40000000p-5f, 0x1.be5d040000000p-6f, 0x1.1866240000000p-6f, 0x1.6bbad60000000p-7f, 0x1.a16ebe0000000p-8f, 0x1.c05b380000000p-9f, 0x1.08237c0000000p-9f, 0x1.4c5bd60000000p-10f, 0x1.75aa4a0000000p-11f, 0x1.8b1cca0000000p-12f, 0x1.d0e29a0000000p-13f, 0x1.6436620000000p-13f, 0x1.7eec900000000p-4f, 0x1.13674a0000000p-2f, 0x1.8d9a860000000p-2f, 0x1.8d9a9a0000000p-2f};
alignas(64) inline constexpr float kGBC3[16] = {-0x1.20c3260000000p-6f, -0x1.2a48480000000p-7f, -0x1.4dcc9c0000000p-8f, -0x1.82ae3a0000000p-9f, -0x1.7d0e180000000p-10f, -0x1.56543e0000000p-11f, -0x1.586a7c0000000p-12f, -0x1.780bd80000000p-13f, -0x1.60de4a0000000p-14f, -0x1.309fa60000000p-15f, -0x1.2db2600000000p-16f, -0x1.d2274a0000000p-17f, 0x1.07d1b40000000p-2f, 0x1.81762a0000000p-3f, 0x1.2a38e40000000p-6f, 0x1.2a4f920000000p-6f};
alignas(64) inline constexpr float kGBC4[16] = {0x1.92641e0000000p-8f, 0x1.7381800000000p-9f, 0x1.76446e0000000p-10f, 0x1.86b98e0000000p-11f, 0x1.4e2b9e0000000p-12f, 0x1.fb52de0000000p-14f, 0x1.b7ad600000000p-15f, 0x1.a25cba0000000p-16f, 0x1.48e2920000000p-17f, 0x1.d123fc0000000p-19f, 0x1.83fe600000000p-20f, 0x1.4379a00000000p-15f, -0x1.1dd4820000000p-5f, -0x1.87dc9c0000000p-4f, -0x1.d2ae840000000p-4f, -0x1.d3a21e0000000p-4f};
alignas(64) inline constexpr float kGBC5[16] = {-0x1.0800000000000p-9f, -0x1.b600000000000p-11f, -0x1.9000000000000p-12f, -0x1.7c00000000000p-13f, -0x1.2000000000000p-14f, -0x1.7200000000000p-16f, -0x1.1400000000000p-17f, -0x1.cc00000000000p-19f, -0x1.3600000000000p-20f, -0x1.6600000000000p-22f, -0x1.f800000000000p-24f, -0x1.2a00000000000p-24f, -0x1.d200000000000p-5f, -0x1.1a00000000000p-5f, 0x1.f800000000000p-7f, 0x1.0600000000000p-6f};
alignas(64) inline constexpr float kGBC6[16] = {0x1.4776080000000p-11f, 0x1.e974b60000000p-13f, 0x1.9173900000000p-14f, 0x1.63727c0000000p-15f, 0x1.dd71200000000p-17f, 0x1.056f720000000p-18f, 0x1.536e140000000p-20f, 0x1.f76ccc0000000p-22f, 0x1.1d6b360000000p-23f, 0x1.0f69660000000p-25f, 0x1.4367f80000000p-27f, 0x1.09672a0000000p-28f, 0x1.0d7ad20000000p-7f, 0x1.4b7a1a0000000p-6f, 0x1.6678f80000000p-6f, 0x1.f679060000000p-7f};
// e^(-w/2) - 1 = w (c1 + ... ), rel err 2^-28.01
constexpr float kGExpP[6] = {-0x1.0000000000000p-1f, 0x1.fffff80000000p-4f, -0x1.55548e0000000p-6f, 0x1.555b9a0000000p-9f, -0x1.123bf00000000p-12f, 0x1.684fe40000000p-16f};
inline constexpr const float*  kGFC[7] = {kGFC0, kGFC1, kGFC2, kGFC3, kGFC4, kGFC5, kGFC6};
inline constexpr const float*  kGBC[7] = {kGBC0, kGBC1, kGBC2, kGBC3, kGBC4, kGBC5, kGBC6};
// ---- kernels (the tables above are generated by fit_gelu.py / fit_exp.py via mk_header.sh) ----

constexpr float kGeluAMax = 13.2f;  // backward's |x| clamp; x < -kGeluAMax is rare there
// Forward's clamp: f(-14.5) < 2^-150, so every x <= -14.5 gives -0 as the
// reference does, and scalef rounds the subnormal values above once: no
// rare lanes (the last interval's table is fitted up to 14.5: AMAX=14.5).
constexpr float kGeluFwdAMax = 14.5f;

// Shared core. a = min(|x|, 14.5 | 13.2), a1 = a + 1 (rounded); interval j from the exponent and
// 2 mantissa bits of a1 (16 intervals: width 1/4 on [0, 1), 1/2 on [1, 3), 1 on [3, 7), 2 on
// [7, 14.5 | 13.2]; table slot (j + 12) & 15 = low 4 bits of bits(a1) >> 21, which vpermps uses as is).
// P_j(t) = c0 + c1 t + ... + c6 t^6, t = a - ch_j exact (Sterbenz); ch_j is chosen near the
// middle of the interval so that c0 = target(ch_j) is within 1/128 ULP of its float (Gal's
// accurate tables); c6 and c5 share one word (c6 = w, c5 = bits(w) << 16, a bf16).
// Targets (fit_gelu.py): fwd f(-a), bwd f'(-a) for a1 < 2, divided by e^(-a^2/2) for a1 >= 2.
// For a1 >= 2: e^(-a^2/2) = 2^n e^(-w/2), a^2 = p2 + pl exactly, n = round(-a^2 log2(e)/2),
// w = a^2 + 2 n ln2 (|w| <= ln2), e^(-w/2) = 1 + p, p a degree-6 polynomial (fit_exp.py,
// 2^-28); for a1 < 2, p2 = pl = 0 so n = 0 and p = +0 exactly.
template <class D, bool kBwd>
HWY_INLINE void GeluNegPart(D d, V<D> x, V<D>& P, V<D>& Pl, V<D>& n, V<D>& p) {
  // min(|x|, clamp): backward by vminps (NaN stays NaN); forward by one
  // vrangeps (NaN may not survive; the forward's final max with x carries it).
  const V<D> ac = kBwd ? V<D>{_mm512_min_ps(K(d, kGeluAMax).raw, hn::Abs(x).raw)}
                       : V<D>{_mm512_range_ps(x.raw, _mm512_set1_ps(kGeluFwdAMax), 0x0a)};
  const V<D> a1 = hn::Add(ac, K(d, 1.f));  // interval from its bits; a1 >= 2 <=> exp intervals
  const __m512i idx = _mm512_srli_epi32(_mm512_castps_si512(a1.raw), 21);
  const V<D> t = hn::Sub(ac, V<D>{Lut16(idx, kBwd ? kGBCh : kGFCh)});  // exact (Sterbenz)
  const float* const* C = kBwd ? kGBC : kGFC;
  const __m512 w56 = Lut16(idx, C[6]);  // c6 = w56, c5 = bits(w56) << 16 (bf16)
  V<D> q = hn::MulAdd(V<D>{w56}, t, V<D>{_mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(w56), 16))});
  q = hn::MulAdd(q, t, V<D>{Lut16(idx, C[4])});
  q = hn::MulAdd(q, t, V<D>{Lut16(idx, C[3])});
  q = hn::MulAdd(q, t, V<D>{Lut16(idx, C[2])});
  q = hn::MulAdd(q, t, V<D>{Lut16(idx, C[1])});
  if constexpr (kBwd) {
    // zero intervals: P = q (t - cl) with t - cl carried exactly (cl = 0 elsewhere, C0 = 0 there)
    // P + Pl = C0 + q (t - CL): Pl = rounding error of P (C0 - P exact: Sterbenz or C0 = 0) - q CL
    const V<D> c0 = V<D>{Lut16(idx, C[0])};
    P = hn::MulAdd(q, t, c0);
    Pl = hn::MulAdd(q, K(d, kGBMCl), hn::MulAdd(q, t, hn::Sub(c0, P)));
  } else {
    P = hn::MulAdd(q, t, V<D>{Lut16(idx, C[0])});
  }
  // exp: a^2 = p2 + pl exactly; lanes a < 1 get p2 = pl = 0 -> n = 0, w = 0, p = 0.
  // (the same test as the interval choice: a = 0.99999994 rounds to a1 = 2 and uses the exp tables)
  const __mmask16 ex = _mm512_cmp_ps_mask(a1.raw, _mm512_set1_ps(2.f), _CMP_GE_OQ);
  const V<D> p2 = V<D>{_mm512_maskz_mul_ps(ex, ac.raw, ac.raw)};
  const V<D> pl = V<D>{_mm512_maskz_fmsub_ps(ex, ac.raw, ac.raw, p2.raw)};
  const V<D> shift = K(d, 0x1.8p23f);
  n = hn::Sub(hn::MulAdd(p2, K(d, -0.72134752044448170368f), shift), shift);  // round(-a^2 log2(e) / 2)
  constexpr float kL1 = 0x1.62ep0f;  // 2 ln2 to 12 bits
  constexpr float kL2 = (float)(1.386294361119890618834464242916 - (double)0x1.62ep0f);
  V<D> w = hn::MulAdd(n, K(d, kL1), p2);  // exact
  w = hn::Add(w, pl);
  w = hn::MulAdd(n, K(d, kL2), w);  // w = a^2 + 2 n ln2, e^(-a^2/2) = 2^n e^(-w/2)
  // p = e^(-w/2) - 1 = -(w m), m = -(c1 + c2 w + ...) ~ 1/2; "-(w m) + 0" makes p = +0 (not -0) at w = 0
  V<D> m = K(d, -kGExpP[5]);
  m = hn::MulAdd(m, w, K(d, -kGExpP[4]));
  m = hn::MulAdd(m, w, K(d, -kGExpP[3]));
  m = hn::MulAdd(m, w, K(d, -kGExpP[2]));
  m = hn::MulAdd(m, w, K(d, -kGExpP[1]));
  m = hn::MulAdd(m, w, K(d, -kGExpP[0]));
  p = hn::NegMulAdd(m, w, hn::Zero(d));
}

// Forward GELU (erf form), float32, AVX-512 (static AVX3 target).
//   f(x) = x Phi(x) = (x/2) erfc(-x/sqrt(2)).
// Method: with a = min(|x|, 14.5), f(-a) = -a Phi(-a) is evaluated and
//   f(x) = f(-|x|) + max(x, -0)   (x >= +0: f(x) = x + f(-x); x <= -0: f(x) = f(-|x|)).
//   a + 1 < 2 (float sum): f(-a) = P_j(t);   otherwise f(-a) = 2^n P_j(t) (1 + p),
//   P_j = degree-6 polynomial of interval j, t = a - ch_j (exact), see GeluNegPart;
//   e^(-a^2/2) = 2^n (1 + p) with a^2 carried as an exact pair.
// Accuracy (all 2^32 inputs outside the rare lanes, vs the long double reference):
//   max 1.9545 ULP at x = -0x1.3faa06p+1 (-2.4973762); 402092 of 3235066677 inputs above 1 ULP, 0 above 2 ULP.
// No rare lanes: the clamp a <= 14.5 keeps 2^n normal, and scalef rounds the subnormal
//   results (x in [-14.5, -13.2], |f| < 6e-39) once; x < -14.5 gives -0 (f < 2^-150), -inf +0.
// Specials: NaN -> NaN; +inf -> +inf; +0 -> +0, -0 -> -0; f(x) = x for x >= 5.5 (rounded);
//   tiny x: f = x/2 rounded (x = -2^-149 gives -0).
// Speed (1 thread, Zen 4 EPYC, shared machine): ~2.13-2.2 Gelem/s vs oneDNN 2.6 gelu_erf ~1.63 (ratio ~1.30-1.36).
template <class D>
HWY_INLINE V<D> GeluFwd(D d, V<D> x) {
  V<D> P, Pl, n, p;
  GeluNegPart<D, false>(d, x, P, Pl, n, p);
  const V<D> g = V<D>{_mm512_scalef_ps(hn::MulAdd(P, p, P).raw, n.raw)};  // f(-|x|), -0 at +-0
  // f(x) = m + f(-|x|), m = max(x, -0): x >= +0: x + f(-x); x <= -0: f(x) + (-0).
  // m by one vfixupimmps on x's class (response per token, 4 bits each):
  // QNaN, +1, +inf, positive, +-0 -> x itself (0: keep the destination, x;
  // zeros keep their sign), SNaN -> quiet NaN (2), negative -> -0 (7), and
  // -inf -> +0 (8), so that f(-inf) = +0 + (-0) = +0, the reference's limit
  // (finite x < -14.33 give -0, as they should).
  constexpr int kM = (2 << 4) | (8 << 16) | (7 << 24);  // tokens 1 (SNaN), 4 (-inf), 6 (negative)
  const __m512 m = _mm512_fixupimm_ps(x.raw, x.raw, _mm512_set1_epi32(kM), 0);
  return V<D>{_mm512_add_ps(g.raw, m)};
}
template <class D>
HWY_INLINE hn::Mask<D> GeluFwdRare(D, V<D>) {
  return hn::Mask<D>{static_cast<__mmask16>(0)};  // a constant: Hybrid's check folds away
}

// Backward GELU (erf form): dx = dy f'(x), f'(x) = Phi(x) + x phi(x), phi(x) = e^(-x^2/2)/sqrt(2 pi).
// Method: f'(-a) (a = min(|x|, 13.2)) as a pair hi + lo = 2^n (P + (P p + Pl)), P = P_j(t) the
//   interval polynomial, Pl its rounding error, n, p as in the forward (n = 0, p = 0 for a < 1);
//   the zero of f' at x = -0.75179... is kept relatively accurate by the form
//   P + Pl = C0 + q(t) (t - CL), CL = a0 - float(a0) a global constant, a0 the zero
//   (C0 = 0 on the two intervals around it). x >= 0: f'(x) = 1 - f'(-x) (Fast2Sum, |hi| <= 1/2).
//   dx = fma(dy, h, dy hl): one final rounding of dy (h + hl) up to the dy hl product.
// Accuracy (dy = 1, all 2^32 inputs outside the rare lanes, vs the long double reference):
//   max 1.8473 ULP at x = -0x1.cf1b66p+1 (-3.61802363); 202197 of 3235066677 inputs above 1 ULP, 0 above 2 ULP.
// Rare lanes (GeluBwdRare): x < -13.2 (incl. -inf); the caller takes those lanes from the float64 path.
// Specials: NaN -> NaN; f'(+inf) = 1 (dx = dy); f'(+-0) = 1/2; f'(x) = 1 for x >= 6 (rounded).
// Speed (1 thread, same machine): ~1.65-1.72 Gelem/s vs oneDNN ~1.19-1.21 (ratio ~1.40-1.44).
template <class D>
HWY_INLINE V<D> GeluBwd(D d, V<D> x, V<D> dy) {
  V<D> P, Pl, n, p;
  GeluNegPart<D, true>(d, x, P, Pl, n, p);
  const V<D> hi = V<D>{_mm512_scalef_ps(P.raw, n.raw)};  // f'(-|x|) = hi + lo
  const V<D> lo = V<D>{_mm512_scalef_ps(hn::MulAdd(P, p, Pl).raw, n.raw)};
  // x >= 0: f'(x) = 1 - f'(-x) = h + hl (|hi| <= 0.5: Fast2Sum); x < 0: h = hi, hl = lo.
  const __mmask16 pos = _mm512_cmp_ps_mask(x.raw, _mm512_setzero_ps(), _CMP_GE_OQ);
  const __m512 one = _mm512_set1_ps(1.f);
  const __m512 h = _mm512_mask_sub_ps(hi.raw, pos, one, hi.raw);
  const __m512 r = _mm512_sub_ps(_mm512_sub_ps(one, h), hi.raw);
  const __m512 hl = _mm512_mask_sub_ps(lo.raw, pos, r, lo.raw);
  return hn::MulAdd(dy, V<D>{h}, hn::Mul(dy, V<D>{hl}));
}
template <class D>
HWY_INLINE hn::Mask<D> GeluBwdRare(D d, V<D> x) { return hn::Lt(x, K(d, -kGeluAMax)); }

// gelu forward / backward in the fixed Op signatures, for Hybrid.
ACTLAB_LEAN_FWD_OP(GeluFwdOp, GeluFwd, GeluFwdRare);
ACTLAB_LEAN_BWD_OP(GeluBwdOp, GeluBwd, GeluBwdRare);

#else
struct GeluFwdOp;
struct GeluBwdOp;
#endif  // HWY_TARGET <= HWY_AVX3

}  // namespace lean
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
