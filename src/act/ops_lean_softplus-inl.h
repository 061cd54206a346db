// Lean float32 softplus and logsigmoid forward for AVX-512 (per SIMD
// target; included from ops-inl.h, picked with `Pick`). Compiled only on the
// AVX-512 targets: elsewhere the two structs are declared and never used.
//
// Both are max(x, 0) or min(x, 0) plus or minus L(|x|), L(a) = log(1 + e^-a),
// and L comes straight from a table, with no exp and no quotient:
//   a = min(|x|, 15.74) (one vrangeps), k = round(2a) from the bits of the
//   1.5 2^23 shifter, t = a - k/2 (exact: one FMA), and on each of 32
//   intervals of width 1/2 (vpermt2ps picks the coefficients by the low 5
//   bits of k)
//     L = c0 + t (c1 + t (c2 + t (c3 + t (c4 + t c5)))),
//   fitted in mpmath for relative error, coefficients rounded to float one
//   at a time (tools/fit_lean/log1pexp_table.py: 2^-24.2 with c0's rounding).
// ~17 operations where the exp + corrected quotient + atanh series took ~35.
// Beyond |x| = 15.74, L(a) < 0.16 ULP of a, so max(x, 0) + L = x rounds as the
// reference does; the other side needs e^-|x| (1 - e^-|x| / 2) (ExpTail: the
// value is tiny, down to subnormal, and rounded once by scalef), evaluated
// only for vectors with such a lane. So no rare lanes at all. Designed in the
// prototype harness (tools/lean_proto/) by a second developer.

#if defined(ACTLAB_OPS_LEAN_SOFTPLUS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_OPS_LEAN_SOFTPLUS_INL_H_
#undef ACTLAB_OPS_LEAN_SOFTPLUS_INL_H_
#else
#define ACTLAB_OPS_LEAN_SOFTPLUS_INL_H_
#endif

#include "actlab/act/catalogue.hpp"
#include "hwy/highway.h"
#include "src/act/ops_lean-inl.h"  // Log1pExpNegAbs, ScaledLo (softplus with beta != 1)
#include "src/act/vlean32-inl.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace lean {

