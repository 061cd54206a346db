// Lean float32 kernels for AVX-512 (per SIMD target; included from
// ops-inl.h, which picks them over the pair kernels of ops_f32-inl.h with
// `Pick` where lean::kEnabled). Same fixed signatures and rare-lane masks as
// ops_f32-inl.h:
//   static V fwd(D d, V x, const Params& p);            + FwdRare(d, x, p)
//   static V bwd(D d, V x, V y, V dy, const Params& p); + BwdRare(d, x, p)
// Rare lanes take the float64 result (Hybrid), lane by lane.
//
// The math is in vlean32-inl.h. Contracts: the catalogue's ulp_fwd /
// ulp_bwd (<= 2 ULP), measured over all 2^32 inputs on the AVX-512 target
// (docs/accuracy.md); the numbers below are those maxima. NaN -> NaN,
// +-inf -> the reference's limits, +-0 -> +-0 where the reference keeps the
// sign.

#if defined(ACTLAB_OPS_LEAN_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_OPS_LEAN_INL_H_
#undef ACTLAB_OPS_LEAN_INL_H_
#else
#define ACTLAB_OPS_LEAN_INL_H_
#endif

#include "actlab/act/catalogue.hpp"
#include "hwy/highway.h"
#include "src/act/ops_f32-inl.h"  // f32::EluKind, f32::None
#include "src/act/vlean32-inl.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

namespace lean {
template <class D>
using M = hn::Mask<D>;

// beta x as a pair (hi, exact residual); where hi is +-inf the residual is
// meaningless and set to 0.
template <class D>
HWY_INLINE V<D> ScaledLo(D d, float beta, V<D> x, V<D> hi) {
  return hn::IfThenZeroElse(hn::IsInf(hi), hn::MulSub(K(d, beta), x, hi));
}

// sigmoid forward: N / (1 + e^-|x|), N = e^-|x| (x < 0) or 1 (Sigmoid).
// Max 1.47 ULP (e's rounding in the numerator for x < 0). Rare: x < -87
// (results near the denormal range), -inf, NaN. +inf -> 1.
struct SigmoidFwd {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    return Sigmoid<false>(d, x, hn::Zero(d));
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D> x, const Params&) {
    return hn::Not(hn::Ge(x, K(d, -87.f)));
  }
};

// logsigmoid backward: dx = dy sigmoid(-x) (Sigmoid). Max 1.47 ULP.
// Rare: x > 87, +inf, NaN. -inf -> dy.
struct LogsigmoidBwd {
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) {
    return hn::Mul(dy, Sigmoid<false>(d, hn::Neg(x), hn::Zero(d)));
  }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D> x, const Params&) {
    return hn::Not(hn::Le(x, K(d, 87.f)));
  }
};

// softplus backward: dx = dy (beta x > threshold ? 1 : sigmoid(beta x)),
// beta x as an exact pair whose residual enters the exp (so a large beta
// costs no accuracy) and the branch is decided on the exact product, as in
// the reference. Max 1.47 ULP. Rare: beta x < -87, -inf, NaN.
struct SoftplusBwd {
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params& p) {
    const V<D> bh = hn::Mul(K(d, p.v[0]), x);
    const V<D> bl = ScaledLo(d, p.v[0], x, bh);
    const V<D> thr = K(d, p.v[1]);
    const M<D> above = hn::Or(hn::Gt(bh, thr), hn::And(hn::Eq(bh, thr), hn::Gt(bl, hn::Zero(d))));
    return hn::Mul(dy, hn::IfThenElse(above, K(d, 1.f), Sigmoid<true>(d, bh, bl)));
  }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D> x, const Params& p) {
    return hn::Not(hn::Ge(hn::Mul(K(d, p.v[0]), x), K(d, -87.f)));
  }
};

// softplus backward with beta = 1 and threshold >= 18 (the defaults: 1, 20;
// Op<Act::softplus>::Special): dx = dy sigmoid(x). b = x exactly, and the
// quotient gives exactly 1 from x = 18 on (e < 2^-26, rcp14's error enters
// squared), so the threshold's branch changes nothing. Max 1.47 ULP. Rare:
// x < -87, -inf, NaN.
struct SoftplusUnitBwd {
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) {
    return hn::Mul(dy, Sigmoid<false>(d, x, hn::Zero(d)));
  }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D> x, const Params&) {
    return hn::Not(hn::Ge(x, K(d, -87.f)));
  }
};

