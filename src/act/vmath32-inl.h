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
// relative (polynomial, float coefficients) plus 2^-29 from forming
// 1 + r + t (OnePlus); SigmoidPair likewise ~2^-28. The final rounding to
// one float adds 0.5 ULP, so the activations built on these are within
// ~0.52 ULP where no cancellation follows; the measured numbers are the
// catalogue's contracts.
//
// Cost: this machine class retires about two 512-bit FP operations per
// cycle and fewer of the conversions, rounds and rcp14, so every operation
// counts; the pairs are formed with the fewest Fast2Sums the error budget
// allows (docs/performance.md, "Session 3").

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

// e^(x + xlo) = 2^n (1 + r + t), |r| <= ln2/2 + 2e-4, |t| < 0.07: the
// reduction and the polynomial, for x already clamped by the caller to
// where 2^n is what it needs (n = round(x / ln2)). xlo must be tiny next to
// x (a rounding residue). kLo: xlo may be as large as ulp(x) / 2 (a
// product's residue); it is folded into r exactly first, because the
// first-order term rl (1 + r) below is only accurate for rl ~ 2^-25 r.
template <bool kLo, class D>
HWY_INLINE void ExpReduce(D d, V<D> x, V<D> xlo, V<D>& n, V<D>& r, V<D>& t) {
  n = hn::Round(hn::Mul(x, K(d, 1.44269504088896341f)));
  // ln2 = kC1 + kC2 (+ 2^-37): n kC1 is exact (9 + 8 bits) and so is
  // x - n kC1 (it has no more bits than x), so r + rl is x - n ln2 to
  // 2^-37 n: the reduction adds no error worth counting.
  constexpr float kC1 = 0.693359375f;
  constexpr float kC2 = -2.12194440e-4f;
  const V<D> rh = hn::NegMulAdd(n, K(d, kC1), x);
  r = hn::NegMulAdd(n, K(d, kC2), rh);
  V<D> rl = hn::NegMulAdd(n, K(d, kC2), hn::Sub(rh, r));
  if (kLo) {
    const Pair<D> rr = TwoSum(r, hn::Add(rl, xlo));
    r = rr.hi;
    rl = rr.lo;
  }
  // e^(r + rl) - 1 - r = r^2 Q(r) + rl (1 + r) to first order in rl.
  t = hn::MulAdd(rl, r, hn::MulAdd(hn::Mul(r, r), PolyLow(d, r, kExpQ), rl));
}