#if HWY_TARGET <= HWY_AVX3
// tools/fit_lean/log1pexp_table.py 5 single: slot k = round(2a) & 31, centre k/2.
alignas(64) inline constexpr float kL1pC0[32] = {0x1.62e4300000000p-1f, 0x1.e574700000000p-2f, 0x1.40c7ac0000000p-2f, 0x1.9c7e900000000p-3f, 0x1.03f2d60000000p-3f, 0x1.4321e20000000p-4f, 0x1.8e07100000000p-5f, 0x1.e76e4c0000000p-6f, 0x1.295e500000000p-6f, 0x1.6a03340000000p-7f, 0x1.b818da0000000p-8f, 0x1.0b48ec0000000p-8f, 0x1.447e360000000p-9f, 0x1.89d2540000000p-10f, 0x1.dddef40000000p-11f, 0x1.21e5340000000p-11f, 0x1.5fb2f60000000p-12f, 0x1.aaa9240000000p-13f, 0x1.02cb0c0000000p-13f, 0x1.39f0880000000p-14f, 0x1.7cd5640000000p-15f, 0x1.cdfa860000000p-16f, 0x1.1834a80000000p-16f, 0x1.53e8660000000p-17f, 0x1.9c54700000000p-18f, 0x1.f42e960000000p-19f, 0x1.2f603e0000000p-19f, 0x1.7003860000000p-20f, 0x1.be6c640000000p-21f, 0x1.0ec5000000000p-21f, 0x1.4875c60000000p-22f, 0x1.8e71360000000p-23f};
alignas(64) inline constexpr float kL1pC1[32] = {-0x1.0000040000000p-1f, -0x1.829a060000000p-2f, -0x1.1365620000000p-2f, -0x1.759b840000000p-3f, -0x1.e841560000000p-4f, -0x1.36b7120000000p-4f, -0x1.8483440000000p-5f, -0x1.e040660000000p-6f, -0x1.26afa00000000p-6f, -0x1.6805280000000p-7f, -0x1.b69f660000000p-8f, -0x1.0abd920000000p-8f, -0x1.4417780000000p-9f, -0x1.8986a20000000p-10f, -0x1.dda7340000000p-11f, -0x1.21d0ae0000000p-11f, -0x1.5fa3dc0000000p-12f, -0x1.aa9e060000000p-13f, -0x1.02c6f40000000p-13f, -0x1.39ed840000000p-14f, -0x1.7cd32c0000000p-15f, -0x1.cdf8e40000000p-16f, -0x1.18340c0000000p-16f, -0x1.53e7f40000000p-17f, -0x1.9c541a0000000p-18f, -0x1.f42e560000000p-19f, -0x1.2f60260000000p-19f, -0x1.7003740000000p-20f, -0x1.be6c560000000p-21f, -0x1.0ec4fa0000000p-21f, -0x1.4875c00000000p-22f, -0x1.8e71320000000p-23f};
alignas(64) inline constexpr float kL1pC2[32] = {0x1.00011e0000000p-3f, 0x1.e149260000000p-4f, 0x1.92a9620000000p-4f, 0x1.3174460000000p-4f, 0x1.ae0d700000000p-5f, 0x1.1f25260000000p-5f, 0x1.7216400000000p-6f, 0x1.d22cb00000000p-7f, 0x1.2162f20000000p-7f, 0x1.640ff20000000p-8f, 0x1.b3af880000000p-9f, 0x1.09a79a0000000p-9f, 0x1.4349a80000000p-10f, 0x1.88eef60000000p-11f, 0x1.dd37b60000000p-12f, 0x1.21a7c20000000p-12f, 0x1.5f857c0000000p-13f, 0x1.aa86de0000000p-14f, 0x1.02be600000000p-14f, 0x1.39e74c0000000p-15f, 0x1.7cceb20000000p-16f, 0x1.cdf4c80000000p-17f, 0x1.1832f80000000p-17f, 0x1.53e6f60000000p-18f, 0x1.9c53520000000p-19f, 0x1.f42db80000000p-20f, 0x1.2f5f3c0000000p-20f, 0x1.7003480000000p-21f, 0x1.be6b8e0000000p-22f, 0x1.0ec44a0000000p-22f, 0x1.4875c40000000p-23f, 0x1.8e70800000000p-24f};
alignas(64) inline constexpr float kL1pC3[32] = {-0x1.ce70d20000000p-17f, -0x1.3a51920000000p-7f, -0x1.f02e4e0000000p-7f, -0x1.02ac220000000p-6f, -0x1.b4ad120000000p-7f, -0x1.44c48a0000000p-7f, -0x1.bea4ce0000000p-8f, -0x1.24923e0000000p-8f, -0x1.73fba60000000p-9f, -0x1.d051620000000p-10f, -0x1.1e93ae0000000p-10f, -0x1.5f572e0000000p-11f, -0x1.aceaa40000000p-12f, -0x1.052c740000000p-12f, -0x1.3d952c0000000p-13f, -0x1.81cdec0000000p-14f, -0x1.d464ea0000000p-15f, -0x1.1c3d980000000p-15f, -0x1.58eae80000000p-16f, -0x1.a27e580000000p-17f, -0x1.fbb7320000000p-18f, -0x1.33f53c0000000p-18f, -0x1.759c9a0000000p-19f, -0x1.c535640000000p-20f, -0x1.12e4e20000000p-20f, -0x1.4d76f20000000p-21f, -0x1.94807e0000000p-22f, -0x1.eab3620000000p-23f, -0x1.299eb80000000p-23f, -0x1.6907aa0000000p-24f, -0x1.b5f8ee0000000p-25f, -0x1.09a1c40000000p-25f};
alignas(64) inline constexpr float kL1pC4[32] = {-0x1.543c860000000p-8f, -0x1.05edac0000000p-8f, -0x1.8363240000000p-10f, 0x1.4d14c00000000p-11f, 0x1.a6ce080000000p-10f, 0x1.baaa200000000p-10f, 0x1.67a1a80000000p-10f, 0x1.01de560000000p-10f, 0x1.593b6a0000000p-11f, 0x1.bcfe2c0000000p-12f, 0x1.1786260000000p-12f, 0x1.5a4f240000000p-13f, 0x1.aa14160000000p-14f, 0x1.04530c0000000p-14f, 0x1.3d202a0000000p-15f, 0x1.81b14e0000000p-16f, 0x1.d4eb580000000p-17f, 0x1.1d00a60000000p-17f, 0x1.59d1860000000p-18f, 0x1.a36f120000000p-19f, 0x1.fcc26c0000000p-20f, 0x1.34efce0000000p-20f, 0x1.764a0a0000000p-21f, 0x1.c642380000000p-22f, 0x1.1388500000000p-22f, 0x1.4e3c280000000p-23f, 0x1.95f92a0000000p-24f, 0x1.ebcabc0000000p-25f, 0x1.2a8a920000000p-25f, 0x1.6a570a0000000p-26f, 0x1.b6e1520000000p-27f, 0x1.0a7b500000000p-27f};
alignas(64) inline constexpr float kL1pC5[32] = {0x1.14d8ec0000000p-13f, 0x1.c3bd7c0000000p-11f, 0x1.0a87900000000p-10f, 0x1.4542f20000000p-11f, 0x1.5875ee0000000p-13f, -0x1.4f35c40000000p-14f, -0x1.46bada0000000p-13f, -0x1.30df160000000p-13f, -0x1.cec28e0000000p-14f, -0x1.43c6260000000p-14f, -0x1.a393040000000p-15f, -0x1.08380a0000000p-15f, -0x1.4e6d8a0000000p-16f, -0x1.9971b80000000p-17f, -0x1.f0702c0000000p-18f, -0x1.2e0b4a0000000p-18f, -0x1.731b460000000p-19f, -0x1.c5682a0000000p-20f, -0x1.122e620000000p-20f, -0x1.4b8d180000000p-21f, -0x1.92b3f00000000p-22f, -0x1.ec7ffe0000000p-23f, -0x1.2606fa0000000p-23f, -0x1.68095c0000000p-24f, -0x1.b3077e0000000p-25f, -0x1.08382e0000000p-25f, -0x1.436d5e0000000p-26f, -0x1.8553480000000p-27f, -0x1.dac8a20000000p-28f, -0x1.2079360000000p-28f, -0x1.599f800000000p-29f, -0x1.a817760000000p-30f};