// tanh forward: a piecewise polynomial, as oneDNN's own kernel, but with
// the value at each centre as a float pair (a float c0 alone costs 0.5 ULP).
// a = min(|x|, 15.5) lies in one of 32 intervals: the quarter-octaves of
// [2^-4, 2^4) by the exponent and 2 mantissa bits of a (bits >> 21; the
// bits of a below 2^-4 map to interval 0 = [0, 0.078125), those above 9.5
// to tanh = 1), and per lane vpermt2ps picks the interval's centre c and
// coefficients from 32-entry tables (two registers each):
//   tanh(a) = c0hi + (c0lo + t (c1 + t (c2 + ... + t c6))),  t = a - c.
// Fitted in mpmath with float coefficients (tools/fit_lean/piecewise.py tanh): the
// approximation error is below 2^-30 relative in every interval, so the
// error is the rounding of the last two operations. Max 0.99 ULP; the sign
// by CopySign (-0 -> -0, +-inf -> +-1). Rare: NaN (the clamp would lose it).
struct TanhFwd {
  alignas(64) static constexpr float kTanhC[32] = {0x1.2000000000000p+1f, 0x1.6000000000000p+1f, 0x1.a000000000000p+1f, 0x1.e000000000000p+1f, 0x1.2000000000000p+2f, 0x1.6000000000000p+2f, 0x1.a000000000000p+2f, 0x1.e000000000000p+2f, 0x1.2000000000000p+3f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x1.6000000000000p-4f, 0x1.a000000000000p-4f, 0x1.e000000000000p-4f, 0x1.2000000000000p-3f, 0x1.6000000000000p-3f, 0x1.a000000000000p-3f, 0x1.e000000000000p-3f, 0x1.2000000000000p-2f, 0x1.6000000000000p-2f, 0x1.a000000000000p-2f, 0x1.e000000000000p-2f, 0x1.2000000000000p-1f, 0x1.6000000000000p-1f, 0x1.a000000000000p-1f, 0x1.e000000000000p-1f, 0x1.2000000000000p+0f, 0x1.6000000000000p+0f, 0x1.a000000000000p+0f, 0x1.e000000000000p+0f};
  alignas(64) static constexpr float kTanhC0h[32] = {0x1.f4bfd60000000p-1f, 0x1.fbd50a0000000p-1f, 0x1.fe767a0000000p-1f, 0x1.ff6f180000000p-1f, 0x1.ffdfa80000000p-1f, 0x1.fffba00000000p-1f, 0x1.ffff680000000p-1f, 0x1.ffffec0000000p-1f, 0x1.fffffe0000000p-1f, 0x1.0000000000000p+0f, 0x1.0000000000000p+0f, 0x1.0000000000000p+0f, 0x0.0p+0f, 0x1.5f22d20000000p-4f, 0x1.9e93560000000p-4f, 0x1.ddd0920000000p-4f, 0x1.1e1dd00000000p-3f, 0x1.5c93080000000p-3f, 0x1.9a5f1c0000000p-3f, 0x1.d7665c0000000p-3f, 0x1.18a39a0000000p-2f, 0x1.52c2c60000000p-2f, 0x1.8a87e20000000p-2f, 0x1.bfae6a0000000p-2f, 0x1.0508700000000p-1f, 0x1.3157e00000000p-1f, 0x1.5789000000000p-1f, 0x1.77d8380000000p-1f, 0x1.9e5cb60000000p-1f, 0x1.c278a60000000p-1f, 0x1.d9c6fa0000000p-1f, 0x1.e8789e0000000p-1f};
  alignas(64) static constexpr float kTanhC0l[32] = {0x1.85bfa40000000p-26f, -0x1.4614700000000p-27f, -0x1.45958c0000000p-26f, -0x1.62ae240000000p-27f, -0x1.bd58d00000000p-26f, -0x1.a07c2e0000000p-26f, 0x1.3fb26e0000000p-27f, -0x1.0eb8720000000p-26f, 0x1.f4b3ae0000000p-26f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, -0x1.2659b00000000p-32f, 0x1.f48db80000000p-30f, 0x1.493e060000000p-29f, 0x1.57365c0000000p-29f, -0x1.bb0c720000000p-28f, -0x1.899af80000000p-31f, 0x1.f377060000000p-28f, -0x1.94b7ba0000000p-30f, -0x1.3c4f3e0000000p-27f, -0x1.6998780000000p-27f, 0x1.72e49c0000000p-27f, -0x1.a1256a0000000p-26f, -0x1.608ea40000000p-29f, -0x1.de5acc0000000p-26f, 0x1.c680b00000000p-26f, -0x1.16eca60000000p-27f, -0x1.ab63720000000p-26f, 0x1.fcc3900000000p-26f, 0x1.9d81bc0000000p-26f};
  alignas(64) static constexpr float kTanhC1[32] = {0x1.64108a0000000p-5f, 0x1.09a7a80000000p-6f, 0x1.88ef6e0000000p-8f, 0x1.21a7b40000000p-9f, 0x1.02c03c0000000p-11f, 0x1.1834760000000p-14f, 0x1.2f61b40000000p-17f, 0x1.48779c0000000p-20f, 0x1.060dac0000000p-24f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x1.0000000000000p+0f, 0x1.fc3cbe0000000p-1f, 0x1.fac13e0000000p-1f, 0x1.f9085a0000000p-1f, 0x1.f601ca0000000p-1f, 0x1.f12b000000000p-1f, 0x1.eb715a0000000p-1f, 0x1.e4dfb20000000p-1f, 0x1.d98b360000000p-1f, 0x1.c7f7240000000p-1f, 0x1.b3ff2e0000000p-1f, 0x1.9e23ae0000000p-1f, 0x1.7aeae60000000p-1f, 0x1.49e6c00000000p-1f, 0x1.197fce0000000p-1f, 0x1.d834d20000000p-2f, 0x1.6150020000000p-2f, 0x1.cea7440000000p-3f, 0x1.265e340000000p-3f, 0x1.6fcfa60000000p-4f};
  alignas(64) static constexpr float kTanhC2[32] = {-0x1.5c3d8c0000000p-5f, -0x1.077e0c0000000p-6f, -0x1.87c1660000000p-8f, -0x1.2155b60000000p-9f, -0x1.02af0c0000000p-11f, -0x1.1831260000000p-14f, -0x1.2f605e0000000p-17f, -0x1.48767c0000000p-20f, -0x1.05d1d60000000p-24f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, -0x1.0e15f80000000p-28f, -0x1.5c8eee0000000p-4f, -0x1.9a543c0000000p-4f, -0x1.d750180000000p-4f, -0x1.1888720000000p-3f, -0x1.5279e80000000p-3f, -0x1.89e5040000000p-3f, -0x1.be6ca40000000p-3f, -0x1.038f7e0000000p-2f, -0x1.2daf940000000p-2f, -0x1.4ff71c0000000p-2f, -0x1.6a1d3c0000000p-2f, -0x1.825dfc0000000p-2f, -0x1.897d240000000p-2f, -0x1.79c0e00000000p-2f, -0x1.5aa21c0000000p-2f, -0x1.1defac0000000p-2f, -0x1.970e080000000p-3f, -0x1.10646e0000000p-3f, -0x1.5ee8920000000p-4f};
  alignas(64) static constexpr float kTanhC3[32] = {0x1.bbce040000000p-6f, 0x1.5994ce0000000p-7f, 0x1.03964e0000000p-8f, 0x1.80e7420000000p-10f, 0x1.5860640000000p-12f, 0x1.7529b00000000p-15f, 0x1.9410380000000p-18f, 0x1.b57a980000000p-21f, 0x1.56786c0000000p-25f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, -0x1.5555260000000p-2f, -0x1.49c2480000000p-2f, -0x1.470f700000000p-2f, -0x1.42b2c40000000p-2f, -0x1.3aaff20000000p-2f, -0x1.2ed6b20000000p-2f, -0x1.2046180000000p-2f, -0x1.101bfe0000000p-2f, -0x1.e8f36c0000000p-3f, -0x1.987b100000000p-3f, -0x1.4249040000000p-3f, -0x1.d719740000000p-4f, -0x1.bcf15a0000000p-5f, 0x1.d6bcde0000000p-7f, 0x1.0722860000000p-4f, 0x1.843dc20000000p-4f, 0x1.c68f5e0000000p-4f, 0x1.97d92c0000000p-4f, 0x1.33de5a0000000p-4f, 0x1.a85d420000000p-5f};
  alignas(64) static constexpr float kTanhC4[32] = {-0x1.93cd340000000p-7f, -0x1.4e3bc00000000p-8f, -0x1.00775a0000000p-9f, -0x1.7f354a0000000p-11f, -0x1.582b780000000p-13f, -0x1.75419c0000000p-16f, -0x1.9435cc0000000p-19f, -0x1.b5a5520000000p-22f, -0x1.58cf760000000p-26f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, -0x1.5aa54a0000000p-15f, 0x1.7978e20000000p-4f, 0x1.2c32680000000p-4f, 0x1.43d4940000000p-4f, 0x1.80c9d60000000p-4f, 0x1.a6b69e0000000p-4f, 0x1.e920ea0000000p-4f, 0x1.0deb0c0000000p-3f, 0x1.3444d40000000p-3f, 0x1.4f889a0000000p-3f, 0x1.5cf10a0000000p-3f, 0x1.587ef20000000p-3f, 0x1.3a60f40000000p-3f, 0x1.e952ee0000000p-4f, 0x1.470b8c0000000p-4f, 0x1.6281840000000p-5f, 0x1.ac45ae0000000p-9f, -0x1.5dd5f60000000p-6f, -0x1.9d27580000000p-6f, -0x1.55d5780000000p-6f};
  alignas(64) static constexpr float kTanhC5[32] = {0x1.04b0560000000p-8f, 0x1.f5d4cc0000000p-10f, 0x1.93f0f00000000p-11f, 0x1.32d7e60000000p-12f, 0x1.1e7cd80000000p-14f, 0x1.3761ea0000000p-17f, 0x1.514bf00000000p-20f, 0x1.6d362e0000000p-23f, 0x1.4912940000000p-27f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, 0x1.133cba0000000p-3f, -0x1.21e5800000000p+4f, -0x1.1809e00000000p+2f, -0x1.574ff40000000p+1f, -0x1.feb33e0000000p-1f, 0x1.5629620000000p-1f, 0x1.9bfcde0000000p-2f, 0x1.84d4d80000000p-1f, -0x1.a85a840000000p-10f, 0x1.4876220000000p-4f, -0x1.a357000000000p-5f, -0x1.5d44780000000p-6f, -0x1.76db160000000p-5f, -0x1.d955ee0000000p-5f, -0x1.f2b7dc0000000p-5f, -0x1.bfbbb00000000p-5f, -0x1.071e740000000p-5f, -0x1.395ac60000000p-7f, 0x1.768eca0000000p-10f, 0x1.2be2160000000p-8f};
  alignas(64) static constexpr float kTanhC6[32] = {-0x1.7840540000000p-11f, -0x1.1df58c0000000p-11f, -0x1.fe724a0000000p-13f, -0x1.90f6960000000p-14f, -0x1.79a19e0000000p-16f, -0x1.9bf9aa0000000p-19f, -0x1.be7fc40000000p-22f, -0x1.e375fc0000000p-25f, -0x1.aaa1fe0000000p-29f, 0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, -0x1.956ee20000000p-7f, -0x1.a5d8680000000p+8f, -0x1.6093e40000000p+6f, -0x1.6fa1ea0000000p+5f, -0x1.f165740000000p+3f, 0x1.96ec4a0000000p+2f, 0x1.8bb3480000000p+1f, 0x1.6ccfec0000000p+2f, -0x1.f7da1e0000000p-2f, 0x1.6057640000000p-3f, -0x1.4eca820000000p-2f, -0x1.75df100000000p-4f, -0x1.694f7a0000000p-5f, -0x1.b863900000000p-9f, 0x1.3001b40000000p-7f, 0x1.e985f80000000p-7f, 0x1.2eaf540000000p-6f, 0x1.67730a0000000p-7f, 0x1.0b99340000000p-8f, 0x1.4ef7920000000p-11f};
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    const hn::RebindToSigned<D> di;
    const V<D> a = hn::Min(hn::Abs(x), K(d, 15.5f));
    // 492 = the bits >> 21 of 2^-4: smaller a share interval 0.
    const VI<D> idx = hn::Max(hn::ShiftRight<21>(hn::BitCast(di, a)), hn::Set(di, 492));
    const V<D> t = hn::Sub(a, Lookup32(d, kTanhC, idx));
    V<D> q = Lookup32(d, kTanhC6, idx);
    q = hn::MulAdd(q, t, Lookup32(d, kTanhC5, idx));
    q = hn::MulAdd(q, t, Lookup32(d, kTanhC4, idx));
    q = hn::MulAdd(q, t, Lookup32(d, kTanhC3, idx));
    q = hn::MulAdd(q, t, Lookup32(d, kTanhC2, idx));
    q = hn::MulAdd(q, t, Lookup32(d, kTanhC1, idx));
    const V<D> y = hn::Add(Lookup32(d, kTanhC0h, idx), hn::MulAdd(q, t, Lookup32(d, kTanhC0l, idx)));
    return hn::CopySign(y, x);
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D, V<D> x, const Params&) {
    return hn::IsNaN(x);
  }
};

