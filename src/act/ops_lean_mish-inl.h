// Lean float32 mish kernels for AVX-512, forward and backward (per SIMD
// target; included from ops-inl.h, picked with `Pick`). Compiled only on the
// AVX-512 targets: elsewhere the two structs are declared and never used.
// Designed in the prototype harness (tools/lean_proto/) by a second
// developer; the exp and the zone polynomial are the shared ones of
// vlean32-inl.h.
//
// FORWARD  f(x) = x tanh(softplus(x)).  Method: u = e^-|x| (ExpParts, 16-entry
// table, z = -min(|x|, 87) by one vrangeps), then with q = num / den:
//   x < 0:  num = u^2 + 2u, den = num + 2         f = x q
//   x >= 0: num = u^2,      den = num + u + 1/2   f = x - x q   (q <= 0.4: no cancellation)
// num = fma(u, u, maskz(neg, 2u)) with its rounding error fma(u, u, Cn - num)
// (Cn - num exact), den's rounding error by Fast2Sum (C >= num), q = q0 + c1
// (rcp14, one residual correction including both errors). Final: x < 0:
// y = fma(x, q0, x c1) (one rounding); x >= 0: y = fma(-x, fl(q0 + c1), x).
// Measured over all 2^32 floats (x >= -87): max 1.5334 ulp at x = 0x1.9d4dcep-5,
// > 1 ulp: 1450232, > 2 ulp: 0.  Each of the three pieces (num residual, den
// residual, pair final for x < 0) is needed: without one, 2.17-2.38 ulp.
// Specials: +-0 -> +-0 (x < 0 lanes add -0), +inf -> +inf (z clamped, q = 0),
// NaN -> NaN through the arithmetic (not in the sweep; checked separately).
// Rare (MishFwdRare, one compare): x < -87 and -inf.
// Cost ~36 vector ops: ~2.2 Gelem/s here, 0.87-0.97x oneDNN.
//
// BACKWARD f'(x): with u = e^-|x| as a pair (u, el):
//   x < 0:  f' = u B / D^2, B = (4+4x) + u((6+4x) + u(4+u)),  D = u^2 + 2u + 2
//   x >= 0: f' = B / D^2,   B = 1 + u(4 + u((6+4x) + u(4+4x))), D = 2u^2 + 2u + 1
// (the same cubic with reversed coefficients: one masked Horner). Near the zero
// x0 = -1.19243 of f', B cancels (4+4x vs u(...)): the Horner steps carry
// their exact errors (4 + u by Fast2Sum, u h1 by FMA, + c1 by 2Sum), el enters
// as el dB/du; D, D^2, N = M B as pairs; quotient with residual; dx = dy q0 +
// dy (res r0). Zone |x - x0| <= 0.02 (u's polynomial error 2^-29 still shows
// there): f' = t P(t), quartic (tools/fit_lean/zone.py mish 0.02 4, 2^-30.9).
// Rare (MishBwdRare): x < -87, -inf, NaN. +inf -> 1 (x clamped to 87 in 4x).
// Measured over all 2^32 floats (x >= -87, dy = 1): max 1.6383 ulp at x =
// 0x1.daf374p-2, > 1 ulp: 2410857, > 2 ulp: 0. ~1.0 Gelem/s =
// 0.66-0.8x oneDNN (~75 ops, most of them pair arithmetic for the zero).

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
template <class D>
HWY_INLINE hn::Mask<D> MishFwdRare(D d, V<D> x) {
  return hn::Mask<D>{_mm512_cmp_ps_mask(x.raw, _mm512_set1_ps(-87.f), _CMP_LT_OQ)};
}

template <class D>
HWY_INLINE V<D> MishFwd(D d, V<D> x) {
  const V<D> z{_mm512_range_ps(x.raw, _mm512_set1_ps(87.f), 0x0E)};
  V<D> s, p;
  ExpParts<false>(d, z, z, s, p);
  const V<D> u = hn::MulAdd(s, p, s);
  const __mmask16 neg = _mm512_movepi32_mask(_mm512_castps_si512(x.raw));
  const __mmask16 pos = (__mmask16)~neg;
  const V<D> Cn{_mm512_maskz_add_ps(neg, u.raw, u.raw)};
  const V<D> num = hn::MulAdd(u, u, Cn);
  const V<D> C{_mm512_mask_add_ps(_mm512_set1_ps(2.f), pos, u.raw, _mm512_set1_ps(0.5f))};
  const V<D> den = hn::Add(num, C);
  const V<D> r0 = hn::ApproximateReciprocal(den);
  const V<D> q0 = hn::Mul(num, r0);
  V<D> res = hn::NegMulAdd(q0, den, num);
  res = hn::Add(res, hn::MulAdd(u, u, hn::Sub(Cn, num)));        // num's rounding error (Cn - num exact)
  res = hn::NegMulAdd(q0, hn::Sub(num, hn::Sub(den, C)), res);  // den's (Fast2Sum, C >= num)
  // x < 0: f = x q = fma(x, q0, x c1) (one rounding); x >= 0: f = x + z q, z = -x.
  const V<D> c1 = hn::Mul(res, r0);
  const V<D> Q{_mm512_mask_add_ps(q0.raw, pos, q0.raw, c1.raw)};
  const V<D> XA{_mm512_mask_mul_ps(x.raw, neg, x.raw, c1.raw)};
  return hn::MulAdd(z, Q, XA);
}