constexpr float kL1pAMax = 15.74f;  // round(2 a) <= 31

// L(min(|x|, 15.74)) = log(1 + e^-a). NaN gives a finite value (vrangeps):
// the callers' max / min with x carry the NaN.
HWY_INLINE __m512 Log1pExpTab(__m512 x) {
  const __m512 a = _mm512_range_ps(x, _mm512_set1_ps(kL1pAMax), 0x0a);  // min(|x|, 15.74), sign cleared
  const __m512 shift = _mm512_set1_ps(0x1.8p23f);
  const __m512 k = _mm512_fmadd_ps(a, _mm512_set1_ps(2.f), shift);  // round(2a) in the low bits
  const __m512i idx = _mm512_castps_si512(k);
  const __m512 t = _mm512_fmadd_ps(_mm512_sub_ps(k, shift), _mm512_set1_ps(-0.5f), a);  // a - k/2, exact
  auto lut = [&](const float* tab) { return Lut32(idx, tab); };
  __m512 q = _mm512_fmadd_ps(lut(kL1pC5), t, lut(kL1pC4));
  q = _mm512_fmadd_ps(q, t, lut(kL1pC3));
  q = _mm512_fmadd_ps(q, t, lut(kL1pC2));
  q = _mm512_fmadd_ps(q, t, lut(kL1pC1));
  return _mm512_fmadd_ps(q, t, lut(kL1pC0));
}

// log(1 + e^z) = e^z (1 - e^z / 2) (next term < 2^-46 relative) for z <
// -15.74, -inf included: e^z = 2^n e^r, e^r by its degree-8 Taylor
// polynomial (2^-28; r = z - n ln2 in two steps, |r| <= 0.35), and one
// scalef at the end, so subnormal results are rounded once; z <= -104
// gives +0.
HWY_INLINE __m512 ExpTail(__m512 z) {
  const __m512 zc = _mm512_max_ps(_mm512_set1_ps(-160.f), z);  // -inf -> -160 (rounds to +0)
  const __m512 shift = _mm512_set1_ps(0x1.8p23f);
  const __m512 nf = _mm512_sub_ps(_mm512_fmadd_ps(zc, _mm512_set1_ps(1.44269504088896341f), shift), shift);
  __m512 r = _mm512_fnmadd_ps(nf, _mm512_set1_ps(0x1.62ep-1f), zc);  // exact: ln2's high part has 12 bits
  r = _mm512_fnmadd_ps(nf, _mm512_set1_ps(0x1.0bfbe8p-15f), r);
  constexpr float c[9] = {1.f, 1.f, 0.5f, 1.f / 6, 1.f / 24, 1.f / 120, 1.f / 720, 1.f / 5040, 1.f / 40320};
  __m512 q = _mm512_set1_ps(c[8]);
  for (int j = 7; j >= 0; --j) q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(c[j]));  // e^r
  const __m512 e = _mm512_scalef_ps(q, nf);  // e^z, rounded: enough for the e/2 term
  return _mm512_scalef_ps(_mm512_fmadd_ps(_mm512_mul_ps(e, _mm512_set1_ps(-0.5f)), q, q), nf);
}

