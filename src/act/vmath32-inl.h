// float32-lane vector math for the smooth activations (per SIMD target, like
// vmath-inl.h; no include guard on purpose).
//
// Why: evaluating in float64 lanes (vmath-inl.h) halves the lanes and needs
// float64-length polynomials; these routines keep float32 lanes and get
// their accuracy from error-free transformations instead:
//   - values that feed a later cancellation or a final product are carried
//     as unevaluated pairs hi + lo (|lo| <= ulp(hi)/2), formed with
//     TwoSum / Fast2Sum / TwoProd (FMA) -- all exact;
//   - exp's argument reduction is exact (Cody-Waite with a 9-bit ln2_hi) and
//     its rounding residue is carried into the polynomial;
//   - reciprocals are one Newton step on the hardware estimate (AVX-512
//     rcp14, relative error < 2^-14, so the step leaves < 2^-28) or a true
//     division where the estimate is only 12 bits (AVX2);
//   - a quotient a / b is corrected by its residual a - q b (exact with FMA).
// Only used on targets with a native FMA (AVX2, AVX-512): without it MulAdd
// rounds twice and none of the pairs above is exact; those targets keep the
// float64 path (ops-inl.h, kF32Math).
//
// Accuracy (the error of each pair against the exact value): ExpPair 2^-32
// relative (polynomial, float coefficients) plus 2^-40 rounding; SigmoidPair
// likewise ~2^-31. The final rounding to one float adds 0.5 ULP, so the
// activations built on these are within ~0.51 ULP where no cancellation
// follows; the measured numbers are the catalogue's contracts.

#if defined(ACTLAB_VMATH32_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_VMATH32_INL_H_
#undef ACTLAB_VMATH32_INL_H_
#else
#define ACTLAB_VMATH32_INL_H_
#endif

#include <cstdint>

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