constexpr float kMishX0h = -0x1.31432cp+0f, kMishX0l = -0x1.a25b08p-29f;
constexpr float kMishZ[6] = {0x1.115accp-2f, -0x1.7b5fccp-27f, 0x1.a34a26p-3f, 0x1.574f12p-5f, -0x1.4c293cp-6f, -0x1.0331b6p-6f};  // tools/fit_lean/zone.py mish 0.02 4
template <class D>
HWY_INLINE hn::Mask<D> MishBwdRare(D d, V<D> x) {
  return hn::Mask<D>{_mm512_cmp_ps_mask(x.raw, _mm512_set1_ps(-87.f), _CMP_NGE_UQ)};
}
template <class D>
HWY_INLINE V<D> MishBwd(D d, V<D> x, V<D> dy) {
  const V<D> z{_mm512_range_ps(x.raw, _mm512_set1_ps(87.f), 0x0E)};  // -min(|x|, 87)
  V<D> s, p;
  ExpParts<false>(d, z, z, s, p);
  const V<D> u = hn::MulAdd(s, p, s);
  const V<D> el = hn::MulAdd(s, p, hn::Sub(s, u));
  const __mmask16 neg = _mm512_movepi32_mask(_mm512_castps_si512(x.raw));
  const V<D> one = K(d, 1.f), four = K(d, 4.f);
  const V<D> xc = hn::Min(x, K(d, 87.f));  // +inf / huge x: no inf * 0
  const V<D> a4 = hn::MulAdd(xc, four, four);
  const V<D> a6 = hn::MulAdd(xc, four, K(d, 6.f));
  // coefficients c0 + u (c1 + u (c2 + u c3))
  const V<D> c3{_mm512_mask_mov_ps(a4.raw, neg, one.raw)};
  const V<D> c2{_mm512_mask_mov_ps(a6.raw, neg, four.raw)};
  const V<D> c1{_mm512_mask_mov_ps(four.raw, neg, a6.raw)};
  const V<D> c0{_mm512_mask_mov_ps(one.raw, neg, a4.raw)};
  const V<D> h1 = hn::MulAdd(u, c3, c2);
  const V<D> h1l = hn::MulAdd(u, c3, hn::Sub(c2, h1));  // exact for x < 0
  const V<D> ph = hn::Mul(u, h1);
  const V<D> pl = hn::MulSub(u, h1, ph);
  const V<D> h2 = hn::Add(ph, c1);
  const V<D> bb = hn::Sub(h2, ph);
  V<D> h2l = hn::Add(hn::Sub(ph, hn::Sub(h2, bb)), hn::Sub(c1, bb));
  h2l = hn::Add(h2l, hn::MulAdd(u, h1l, pl));
  const V<D> B = hn::MulAdd(u, h2, c0);
  // dB/du ~ h2 + u (h1 + u c3)
  const V<D> dB = hn::MulAdd(u, hn::MulAdd(u, c3, h1), h2);
  const V<D> Bl = hn::MulAdd(u, h2l, hn::Mul(el, dB));
  // D = fma(u, Y, c): x < 0: Y = u + 2, c = 2; x >= 0: Y = 2u + 2, c = 1
  const V<D> two = K(d, 2.f);
  const V<D> m{_mm512_mask_mov_ps(two.raw, neg, one.raw)};
  const V<D> Y = hn::MulAdd(u, m, two);                       // u + 2 or 2u + 2
  const V<D> Yl = hn::MulAdd(u, m, hn::Sub(two, Y));          // exact
  const V<D> cc{_mm512_mask_mov_ps(one.raw, neg, two.raw)};
  const V<D> Dh = hn::MulAdd(u, Y, cc);
  // D's error: el dD/du (~ Y + u m) + u Yl + rounding (fma(u, Y, cc - Dh), cc - Dh exact while Dh <= 2 cc)
  const V<D> Dl = hn::MulAdd(el, hn::MulAdd(u, m, Y), hn::MulAdd(u, Yl, hn::MulAdd(u, Y, hn::Sub(cc, Dh))));
  const V<D> D2 = hn::Mul(Dh, Dh);
  const V<D> D2l = hn::MulAdd(hn::Add(Dh, Dh), Dl, hn::MulSub(Dh, Dh, D2));
  // N = M B, M = u (x < 0) or 1
  const V<D> M{_mm512_mask_mov_ps(one.raw, neg, u.raw)};
  const V<D> Ml = V<D>{_mm512_maskz_mov_ps(neg, el.raw)};
  const V<D> Nh = hn::Mul(M, B);
  const V<D> Nl = hn::MulAdd(Ml, B, hn::MulAdd(M, Bl, hn::MulSub(M, B, Nh)));
  const V<D> r0 = hn::ApproximateReciprocal(D2);
  const V<D> q0 = hn::Mul(Nh, r0);
  V<D> res = hn::NegMulAdd(q0, D2, Nh);
  res = hn::NegMulAdd(q0, D2l, hn::Add(res, Nl));
  V<D> dx = hn::MulAdd(dy, q0, hn::Mul(dy, hn::Mul(res, r0)));
  const auto zone = InZoneNeg(d, x, kMishX0h, 0.02f);
  if (HWY_UNLIKELY(!hn::AllFalse(d, zone))) dx = hn::IfThenElse(zone, ZoneGrad(d, x, dy, kMishX0h, kMishX0l, kMishZ), dx);
  return dx;
}

ACTLAB_LEAN_FWD_OP(MishFwdOp, MishFwd, MishFwdRare);
ACTLAB_LEAN_BWD_OP(MishBwdOp, MishBwd, MishBwdRare);
#else
struct MishFwdOp;
struct MishBwdOp;
#endif  // HWY_TARGET <= HWY_AVX3

}  // namespace lean
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
