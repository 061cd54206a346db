// Vector math primitives for the activation kernels (per SIMD target, like
// ops-inl.h; no include guard on purpose).
//
// Accuracy strategy: the smooth activations are evaluated in float64 lanes
// (a float32 vector is promoted in two halves and demoted back). Highway's
// contrib math is accurate to a few float64 ULP (Exp 1, Expm1 4, Log1p 2,
// Tanh 4; ~1e-15 relative), so after the final rounding to float32 the
// result is within 0.5 + 1e-6 float ULP of the exact value, provided the
// formula itself has no cancellation worse than ~2^20; the places where a
// naive formula would cancel use a stable form (comments at each op). The
// functions Highway lacks are here: the normal CDF (GELU) from our own
// polynomials (tools/gen_coeffs.py, mpmath), and sin^2 with an exact
// argument reduction for every float input (snake).
//
// Rounding: a double result that is demoted to float is rounded once more,
// so "correctly rounded" is not guaranteed (double rounding), but the error
// stays below 0.5 + 1e-6 float ULP (measured: 0.500000 everywhere).

#if defined(ACTLAB_VMATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_VMATH_INL_H_
#undef ACTLAB_VMATH_INL_H_
#else
#define ACTLAB_VMATH_INL_H_
#endif

#include <cstdint>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "src/act/coeffs-inl.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