// log1p(e^-|b|) = 2 atanh(s) = 2s + 2s^3
// R(s^2), s = e / (2 + e) in [0, 1/3] as one corrected quotient that also
// takes e's residual, R cubic (2^-27.6 relative, tools/fit_lean/log1p.py).
// No cancellation anywhere: the callers add max(b, 0) or min(b, 0).
template <bool kLo, class D>
HWY_INLINE V<D> Log1pExpNegAbs(D d, V<D> b, V<D> bl) {
  M<D> neg;
  V<D> el;
  const V<D> e = ExpNegAbs<kLo>(d, b, bl, neg, &el);
  // s = (e + el) / (2 + e): residual e - s0 (2 + e) = (e - 2 s0) - s0 e, with
  // e - 2 s0 exact (Sterbenz: 2 s0 ~ 2e / (2 + e) in [2e/3, e]) and s0 e exact
  // in the FMA, so 2 + e is rounded only for the estimate.
  const V<D> r0 = hn::ApproximateReciprocal(hn::Add(K(d, 2.f), e));
  const V<D> s0 = hn::Mul(e, r0);
  const V<D> res = hn::Add(hn::NegMulAdd(s0, e, hn::Sub(e, hn::Add(s0, s0))), el);
  const V<D> s = hn::MulAdd(res, r0, s0);
  const V<D> u = hn::Mul(s, s);
  V<D> R = hn::MulAdd(K(d, 0x1.1e32bap-3f), u, K(d, 0x1.1ee270p-3f));
  R = hn::MulAdd(R, u, K(d, 0x1.99cf72p-3f));
  R = hn::MulAdd(R, u, K(d, 0x1.555508p-2f));
  const V<D> t = hn::Add(s, s);
  return hn::MulAdd(hn::Mul(t, u), R, t);
}

