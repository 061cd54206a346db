// Lean float32 math for the AVX-512 targets (per SIMD target, like
// vmath32-inl.h; no include guard on purpose). Used by ops_lean-inl.h.
//
// Why a second float32 layer: the pair kernels of vmath32-inl.h keep every
// intermediate as an exact hi + lo pair and reach <= 1 ULP, but cost ~50
// vector operations for a sigmoid, where oneDNN spends ~27 (issue 5 asks for
// 1.3x oneDNN). The catalogue's contract is <= 2 ULP, so these routines
// round where the error budget allows and carry a residual only where a
// later step would amplify it:
//   - e^z = s (1 + p) from a 16-entry table: z = (16 n + j) ln2 / 16 + r,
//     |r| <= ln2 / 32, s = 2^n T_j and p = e^r - 1 + c_j, where T_j is
//     2^(j/16) rounded to float and c_j its relative rounding error (so the
//     table costs no accuracy). The 16 entries fill one 512-bit register and
//     one vpermps selects them per lane; the index and the exponent both
//     come from the bits of the rounded product z 16/ln2 (the 1.5 2^23
//     shifter), so there is no float-to-int conversion. The polynomial is
//     cubic (relative error 2^-29.1, tools/fit_lean/exp_table.py).
//   - quotients are a rcp14 estimate (|error| < 2^-14) and one correction
//     with the exact residual, which also folds in the rounding error of
//     the denominator: ~0.5 ULP plus the numerator's error.
// AVX-512 only: AVX2 has 8 lanes (a 16-entry table does not fit one
// register) and a 12-bit reciprocal estimate; AVX2 keeps the pair kernels,
// SSE4 / SSSE3 / scalar the float64 ones (ops-inl.h, Pick / Hybrid).
// Cost: on the development machine (Zen 4) about one 512-bit FMA-class and
// one add-class operation retire per cycle; every routine below is counted
// in operations, docs/performance.md.

#if defined(ACTLAB_VLEAN32_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_VLEAN32_INL_H_
#undef ACTLAB_VLEAN32_INL_H_
#else
#define ACTLAB_VLEAN32_INL_H_
#endif

#include <cstdint>