namespace vm {
using namespace actlab::act::coeffs;

template <class D>
using V = hn::Vec<D>;

// Horner evaluation of c[0] x^(N-1) + ... + c[N-1].
template <class D, size_t N>
HWY_INLINE V<D> Poly(D d, V<D> x, const double (&c)[N]) {
  V<D> r = hn::Set(d, c[0]);
  for (size_t i = 1; i < N; ++i) r = hn::MulAdd(r, x, hn::Set(d, c[i]));
  return r;
}

// NaN in x -> x (NaN) in the result. Needed because x86 Min/Max and the
// clamps below drop NaN.
template <class D>
HWY_INLINE V<D> KeepNaN(V<D> x, V<D> r) {
  return hn::IfThenElse(hn::IsNaN(x), x, r);
}

template <class D>
HWY_INLINE V<D> Clamp(D d, V<D> x, double lo, double hi) {
  return hn::Min(hn::Max(x, hn::Set(d, lo)), hn::Set(d, hi));
}

// exp(x) for any x (NaN aside): below -800 the result is 0 and above 709
// +inf, as the float32 caller needs; Highway's Exp is valid on
// [-DBL_MAX, 706] and accurate to 1 float64 ULP there.
template <class D>
HWY_INLINE V<D> ExpD(D d, V<D> x) {
  const V<D> r = hn::Exp(d, Clamp(d, x, -800.0, 706.0));
  return hn::IfThenElse(hn::Gt(x, hn::Set(d, 706.0)), hn::Set(d, HUGE_VAL), r);
}

// exp(x) - 1 without cancellation near 0; x <= 706.
template <class D>
HWY_INLINE V<D> Expm1D(D d, V<D> x) {
  return hn::Expm1(d, Clamp(d, x, -800.0, 706.0));
}

// 1 / (1 + exp(-|x|)) pieces: returns e = exp(-|x|) and r = 1 / (1 + e);
// then sigmoid(x) = x >= 0 ? r : e r and sigmoid(-x) = x >= 0 ? e r : r,
// with no overflow and no cancellation anywhere.
template <class D>
HWY_INLINE void SigmoidParts(D d, V<D> x, V<D>& e, V<D>& r) {
  e = ExpD(d, hn::Neg(hn::Abs(x)));
  r = hn::Div(hn::Set(d, 1.0), hn::Add(hn::Set(d, 1.0), e));
}

template <class D>
HWY_INLINE V<D> Sigmoid(D d, V<D> x) {
  V<D> e, r;
  SigmoidParts(d, x, e, r);
  return hn::IfThenElse(hn::Lt(x, hn::Zero(d)), hn::Mul(e, r), r);
}

// Standard normal density phi(x) = exp(-x^2/2) / sqrt(2 pi). For a float32
// x the argument x^2/2 is exact in float64, so exp sees no rounding error.
template <class D>
HWY_INLINE V<D> NormPdf(D d, V<D> x) {
  const V<D> a = hn::Mul(hn::Mul(x, x), hn::Set(d, -0.5));
  return hn::Mul(ExpD(d, a), hn::Set(d, 0.398942280401432677939946059934));
}

// Standard normal CDF Phi(x) for float32 x (in float64 lanes), relative
// error ~1e-14 everywhere including the lower tail (x >= -14.6; below it the
// result is < 1e-47 and underflows float32 anyway):
//   |x| <= 3:  1/2 + x P(x^2)                    (kGeluSmall, entire fn)
//   x < -3:    phi(x) T(1/x^2) / |x|              (Mills ratio, no erfc
//   x > 3:     1 - phi(x) T(1/x^2) / x             cancellation)
// Also returns phi(x) (the caller's derivative needs it).
template <class D>
HWY_INLINE V<D> NormCdf(D d, V<D> x, V<D>& pdf) {
  const V<D> x2 = hn::Mul(x, x);
  const V<D> small = hn::MulAdd(x, Poly(d, hn::Min(x2, hn::Set(d, 9.0)), kGeluSmall), hn::Set(d, 0.5));
  const V<D> u = Clamp(d, hn::Div(hn::Set(d, 1.0), x2), 1.0 / (14.6 * 14.6), 1.0 / 9.0);
  pdf = NormPdf(d, x);
  const V<D> ax = hn::Abs(x);
  const V<D> tail = hn::Div(hn::Mul(pdf, Poly(d, u, kGeluTail)), ax);  // Phi(-|x|)
  const V<D> big = hn::IfThenElse(hn::Lt(x, hn::Zero(d)), tail, hn::Sub(hn::Set(d, 1.0), tail));
  return hn::IfThenElse(hn::Le(ax, hn::Set(d, 3.0)), small, big);
}

// frac(t / pi + shift) in [-1/2, 1/2] as a double-double (hi + lo), for any
// finite t = a float32 times a float32 (<= 48 significant bits). Exact
// argument reduction (Payne-Hanek style): t is split into two 24-bit parts
// m 2^e, and frac(m 2^e / pi) = sum_i frac(m * kInvPiTab[e][i]), each
// product exact in float64; the sum keeps ~2^-100 absolute accuracy, so even
// inputs closest to a multiple of pi keep full relative accuracy.
template <class D>
HWY_INLINE void FracOverPi(D d, V<D> t, double shift, V<D>& hi, V<D>& lo) {
  const hn::RebindToSigned<D> di;
  const hn::RebindToUnsigned<D> du;
  // Truncate t to 24 significant bits (mask the low 29 of 52 fraction bits).
  const V<D> t1 = hn::BitCast(d, hn::And(hn::BitCast(du, t), hn::Set(du, ~((uint64_t{1} << 29) - 1))));
  const V<D> t2 = hn::Sub(t, t1);  // exact, <= 24 significant bits, same sign
  hi = hn::Set(d, shift);
  lo = hn::Zero(d);
  const V<D> parts[2] = {t1, t2};
  for (const V<D>& c : parts) {
    const auto bits = hn::BitCast(du, c);
    const auto bexp = hn::And(hn::ShiftRight<52>(bits), hn::Set(du, 0x7FF));
    // c = m 2^e with m a 24-bit integer: e = bexp - 1023 - 23.
    auto idx = hn::Sub(hn::BitCast(di, bexp), hn::Set(di, 1023 + 23 + kInvPiEmin));
    idx = hn::Min(hn::Max(idx, hn::Zero(di)), hn::Set(di, kInvPiEmax - kInvPiEmin));
    // m with c's sign: replace the exponent by 2^(1023 + 23).
    const auto mbits = hn::Or(hn::And(bits, hn::Set(du, 0x800FFFFFFFFFFFFFull)),
                              hn::Set(du, uint64_t{1023 + 23} << 52));
    const V<D> m = hn::IfThenZeroElse(hn::Eq(c, hn::Zero(d)), hn::BitCast(d, mbits));
    for (int k = 0; k < 5; ++k) {
      const V<D> tab = hn::GatherIndex(d, &kInvPiTab[0][k], hn::Mul(idx, hn::Set(di, 5)));
      V<D> p = hn::Mul(m, tab);     // exact
      p = hn::Sub(p, hn::Round(p));  // exact: drop whole periods
      // (hi, lo) += p with TwoSum.
      const V<D> s = hn::Add(hi, p);
      const V<D> bb = hn::Sub(s, hi);
      const V<D> err = hn::Add(hn::Sub(hi, hn::Sub(s, bb)), hn::Sub(p, bb));
      hi = s;
      lo = hn::Add(lo, err);
    }
  }
  // Renormalise: hi - round(hi) is exact; fold lo in.
  hi = hn::Sub(hi, hn::Round(hi));
  const V<D> s = hn::Add(hi, lo);
  lo = hn::Sub(lo, hn::Sub(s, hi));
  hi = hn::Sub(s, hn::Round(s));
}

// sin(pi (hi + lo)) for |hi| <= 1/2, |lo| tiny: sin(pi hi) + pi lo cos(pi hi)
// ~ sin(pi hi) + pi lo (lo only matters where hi is small, where cos ~ 1).
template <class D>
HWY_INLINE V<D> SinPi(D d, V<D> hi, V<D> lo) {
  const V<D> s = hn::Mul(hi, Poly(d, hn::Mul(hi, hi), kSinPi));
  return hn::MulAdd(lo, hn::Set(d, 3.14159265358979323846), s);
}

}  // namespace vm
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