// swish / silu forward: f = x sigmoid(b), b = beta x (an exact pair; silu:
// beta = 1), as one quotient (N + Nl) / (1 + e), e = e^-|b|, N + Nl = x e
// (b < 0, with the product's exact error, and for beta != 1 e's residual)
// or x. Max 1.48 ULP (silu; every 7th input in the harness). +-0 -> +-0;
// beta = 0 -> x / 2. Rare: b < -87 (sigmoid near the denormal range), x =
// +-inf or NaN.
template <bool kSilu>
struct SwishFwd {
  template <class D>
  static HWY_INLINE V<D> B(D d, V<D> x, const Params& p) {
    return kSilu ? x : hn::Mul(K(d, p.v[0]), x);
  }
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    const V<D> bh = B(d, x, p);
    const V<D> bl = kSilu ? hn::Zero(d) : ScaledLo(d, p.v[0], x, bh);
    M<D> neg;
    V<D> el;
    const V<D> e = ExpNegAbs<!kSilu>(d, bh, bl, neg, kSilu ? nullptr : &el);
    const V<D> sel = hn::IfThenElse(neg, e, K(d, 1.f));
    const V<D> N = hn::Mul(x, sel);
    // N's exact rounding error; silu leaves out e's own residual (0.55 ULP
    // of e: 1.48 ULP in all instead of 1.16, 3 operations fewer).
    V<D> Nl = hn::MulSub(x, sel, N);
    if (!kSilu) Nl = hn::MulAdd(x, hn::IfThenElseZero(neg, el), Nl);
    const V<D> r = DivOnePlus(d, N, Nl, e);
    return hn::IfThenElse(hn::Eq(x, hn::Zero(d)), x, r);
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D> x, const Params& p) {
    return hn::Not(hn::And(hn::Ge(B(d, x, p), K(d, -87.f)), hn::IsFinite(x)));
  }
};