#include "actlab/act/catalogue.hpp"  // Params (ACTLAB_LEAN_*_OP)
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Declared on every target so that ops-inl.h can name the lean kernels;
// instantiated only where kEnabled (AVX-512), so the raw AVX-512 intrinsics
// below never reach another target's code.
namespace lean {

#if HWY_TARGET <= HWY_AVX3
constexpr bool kEnabled = true;
#else
constexpr bool kEnabled = false;
#endif

template <class D>
using V = hn::Vec<D>;
template <class D>
HWY_INLINE V<D> K(D d, float v) {
  return hn::Set(d, v);
}

// Bits of T_j = 2^(j/16) rounded to float, minus j << 19, so that adding the
// shifter's bits << 19 (j in bits 19..22, n from bit 23 on) gives the bits of
// 2^n T_j with one integer add. kExpCorr: c_j = (2^(j/16) - T_j) / T_j.
// tools/fit_lean/exp_table.py prints both.
alignas(64) inline constexpr int32_t kExpBits[16] = {
    0x3f800000, 0x3f7daac3, 0x3f7b95c2, 0x3f79c3d3, 0x3f7837f0, 0x3f76f532, 0x3f75fed7, 0x3f75583f,
    0x3f7504f3, 0x3f7508a4, 0x3f75672a, 0x3f76248c, 0x3f7744fd, 0x3f78ccdf, 0x3f7ac0c7, 0x3f7d257d};
alignas(64) inline constexpr float kExpCorr[16] = {
    0x0.0p+0f,       0x1.8d96d4p-25f,  -0x1.9c0c22p-27f, 0x1.964904p-25f,  0x1.125002p-25f,  0x1.370be4p-25f,
    -0x1.0a3550p-25f, -0x1.00d8acp-27f, 0x1.26055cp-26f,  -0x1.05cb44p-25f, 0x1.67a1cap-28f,  0x1.a3b5e4p-28f,
    -0x1.f9c304p-27f, -0x1.6961b4p-28f, -0x1.a5217cp-28f, 0x1.61428ep-28f};

// Table lookup by the low 4 bits of each lane of `bits` (vpermps ignores
// the others); Lookup32: by the low 5 bits, from 32 entries (vpermt2ps).
// AVX-512 only (see kEnabled): elsewhere never instantiated.
template <class D>
using VI = hn::Vec<hn::RebindToSigned<D>>;
#if HWY_TARGET <= HWY_AVX3
// The same lookups on raw registers, for kernels written in intrinsics.
HWY_INLINE __m512 Lut16(__m512i bits, const float* table) {
  return _mm512_permutexvar_ps(bits, _mm512_load_ps(table));
}
HWY_INLINE __m512 Lut32(__m512i bits, const float* table) {
  return _mm512_permutex2var_ps(_mm512_load_ps(table), bits, _mm512_load_ps(table + 16));
}
#endif
template <class D>
HWY_INLINE V<D> Lookup16(D, const float* table, VI<D> bits) {
#if HWY_TARGET <= HWY_AVX3
  return V<D>{Lut16(bits.raw, table)};
#else
  static_assert(!sizeof(D), "lean kernels are AVX-512 only");
  return V<D>{};
#endif
}
template <class D>
HWY_INLINE VI<D> Lookup16(D, const int32_t* table, VI<D> bits) {
#if HWY_TARGET <= HWY_AVX3
  return VI<D>{_mm512_permutexvar_epi32(bits.raw, _mm512_load_si512(table))};
#else
  static_assert(!sizeof(D), "lean kernels are AVX-512 only");
  return VI<D>{};
#endif
}
template <class D>
HWY_INLINE V<D> Lookup32(D, const float* table, VI<D> bits) {
#if HWY_TARGET <= HWY_AVX3
  return V<D>{Lut32(bits.raw, table)};
#else
  static_assert(!sizeof(D), "lean kernels are AVX-512 only");
  return V<D>{};
#endif
}

// Argument reduction of e^(z + zl): returns r = z - (16 n + j) ln2/16 + zl
// (|r| <= ln2/32 + |zl|) and s = 2^n T_j; c = c_j. z must be in [-87.3,
// 88.7] (s normal); the callers clamp. zl: a residue of z (the low part of
// an exact product, to ~ulp(z)); kLo = false: none (zl is ignored, which
// saves the add: r + 0 cannot be folded, it would turn -0 into +0).
template <bool kLo, class D>
HWY_INLINE V<D> ExpReduce(D d, V<D> z, V<D> zl, V<D>& s, V<D>& c) {
  const hn::RebindToSigned<D> di;
  const V<D> shift = K(d, 0x1.8p23f);
  const V<D> t = hn::MulAdd(z, K(d, 23.0831206542234f), shift);  // 16 / ln2
  const V<D> nf = hn::Sub(t, shift);                               // 16 n + j
  // ln2/16 = kC1 + kC2 (+ 2^-43): kC1 has 12 bits, so nf kC1 is exact for
  // |nf| < 2^12 and z - nf kC1 is exact (Sterbenz); the second step rounds
  // once, to ~2^-30.
  constexpr float kC1 = 0x1.62ep-5f;
  constexpr float kC2 = 0x1.0bfbe8p-19f;
  const V<D> r = hn::NegMulAdd(nf, K(d, kC2), hn::NegMulAdd(nf, K(d, kC1), z));
  const auto ti = hn::BitCast(di, t);
  s = hn::BitCast(d, hn::Add(Lookup16(d, kExpBits, ti), hn::ShiftLeft<19>(ti)));
  c = Lookup16(d, kExpCorr, ti);
  return kLo ? hn::Add(r, zl) : r;
}

// e^z = s (1 + p), p = e^r - 1 + c_j by Horner: r (1 + r (q2 + q3 r)) + c.
// The rounding of 1 + r (...) near 1 costs ~2^-24 r in p, invisible in
// 1 + p; e = MulAdd(s, p, s) is then ~0.55 ULP (measured 0.56 over all
// finite z). Use ExpM1Parts where p itself matters (e^z - 1).
template <bool kLo, class D>
HWY_INLINE void ExpParts(D d, V<D> z, V<D> zl, V<D>& s, V<D>& p) {
  V<D> c;
  const V<D> r = ExpReduce<kLo>(d, z, zl, s, c);
  V<D> q = hn::MulAdd(K(d, 0x1.55564ap-3f), r, K(d, 0x1.00022ep-1f));
  q = hn::MulAdd(q, r, K(d, 1.f));
  p = hn::MulAdd(q, r, c);
}

// As ExpParts, but p = (r + c) + r^2 Q(r) with one final rounding and Q
// fitted for the relative error of e^r - 1 (2^-31.4), so that p alone is
// accurate: for e^z - 1 near z = 0.
template <bool kLo, class D>
HWY_INLINE void ExpM1Parts(D d, V<D> z, V<D> zl, V<D>& s, V<D>& p) {
  V<D> c;
  const V<D> r = ExpReduce<kLo>(d, z, zl, s, c);
  V<D> q = hn::MulAdd(K(d, 0x1.555638p-5f), r, K(d, 0x1.55571cp-3f));
  q = hn::MulAdd(q, r, K(d, 0.5f));
  p = hn::MulAdd(hn::Mul(r, r), q, hn::Add(r, c));
}

// e^(z + zl) - 1 for z <= 0 (clamped at -87, where the result rounds to -1)
// as an unrounded pair hi + lo = (s - 1) + s p: s - 1 and its error are
// exact (Fast2Sum, |1| >= s) and |s p| < |s - 1| unless s = 1, so a caller
// that scales the pair by c rounds once: fma(c, hi, c lo) (~0.55 ULP, no
// cancellation near 0, where s = 1 and hi = 0).
template <bool kLo, class D>
HWY_INLINE void Expm1Neg(D d, V<D> z, V<D> zl, V<D>& hi, V<D>& lo) {
  V<D> s, p;
  ExpM1Parts<kLo>(d, hn::Max(z, K(d, -87.f)), zl, s, p);
  const V<D> one = K(d, 1.f);
  hi = hn::Sub(s, one);
  lo = hn::MulAdd(s, p, hn::Sub(s, hn::Add(hi, one)));
}

// (N + Nl) / (1 + e) for 0 <= e <= 1: q0 = N rcp14(1 + e), then one
// correction with the residual N - q0 (1 + e) = (N - q0) - q0 e, where N - q0
// is exact (Sterbenz: q0 ~ N / (1 + e) lies in [N/2, N]) and q0 e is exact
// inside the FMA, so the rounding of 1 + e (used only for the estimate)
// costs nothing: ~0.5 ULP plus the error of N + Nl. N = +-inf or NaN give
// NaN. kNl = false: Nl = 0 (not added: the add could not be folded away).
template <bool kNl = true, class D>
HWY_INLINE V<D> DivOnePlus(D d, V<D> N, V<D> Nl, V<D> e) {
  const V<D> r0 = hn::ApproximateReciprocal(hn::Add(K(d, 1.f), e));  // rcp14
  const V<D> q0 = hn::Mul(N, r0);
  const V<D> r1 = hn::NegMulAdd(q0, e, hn::Sub(N, q0));
  return hn::MulAdd(kNl ? hn::Add(r1, Nl) : r1, r0, q0);
}

// e = e^-|b + bl| (b = a value, bl its residue) for |b| <= 87, and, in
// `neg`, b < 0. el: e's rounding residue (s p + (s - e), exact up to the
// rounding of a tiny number), for callers that need e to more than 0.55 ULP.
template <bool kLo, class D>
HWY_INLINE V<D> ExpNegAbs(D d, V<D> b, V<D> bl, hn::Mask<D>& neg, V<D>* el = nullptr) {
  neg = hn::Lt(b, hn::Zero(d));
  const V<D> z = hn::Or(b, hn::SignBit(d));  // -|b|
  // The residue follows the sign flip, and is dropped where z is clamped
  // (there it can be as large as ulp(b), and e is ~0 anyway).
  const V<D> zl = kLo ? hn::IfThenElseZero(hn::Ge(z, K(d, -87.f)), hn::IfThenElse(neg, bl, hn::Neg(bl))) : bl;
  V<D> s, p;
  ExpParts<kLo>(d, hn::Max(z, K(d, -87.f)), zl, s, p);
  const V<D> e = hn::MulAdd(s, p, s);
  if (el) *el = hn::MulAdd(s, p, hn::Sub(s, e));
  return e;
}

// sigmoid(b + bl) = N / (1 + e) with e = e^-|b|, N = e (b < 0) or 1: one
// quotient, ~1.5 ULP (e's rounding shows when N = e), for b >= -87 (the
// caller's rare lanes); b > 87 gives 1.
template <bool kLo, class D>
HWY_INLINE V<D> Sigmoid(D d, V<D> b, V<D> bl) {
  hn::Mask<D> neg;
  const V<D> e = ExpNegAbs<kLo>(d, b, bl, neg);
  return DivOnePlus<false>(d, hn::IfThenElse(neg, e, K(d, 1.f)), hn::Zero(d), e);
}

// Zeros of a derivative: near x0 = x0h + x0l (x0h a float, x0l its
// remainder) f'(x) = t P(t), t = x - x0, keeps the relative accuracy that
// any formula in x loses to cancellation there. InZoneNeg: x in [x0h -
// zone, x0h + zone] for x0h < 0 (negative floats order like their bits
// reversed: one subtract and one unsigned compare). ZoneGrad: dy t P(t)
// rounded once, t = (x - x0h) - x0l as a pair (x - x0h exact by Sterbenz),
// P = (c0h + c0l) + t (c2 + t (c3 + ...)) with c = {c0h, c0l, c2, c3, ...}
// (tools/fit_lean/zone.py).
template <class D>
HWY_INLINE hn::Mask<D> InZoneNeg(D d, V<D> x, float x0h, float zone) {
  const hn::RebindToUnsigned<D> du;
  const auto lo = hn::BitCast(du, K(d, x0h + zone)), hi = hn::BitCast(du, K(d, x0h - zone));
  const auto off = hn::Sub(hn::BitCast(du, x), lo);
  return hn::RebindMask(d, hn::Not(hn::Gt(off, hn::Sub(hi, lo))));
}
// dy t P(t) rounded once, t = t + tl a pair (the shared tail of ZoneGrad
// and ZoneGradPair).
template <size_t kN, class D>
HWY_INLINE V<D> ZonePoly(D d, V<D> t, V<D> tl, V<D> dy, const float (&c)[kN]) {
  V<D> q = K(d, c[kN - 1]);
  for (size_t i = kN - 2; i >= 2; --i) q = hn::MulAdd(q, t, K(d, c[i]));
  const V<D> a = hn::MulAdd(t, q, K(d, c[1]));  // c0l + t Q
  const V<D> gh = hn::Mul(t, K(d, c[0]));
  V<D> gl = hn::MulSub(t, K(d, c[0]), gh);
  gl = hn::MulAdd(tl, K(d, c[0]), hn::MulAdd(t, a, gl));
  return hn::MulAdd(dy, gh, hn::Mul(dy, gl));
}
template <size_t kN, class D>
HWY_INLINE V<D> ZoneGrad(D d, V<D> x, V<D> dy, float x0h, float x0l, const float (&c)[kN]) {
  const V<D> th = hn::Sub(x, K(d, x0h));  // exact (Sterbenz)
  const V<D> t = hn::Sub(th, K(d, x0l));
  const V<D> tl = hn::Sub(hn::Sub(th, t), K(d, x0l));  // Fast2Sum: th = 0 or |th| >= |x0l|
  return ZonePoly(d, t, tl, dy, c);
}

// s + err = a + b exactly (Knuth's 2Sum: no condition on the magnitudes).
template <class D>
HWY_INLINE void TwoSum(V<D> a, V<D> b, V<D>& s, V<D>& err) {
  s = hn::Add(a, b);
  const V<D> bb = hn::Sub(s, a);
  err = hn::Add(hn::Sub(a, hn::Sub(s, bb)), hn::Sub(b, bb));
}
// ZoneGrad for a point given as an exact pair u = uh + ul (uh in the zone)
// and a zero x0 = x0h + x0l + x0ll: t = u - x0 to ~2^-70 by 2Sum steps (a
// product beta x can land far closer to x0 than any float does, where a
// float-pair x0 would leave too few correct bits of t).
template <size_t kN, class D>
HWY_INLINE V<D> ZoneGradPair(D d, V<D> uh, V<D> ul, V<D> dy, float x0h, float x0l, float x0ll,
                             const float (&c)[kN]) {
  const V<D> th = hn::Sub(uh, K(d, x0h));  // exact (Sterbenz)
  V<D> w, wl, t, tl;
  TwoSum<D>(ul, K(d, -x0l), w, wl);
  TwoSum<D>(th, w, t, tl);
  tl = hn::Add(tl, hn::Sub(wl, K(d, x0ll)));
  return ZonePoly(d, t, tl, dy, c);
}

// Wraps kernels written as free functions, Fn(d, x) or Fn(d, x, dy), and
// their rare-lane masks in the fixed Op signatures that Hybrid calls.
#define ACTLAB_LEAN_FWD_OP(Name, Fn, RareFn)                                               \
  struct Name {                                                                            \
    template <class D>                                                                     \
    static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) { return Fn(d, x); }            \
    template <class D>                                                                     \
    static HWY_INLINE hn::Mask<D> FwdRare(D d, V<D> x, const Params&) { return RareFn(d, x); } \
  }
#define ACTLAB_LEAN_BWD_OP(Name, Fn, RareFn)                                                   \
  struct Name {                                                                                \
    template <class D>                                                                         \
    static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) { return Fn(d, x, dy); } \
    template <class D>                                                                         \
    static HWY_INLINE hn::Mask<D> BwdRare(D d, V<D> x, const Params&) { return RareFn(d, x); }  \
  }

}  // namespace lean

}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