namespace vm32 {

template <class D>
using V = hn::Vec<D>;

// hi + lo, |lo| small next to |hi|; the value is their exact sum.
template <class VT>
struct PairT {
  VT hi, lo;
};
template <class D>
using Pair = PairT<V<D>>;

template <class D>
HWY_INLINE V<D> K(D d, float v) {
  return hn::Set(d, v);
}

// Exact sum of a and b, |a| >= |b| (or a = 0).
template <class VT>
HWY_INLINE PairT<VT> Fast2Sum(VT a, VT b) {
  const VT s = hn::Add(a, b);
  return {s, hn::Sub(b, hn::Sub(s, a))};
}

// Exact sum of any a and b (Knuth).
template <class VT>
HWY_INLINE PairT<VT> TwoSum(VT a, VT b) {
  const VT s = hn::Add(a, b);
  const VT bb = hn::Sub(s, a);
  return {s, hn::Add(hn::Sub(a, hn::Sub(s, bb)), hn::Sub(b, bb))};
}

// Exact product (FMA).
template <class VT>
HWY_INLINE PairT<VT> TwoProd(VT a, VT b) {
  const VT p = hn::Mul(a, b);
  return {p, hn::MulSub(a, b, p)};
}

// 1 / a for positive normal a, to ~0.5 ULP.
template <class D>
HWY_INLINE V<D> Recip(D d, V<D> a) {
#if HWY_TARGET <= HWY_AVX3
  const V<D> r0 = hn::ApproximateReciprocal(a);  // rcp14: |error| < 2^-14
  return hn::MulAdd(r0, hn::NegMulAdd(a, r0, K(d, 1.f)), r0);
#else
  return hn::Div(K(d, 1.f), a);  // rcpps is only 12 bits: one step is not enough
#endif
}

// Horner evaluation of c[0] + c[1] x + ... + c[N-1] x^(N-1).
template <class D, size_t N>
HWY_INLINE V<D> PolyLow(D d, V<D> x, const float (&c)[N]) {
  V<D> r = hn::Set(d, c[N - 1]);
  for (size_t i = N - 1; i-- > 0;) r = hn::MulAdd(r, x, hn::Set(d, c[i]));
  return r;
}

// (e^r - 1 - r) / r^2 on |r| <= ln2/2 + 2e-4, float coefficients, relative
// error of 1 + r + r^2 Q(r) against e^r below 2^-32.1 (least squares on 400
// Chebyshev nodes, mpmath: tools/fit_f32.py 6).
constexpr float kExpQ[7] = {0x1.0p-1f,         0x1.555556p-3f,  0x1.555554p-5f, 0x1.1110ap-7f,
                            0x1.6c19fep-10f,   0x1.a18768p-13f, 0x1.9d5d34p-16f};

// e^(x + xlo) = 2^n (1 + u), split into its pieces for callers that need
// e^x - 1 as well: n (as float), u as a pair (u = e^r - 1, |u| < 0.42).
// x is clamped to [-104, 89] (e^-104 rounds to +0, e^89 overflows), xlo must
// be tiny next to x (a rounding residue); it is dropped where |x| >= 104.
// kLo: xlo may be as large as ulp(x) / 2 (a product's residue); it is
// folded into r exactly first, because the first-order term rl (1 + r)
// below is only accurate for rl ~ 2^-25 r.
template <bool kLo, class D>
HWY_INLINE void ExpParts(D d, V<D> x, V<D> xlo, V<D>& n, Pair<D>& u) {
  const V<D> xc = hn::Min(hn::Max(x, K(d, -104.f)), K(d, 89.f));
  xlo = hn::IfThenElseZero(hn::Lt(hn::Abs(x), K(d, 104.f)), xlo);
  n = hn::Round(hn::Mul(xc, K(d, 1.44269504088896341f)));
  // ln2 = kC1 + kC2 (+ 2^-37): n kC1 is exact (9 + 8 bits) and so is
  // xc - n kC1 (it has no more bits than xc), so r + rl is xc - n ln2 to
  // 2^-37 n: the reduction adds no error worth counting.
  constexpr float kC1 = 0.693359375f;
  constexpr float kC2 = -2.12194440e-4f;
  const V<D> rh = hn::NegMulAdd(n, K(d, kC1), xc);
  V<D> r = hn::NegMulAdd(n, K(d, kC2), rh);
  V<D> rl = hn::NegMulAdd(n, K(d, kC2), hn::Sub(rh, r));
  if (kLo) {
    const Pair<D> rr = TwoSum(r, hn::Add(rl, xlo));
    r = rr.hi;
    rl = rr.lo;
  }
  // u = r + r^2 Q(r) + rl (1 + r): e^(r + rl) - 1 to first order in rl.
  const V<D> t = hn::MulAdd(rl, r, hn::MulAdd(hn::Mul(r, r), PolyLow(d, r, kExpQ), rl));
  u = TwoSum(r, t);
}

// 2^n as two float factors (each a normal power of two for n in [-150,
// 128]), so that v 2^n = (v s1) s2 rounds only once, also into the
// denormal range, and overflows to inf at n = 128.
template <class D>
HWY_INLINE void Pow2(D d, V<D> n, V<D>& s1, V<D>& s2) {
  const hn::RebindToSigned<D> di;
  const auto ni = hn::ConvertTo(di, n);
  const auto n1 = hn::ShiftRight<1>(ni);
  const auto n2 = hn::Sub(ni, n1);
  s1 = hn::BitCast(d, hn::ShiftLeft<23>(hn::Add(n1, hn::Set(di, 127))));
  s2 = hn::BitCast(d, hn::ShiftLeft<23>(hn::Add(n2, hn::Set(di, 127))));
}

// e^(x + xlo) as a pair (relative error ~2^-32). NaN x gives garbage: the
// callers restore NaN at the end (KeepNaN).
template <bool kLo = false, class D>
HWY_INLINE Pair<D> ExpPair(D d, V<D> x, V<D> xlo) {
  V<D> n;
  Pair<D> u;
  ExpParts<kLo>(d, x, xlo, n, u);
  // 1 + u: Fast2Sum (1 >= |u.hi|) keeps the rounding of the sum.
  const Pair<D> p = Fast2Sum(K(d, 1.f), u.hi);
  const Pair<D> e = Fast2Sum(p.hi, hn::Add(p.lo, u.lo));
  V<D> s1, s2;
  Pow2(d, n, s1, s2);
  return {hn::Mul(hn::Mul(e.hi, s1), s2), hn::Mul(hn::Mul(e.lo, s1), s2)};
}

// e^(x + xlo) - 1 as a pair, for x <= 0 (the elu family): u itself where
// n = 0 (|x| < ln2/2, where e^x - 1 would cancel), else e^x - 1 with the
// subtraction of 1 made exact by TwoSum.
template <bool kLo = false, class D>
HWY_INLINE Pair<D> Expm1PairNeg(D d, V<D> x, V<D> xlo) {
  V<D> n;
  Pair<D> u;
  ExpParts<kLo>(d, x, xlo, n, u);
  const Pair<D> p = Fast2Sum(K(d, 1.f), u.hi);
  const Pair<D> e0 = Fast2Sum(p.hi, hn::Add(p.lo, u.lo));
  V<D> s1, s2;
  Pow2(d, n, s1, s2);
  const V<D> eh = hn::Mul(hn::Mul(e0.hi, s1), s2);
  const V<D> el = hn::Mul(hn::Mul(e0.lo, s1), s2);
  const Pair<D> m = Fast2Sum(K(d, -1.f), eh);  // e <= 1 here
  const Pair<D> big = Fast2Sum(m.hi, hn::Add(m.lo, el));
  const auto small = hn::Eq(n, hn::Zero(d));
  return {hn::IfThenElse(small, u.hi, big.hi), hn::IfThenElse(small, u.lo, big.lo)};
}

// sigmoid(z) and sigmoid(-z) for z = |x + xlo|... precisely: with
// e = e^-|x + xlo| (a pair) and q ~ 1 / (1 + e),
//   big   = sigmoid(|x|)  = 1 / (1 + e)
//   small = sigmoid(-|x|) = e / (1 + e)
// both as pairs (relative error ~2^-31): each quotient is corrected by its
// exact residual. No overflow anywhere (e <= 1), no cancellation.
template <bool kLo = false, class D>
HWY_INLINE void SigmoidPairs(D d, V<D> x, V<D> xlo, Pair<D>& big, Pair<D>& small) {
  const auto neg = hn::Lt(x, hn::Zero(d));
  const V<D> z = hn::Neg(hn::Abs(x));
  const V<D> zl = hn::IfThenElse(neg, xlo, hn::Neg(xlo));
  const Pair<D> e = ExpPair<kLo>(d, z, zl);
  const Pair<D> den0 = Fast2Sum(K(d, 1.f), e.hi);
  const V<D> dh = den0.hi, dl = hn::Add(den0.lo, e.lo);  // 1 + e = dh + dl
  const V<D> q = Recip(d, dh);
  // 1 - (dh + dl) q, exact up to the rounding of a tiny number.
  const V<D> res = hn::NegMulAdd(dl, q, hn::NegMulAdd(dh, q, K(d, 1.f)));
  big = {q, hn::Mul(q, res)};
  const V<D> s0 = hn::Mul(e.hi, q);
  // e - s0 (dh + dl), with e = e.hi + e.lo.
  const V<D> rn = hn::NegMulAdd(s0, dl, hn::Add(hn::NegMulAdd(s0, dh, e.hi), e.lo));
  small = {s0, hn::Mul(rn, q)};
}

// sigmoid(x + xlo) as a pair.
template <bool kLo = false, class D>
HWY_INLINE Pair<D> SigmoidPair(D d, V<D> x, V<D> xlo) {
  Pair<D> big, small;
  SigmoidPairs<kLo>(d, x, xlo, big, small);
  const auto neg = hn::Lt(x, hn::Zero(d));
  return {hn::IfThenElse(neg, small.hi, big.hi), hn::IfThenElse(neg, small.lo, big.lo)};
}

// sigmoid(x) sigmoid(-x) (= sigmoid'(x)) as a pair: the product of the two
// pairs, formed with one FMA.
template <bool kLo = false, class D>
HWY_INLINE Pair<D> SigmoidDerivPair(D d, V<D> x, V<D> xlo) {
  Pair<D> big, small;
  SigmoidPairs<kLo>(d, x, xlo, big, small);
  const Pair<D> p = TwoProd(small.hi, big.hi);
  return {p.hi, hn::Add(p.lo, hn::MulAdd(small.hi, big.lo, hn::Mul(small.lo, big.hi)))};
}

// a (hi + lo) rounded once (to ~0.5 ULP).
template <class VT>
HWY_INLINE VT MulPair(VT a, const PairT<VT>& p) {
  return hn::MulAdd(a, p.hi, hn::Mul(a, p.lo));
}

// hi + lo rounded once.
template <class VT>
HWY_INLINE VT Round(const PairT<VT>& p) {
  return hn::Add(p.hi, p.lo);
}

}  // namespace vm32
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