// silu / swish backward: dx = dy f'(x). swish(x) = silu(u) / beta, u = beta x,
// so f'(x) = silu'(u) = s (1 + u (1 - s)), s = sigmoid(u); silu' has a zero
// at u0 = -1.27846454276 that needs relative accuracy next to it.
// With E = e^-|u| as a pair (e, el):
//   f' = N / (1 + E)^2,  u >= 0: N = B = (1 + E) + u E,
//                        u <  0: N = E B, B = (1 + E) + u,
// den = 1 + e as a pair (its rounding error plus el), B = fma(u, u < 0 ? 1 :
// e, den) exact by Sterbenz on [-2.5, -0.64] (around u0), N and D = den^2 as
// pairs (FMA product errors), then N / D corrected by its exact residual and
// dx = dy q0 + dy (res r0): one final rounding. For beta != 1, u = beta x is
// an exact pair (uh, ul): ul enters e^-|u| through the reduction and B
// (both signs: N gains e ul to first order). Within 0.01 of u0 (an integer
// subtract and an unsigned compare; computed only for vectors with such a
// lane, ~4 % of them for normal(0, 3) data) f' = t P(t), t = u - u0 as a
// pair, P cubic with c0 as a pair (2^-32.5 relative; tools/fit_lean/zone.py).
// silu: t = (x - u0h) - u0l (x is a float, so the closest x sits far enough
// from u0 that u0 as a float pair suffices); swish: t = (uh - u0h) + (ul -
// u0l - u0ll) with 2Sum steps, because beta x can land within 2^-40 of u0.
// Max 1.51 ULP (silu; the main formula alone: 1.04 ULP outside the zone).
// beta = 0 gives 1/2; +inf -> 1 (u clamped to 87 in u E). Rare: u < -87
// or NaN. (silu and swish with beta = 1 use the table kernel of
// ops_lean_silu-inl.h, which takes its |x| > 15.5 lanes from this one.)
// Designed in the prototype harness (tools/lean_proto/).
template <bool kSilu>
struct SwishBwd {
  static constexpr float kX0h = -0x1.474974p+0f, kX0l = 0x1.bdf6fap-27f, kX0ll = 0x1.03945ap-53f, kZone = 0.01f;
  // P(t) = (c0h + c0l) + t (c2 + t (c3 + t c4)), [c0h, c0l, c2, c3, c4].
  static constexpr float kP[5] = {0x1.be141p-3f, 0x1.1975cap-29f, 0x1.2c5634p-3f, 0x1.353ba8p-6f,
                                  -0x1.f2ce8cp-7f};
  template <class D>
  static HWY_INLINE V<D> U(D d, V<D> x, const Params& p) {
    return kSilu ? x : hn::Mul(K(d, p.v[0]), x);
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D> y, V<D> dy, const Params& p) {
    const V<D> one = K(d, 1.f);
    const V<D> u = U(d, x, p);
    const V<D> ul = kSilu ? hn::Zero(d) : ScaledLo(d, p.v[0], x, u);
    M<D> neg;
    V<D> el;
    const V<D> e = ExpNegAbs<!kSilu>(d, u, ul, neg, &el);
    const V<D> den = hn::Add(one, e);
    const V<D> dlo = hn::Add(hn::Sub(e, hn::Sub(den, one)), el);
    const V<D> bh = hn::MulAdd(hn::Min(u, K(d, 87.f)), hn::IfThenElse(neg, one, e), den);
    const V<D> ns = hn::IfThenElse(neg, e, one);  // N = (ns + nsl) B
    const V<D> nh = hn::Mul(ns, bh);
    V<D> nl = hn::MulSub(ns, bh, nh);
    nl = hn::MulAdd(hn::IfThenElseZero(neg, el), bh, nl);
    nl = hn::MulAdd(ns, dlo, nl);
    if constexpr (!kSilu) nl = hn::MulAdd(e, ul, nl);  // B's ul (u < 0: ns ul; u >= 0: e ul)
    const V<D> dh = hn::Mul(den, den);  // D = den^2
    const V<D> dl = hn::MulAdd(hn::Add(den, den), dlo, hn::MulSub(den, den, dh));
    const V<D> r0 = hn::ApproximateReciprocal(dh);
    const V<D> q0 = hn::Mul(nh, r0);
    const V<D> res = hn::NegMulAdd(q0, dl, hn::Add(hn::NegMulAdd(q0, dh, nh), nl));
    V<D> dx = hn::MulAdd(dy, q0, hn::Mul(dy, hn::Mul(res, r0)));
    const M<D> zone = InZoneNeg(d, u, kX0h, kZone);
    if (HWY_UNLIKELY(!hn::AllFalse(d, zone))) {
      const V<D> g = kSilu ? ZoneGrad(d, x, dy, kX0h, kX0l, kP) : ZoneGradPair(d, u, ul, dy, kX0h, kX0l, kX0ll, kP);
      dx = hn::IfThenElse(zone, g, dx);
    }
    return dx;
  }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D> x, const Params& p) {
    return hn::Not(hn::Ge(U(d, x, p), K(d, -87.f)));  // also NaN u (beta = 0, x = +-inf)
  }
};