// 1 + r + t (from ExpReduce) as a pair, normalised (|lo| <= ulp(hi) / 2):
// 1 + r is exact (Fast2Sum, 1 >= |r|), its residue joins t with an error
// below 2^-29 (|t| < 0.07), and one more Fast2Sum normalises.
template <class D>
HWY_INLINE Pair<D> OnePlus(D d, V<D> r, V<D> t) {
  const Pair<D> s = Fast2Sum(K(d, 1.f), r);
  return Fast2Sum(s.hi, hn::Add(s.lo, t));
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

// p 2^n for a pair p, both parts rounded once (Pow2).
template <class D>
HWY_INLINE Pair<D> ScalePair(D d, const Pair<D>& p, V<D> n) {
  V<D> s1, s2;
  Pow2(d, n, s1, s2);
  return {hn::Mul(hn::Mul(p.hi, s1), s2), hn::Mul(hn::Mul(p.lo, s1), s2)};
}

// e^(x + xlo) as a pair (relative error ~2^-29) over the whole float range
// (x clamped to [-104, 89]; denormal and overflowing results are rounded
// once by Pow2). NaN x gives garbage: the callers restore NaN at the end
// (KeepNaN).
template <bool kLo = false, class D>
HWY_INLINE Pair<D> ExpPair(D d, V<D> x, V<D> xlo) {
  const V<D> xc = hn::Min(hn::Max(x, K(d, -104.f)), K(d, 89.f));
  xlo = hn::IfThenElseZero(hn::Lt(hn::Abs(x), K(d, 104.f)), xlo);
  V<D> n, r, t;
  ExpReduce<kLo>(d, xc, xlo, n, r, t);
  return ScalePair(d, OnePlus(d, r, t), n);
}

// 2^n for integral n in [-126, 127] (one normal factor from n's bits).
template <class D>
HWY_INLINE V<D> Pow2Normal(D d, V<D> n) {
  const hn::RebindToSigned<D> di;
  return hn::BitCast(d, hn::ShiftLeft<23>(hn::Add(hn::ConvertTo(di, n), hn::Set(di, 127))));
}

// e^(x + xlo) as a pair where the result is a normal float, cheaper than
// ExpPair: x is clamped below at -87 (n >= -126, one scaling factor); the
// caller keeps x <= 88. Below -87 the value is only right for callers that
// add it to 1 (1 + e^-87 rounds to 1) or that send those lanes to the
// float64 path (FwdRare / BwdRare). NaN x gives garbage.
template <bool kLo = false, class D>
HWY_INLINE Pair<D> ExpPairNormal(D d, V<D> x, V<D> xlo) {
  if (kLo) xlo = hn::IfThenElseZero(hn::Ge(x, K(d, -87.f)), xlo);  // -inf: NaN residue
  V<D> n, r, t;
  ExpReduce<kLo>(d, hn::Max(x, K(d, -87.f)), xlo, n, r, t);
  const Pair<D> e = OnePlus(d, r, t);
  const V<D> s = Pow2Normal(d, n);
  return {hn::Mul(e.hi, s), hn::Mul(e.lo, s)};
}

// e^(x + xlo) - 1 as a pair, for x <= 0 (the elu family), without
// cancellation: with s = 2^n (n <= 0),
//   e^x - 1 = (s - 1) + s r + s t,
// where s - 1 is an exact pair (Fast2Sum), s r and s t are exact products,
// and each partial sum is no smaller than what is added to it (|s - 1| >=
// 1/2 > |s r| for n < 0; s - 1 = 0 for n = 0). x is clamped at -87, where
// e^x - 1 rounds to -1. NaN x gives garbage.
template <bool kLo = false, class D>
HWY_INLINE Pair<D> Expm1PairNeg(D d, V<D> x, V<D> xlo) {
  if (kLo) xlo = hn::IfThenElseZero(hn::Ge(x, K(d, -87.f)), xlo);  // -inf: NaN residue
  V<D> n, r, t;
  ExpReduce<kLo>(d, hn::Max(x, K(d, -87.f)), xlo, n, r, t);
  const V<D> s = Pow2Normal(d, n);
  const Pair<D> sm1 = Fast2Sum(K(d, -1.f), s);
  const Pair<D> a = Fast2Sum(sm1.hi, hn::Mul(s, r));
  return Fast2Sum(a.hi, hn::MulAdd(s, t, hn::Add(a.lo, sm1.lo)));
}

// c + e as a pair (|e| <= c, so Fast2Sum applies; c = 1 by default).
template <class D>
HWY_INLINE Pair<D> OnePlusPair(D d, const Pair<D>& e, float c = 1.f) {
  const Pair<D> s = Fast2Sum(K(d, c), e.hi);
  return {s.hi, hn::Add(s.lo, e.lo)};
}

// (n.hi + n.lo) / (den.hi + den.lo) as a pair, given q ~ 1 / den.hi (to
// 2^-28): the quotient's rounding is corrected by its residual
// n - q0 den, exact with FMA up to the rounding of a tiny number.
template <class VT>
HWY_INLINE PairT<VT> DivPair(const PairT<VT>& num, const PairT<VT>& den, VT q) {
  const VT q0 = hn::Mul(num.hi, q);
  const VT res = hn::NegMulAdd(q0, den.lo, hn::Add(hn::NegMulAdd(q0, den.hi, num.hi), num.lo));
  return {q0, hn::Mul(res, q)};
}

// (a.hi + a.lo) / c for a constant c as a pair: q0 = a.hi (1/c), then the
// exact residual a.hi - q0 c (FMA) plus a.lo, times 1/c. Rounded once
// (Round) this is the correctly rounded quotient up to the tiny a.lo term
// (Markstein: q0 within 1 ULP, 1/c correctly rounded).
template <class D>
HWY_INLINE Pair<D> DivConst(D d, const Pair<D>& a, float c) {
  const V<D> inv = K(d, 1.f / c);
  const V<D> q0 = hn::Mul(a.hi, inv);
  return {q0, hn::Mul(hn::Add(hn::NegMulAdd(q0, K(d, c), a.hi), a.lo), inv)};
}

// sigmoid(z) and sigmoid(-z) for z = |x + xlo|... precisely: with
// e = e^-|x + xlo| (a pair) and q ~ 1 / (1 + e),
//   big   = sigmoid(|x|)  = 1 / (1 + e)
//   small = sigmoid(-|x|) = e / (1 + e)
// both as pairs (relative error ~2^-28): each quotient is corrected by its
// exact residual. No overflow anywhere (e <= 1), no cancellation. Exact
// for |x| <= 80 (ExpPairNormal); beyond, big = 1 is right and small is not
// (the callers' rare masks).
template <bool kLo = false, class D>
HWY_INLINE void SigmoidPairs(D d, V<D> x, V<D> xlo, Pair<D>& big, Pair<D>& small) {
  const auto neg = hn::Lt(x, hn::Zero(d));
  const V<D> z = hn::Neg(hn::Abs(x));
  const V<D> zl = hn::IfThenElse(neg, xlo, hn::Neg(xlo));
  const Pair<D> e = ExpPairNormal<kLo>(d, z, zl);
  const Pair<D> den = OnePlusPair(d, e);
  const V<D> q = Recip(d, den.hi);
  big = DivPair(Pair<D>{K(d, 1.f), hn::Zero(d)}, den, q);
  small = DivPair(e, den, q);
}

// sigmoid(x + xlo) as a pair: one quotient, N / (1 + e) with N = 1 for
// x >= 0 and N = e for x < 0 (SigmoidPairs for the rest).
template <bool kLo = false, class D>
HWY_INLINE Pair<D> SigmoidPair(D d, V<D> x, V<D> xlo) {
  const auto neg = hn::Lt(x, hn::Zero(d));
  const V<D> z = hn::Neg(hn::Abs(x));
  const V<D> zl = hn::IfThenElse(neg, xlo, hn::Neg(xlo));
  const Pair<D> e = ExpPairNormal<kLo>(d, z, zl);
  const Pair<D> den = OnePlusPair(d, e);
  const Pair<D> num = {hn::IfThenElse(neg, e.hi, K(d, 1.f)), hn::IfThenElseZero(neg, e.lo)};
  return DivPair(num, den, Recip(d, den.hi));
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

// log(1 + e) as a pair for e = e.hi + e.lo in (0, 1] (relative error
// ~2^-29): with f = e (k = 0) or f = (e - 1) / 2 (k = 1, for e >= 1/2;
// e - 1 is exact there), log(1 + e) = k ln2 + log1p(f), f in [-1/4, 1/2],
// and log1p(f) = 2 atanh(s) = 2s + s^3 R(s^2), s = f / (2 + f) in
// [-0.15, 0.2] as a pair (quotient corrected by its residual); R is the
// Taylor series 2/3 + 2u/5 + ... + 2u^4/11 (truncation 2^-31.6 relative).
// k ln2 + log1p(f) has no cancellation: log1p(f) >= log(3/4) > -ln2/2.
template <class D>
HWY_INLINE Pair<D> Log1pPair(D d, const Pair<D>& e) {
  const auto big = hn::Ge(e.hi, K(d, 0.5f));
  const Pair<D> em1 = Fast2Sum(K(d, -1.f), e.hi);  // exact for e >= 1/2
  const V<D> half = K(d, 0.5f);
  const Pair<D> f = {hn::IfThenElse(big, hn::Mul(em1.hi, half), e.hi),
                     hn::IfThenElse(big, hn::Mul(hn::Add(em1.lo, e.lo), half), e.lo)};
  const Pair<D> den = OnePlusPair(d, f, 2.f);
  const Pair<D> sp = DivPair(f, den, Recip(d, den.hi));
  const V<D> s2 = hn::Mul(sp.hi, sp.hi);
  constexpr float kR[5] = {2.f / 3, 2.f / 5, 2.f / 7, 2.f / 9, 2.f / 11};
  const V<D> c = hn::Mul(hn::Mul(sp.hi, s2), PolyLow(d, s2, kR));
  const V<D> two = K(d, 2.f);
  const Pair<D> l = Fast2Sum(hn::Mul(two, sp.hi), hn::MulAdd(two, sp.lo, c));
  // + k ln2 (ln2 as a float pair); Fast2Sum: |ln2| > |l| where k = 1.
  const Pair<D> t = Fast2Sum(hn::IfThenElseZero(big, K(d, 0x1.62e430p-1f)), l.hi);
  return {t.hi, hn::Add(t.lo, hn::Add(l.lo, hn::IfThenElseZero(big, K(d, -0x1.05c610p-29f))))};
}

// softplus(x + xlo) = max(x, 0) + log(1 + e^-|x + xlo|) as a pair, for
// x >= -80 (ExpPairNormal; NaN and -inf: garbage). The sum has no
// cancellation (both terms >= 0).
template <bool kLo = false, class D>
HWY_INLINE Pair<D> SoftplusPair(D d, V<D> x, V<D> xlo) {
  const auto neg = hn::Lt(x, hn::Zero(d));
  const V<D> z = hn::Neg(hn::Abs(x));
  const V<D> zl = hn::IfThenElse(neg, xlo, hn::Neg(xlo));
  const Pair<D> l = Log1pPair(d, ExpPairNormal<kLo>(d, z, zl));
  const V<D> m = hn::Max(x, hn::Zero(d));
  const Pair<D> r = TwoSum(m, l.hi);
  return {r.hi, hn::Add(r.lo, hn::Add(l.lo, hn::IfThenZeroElse(neg, xlo)))};  // + xlo for x >= 0
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