// softplus forward: f = beta x > threshold ? x : (max(b, 0) + log1p(e^-|b|))
// / beta, b = beta x. beta = 1 and threshold >= 18 (the defaults: 1, 20;
// SoftplusUnitFwd):
// f = max(x, 0) + L(|x|), tail e^x (1 - e^x/2) for x < -15.74; max 1.21
// ULP (all 2^32 inputs). Other parameters: the exp-based Log1pExpNegAbs
// with b as an exact pair (the branch decided on the exact product, as in
// the reference) and the division by beta corrected by its exact residual;
// max 1.76 ULP (beta = 1, threshold < 18). Rare: beta x < -87 for those
// (results near the denormal range), -inf, NaN; none for the defaults.
// +inf -> +inf, -inf -> +0, +-0 -> ln2.
struct SoftplusFwd {
  template <class D>
  static HWY_INLINE V<D> Table(D d, V<D> x) {
    const __m512 xr = x.raw;
    __m512 y = _mm512_add_ps(_mm512_max_ps(_mm512_setzero_ps(), xr), Log1pExpTab(xr));  // max(0, NaN) = NaN
    const __mmask16 tail = _mm512_cmp_ps_mask(xr, _mm512_set1_ps(-kL1pAMax), _CMP_LT_OQ);
    if (HWY_UNLIKELY(tail)) y = _mm512_mask_mov_ps(y, tail, ExpTail(xr));
    return V<D>{y};
  }
  // kUnit: beta = 1, where b = x exactly and there is nothing to divide.
  template <bool kUnit, class D>
  static HWY_INLINE V<D> Impl(D d, V<D> x, const Params& p) {
    const V<D> bh = kUnit ? x : hn::Mul(K(d, p.v[0]), x);
    const V<D> bl = kUnit ? hn::Zero(d) : ScaledLo(d, p.v[0], x, bh);
    const V<D> l = Log1pExpNegAbs<!kUnit>(d, bh, bl);
    V<D> y;
    if constexpr (kUnit) {
      y = hn::Add(hn::Max(x, hn::Zero(d)), l);
    } else {
      y = hn::Add(hn::Max(bh, hn::Zero(d)), hn::Add(l, hn::IfThenElseZero(hn::Gt(bh, hn::Zero(d)), bl)));
      const V<D> inv = K(d, 1.f / p.v[0]);
      const V<D> q0 = hn::Mul(y, inv);
      y = hn::MulAdd(hn::NegMulAdd(q0, K(d, p.v[0]), y), inv, q0);
    }
    const V<D> thr = K(d, p.v[1]);
    const M<D> above = hn::Or(hn::Gt(bh, thr), hn::And(hn::Eq(bh, thr), hn::Gt(bl, hn::Zero(d))));
    return hn::IfThenElse(above, x, y);
  }
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    return p.v[0] == 1.f ? Impl<true>(d, x, p) : Impl<false>(d, x, p);
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D> x, const Params& p) {
    return hn::Not(hn::Ge(hn::Mul(K(d, p.v[0]), x), K(d, -87.f)));
  }
};
// The table path alone, for beta = 1 and threshold >= 18 (the defaults;
// Op<Act::softplus>::Special, chosen once per call): no rare lanes.
struct SoftplusUnitFwd {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    return SoftplusFwd::Table(d, x);
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D, V<D>, const Params&) {
    return hn::Mask<D>{static_cast<__mmask16>(0)};  // a constant: Hybrid's check folds away
  }
};

// logsigmoid forward: f = min(x, 0) - L(|x|); for x > 15.74, -e^-x (1 -
// e^-x/2) (ExpTail). No cancellation: both terms have f's sign. Max 1.21
// ULP (all 2^32 inputs). No rare lanes. -inf -> -inf, +inf -> -0, +-0 ->
// -ln2, NaN -> NaN (vminps(0, x) returns x).
struct LogsigmoidFwd {
  template <class D>
  static HWY_INLINE V<D> fwd(D, V<D> x, const Params&) {
    const __m512 xr = x.raw;
    __m512 y = _mm512_sub_ps(_mm512_min_ps(_mm512_setzero_ps(), xr), Log1pExpTab(xr));
    const __mmask16 tail = _mm512_cmp_ps_mask(xr, _mm512_set1_ps(kL1pAMax), _CMP_GT_OQ);
    if (HWY_UNLIKELY(tail)) y = _mm512_mask_sub_ps(y, tail, _mm512_setzero_ps(), ExpTail(_mm512_sub_ps(_mm512_setzero_ps(), xr)));
    return V<D>{y};
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D, V<D>, const Params&) {
    return hn::Mask<D>{static_cast<__mmask16>(0)};  // a constant: Hybrid's check folds away
  }
};
#else
struct SoftplusFwd;
struct SoftplusUnitFwd;
struct LogsigmoidFwd;
#endif  // HWY_TARGET <= HWY_AVX3

}  // namespace lean
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