// exponential forward: e^x = s (1 + p) from the 16-entry table (ExpParts),
// one final rounding: max 0.56 ULP (the 0.5 of that rounding, the cubic's
// 2^-29 and the table's correction). Rare: x outside ~[-87.3, 88.7] (the
// denormal range, where s would not be normal, and the top of the range,
// where the table index would carry into the exponent), +-inf, NaN.
struct ExpFwd {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    V<D> s, p;
    ExpParts<false>(d, x, x, s, p);
    return hn::MulAdd(s, p, s);
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D> x, const Params&) {
    return hn::Not(hn::Le(hn::Abs(hn::Sub(x, K(d, 0.7f))), K(d, 88.f)));
  }
};

// The elu family forward: f = x > 0 ? s x : c expm1(z), z = x / a, with
// (s, c, a) = (1, alpha, 1) for elu, (scale, scale alpha, 1) for selu
// (constants as float pairs) and (1, alpha, alpha) for celu (z as an exact
// pair: quotient plus residual, x clamped at -88 alpha first so that x /
// alpha cannot overflow). expm1 is the unrounded pair of Expm1Neg (no
// cancellation near 0), scaled by c with one rounding. -0 -> -0, -inf -> -c, +inf ->
// +inf; no rare lanes.
template <f32::EluKind kKind>
struct EluFwd {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    const V<D> xn = hn::Min(x, hn::Zero(d));
    V<D> mh, ml;  // expm1(z) = mh + ml, unrounded
    if constexpr (kKind == f32::EluKind::celu) {
      const V<D> a = K(d, p.v[0]), inv = K(d, 1.f / p.v[0]);
      const V<D> xc = hn::Max(xn, K(d, -88.f * p.v[0]));
      const V<D> q = hn::Mul(xc, inv);
      Expm1Neg<true>(d, q, hn::Mul(hn::NegMulAdd(q, a, xc), inv), mh, ml);  // residual exact (FMA)
    } else {
      Expm1Neg<false>(d, xn, hn::Zero(d), mh, ml);
    }
    V<D> neg, pos = x;
    if constexpr (kKind == f32::EluKind::selu) {
      // (ch + cl)(mh + ml) to one rounding (the cl ml term is below 2^-48).
      const V<D> ch = K(d, 0x1.c212ccp+0f), cl = K(d, 0x1.903c0cp-26f);
      neg = hn::MulAdd(ch, mh, hn::MulAdd(cl, mh, hn::Mul(ch, ml)));
      // x s.hi + x s.lo, the low product 0 at x = inf (not inf - inf).
      pos = hn::MulAdd(x, K(d, 0x1.0cfabep+0f), hn::Mul(hn::IfThenZeroElse(hn::IsInf(x), x), K(d, -0x1.2adddap-25f)));
    } else {
      const V<D> c = K(d, p.v[0]);
      neg = hn::MulAdd(c, mh, hn::Mul(c, ml));
    }
    // f <= 0 for x <= 0, so x's sign on |neg| is exact there and keeps the
    // sign of a zero (+-0 -> +-0); NaN fails x <= 0 and passes through pos.
    return hn::IfThenElse(hn::Le(x, hn::Zero(d)), hn::CopySign(neg, x), pos);
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D>, const Params&) {
    return f32::None(d);
  }
};

}  // namespace lean
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
