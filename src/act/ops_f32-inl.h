// float32-lane kernels for the common smooth activations (per SIMD target;
// included from ops-inl.h, which picks them with `Hybrid` below). Same fixed
// signatures as every Op:
//   static V fwd(D d, V x, const Params& p);
//   static V bwd(D d, V x, V y, V dy, const Params& p);   // dx = dy * f'(x)
// plus two masks, FwdRare / BwdRare: lanes where float32 arithmetic cannot
// meet the contract (a product with a denormal factor, the zero of a
// derivative, NaN and inf where a clamp would not give the limit). Those
// lanes take the float64 path's result (Hybrid, lane by lane, so a lane's
// value never depends on its neighbours); the result is accurate
// everywhere and fast on the inputs that occur in practice (the regions
// are |x| > 80 or so, x < -9.5 for gelu_tanh).
//
// The math is in vmath32-inl.h (pairs hi + lo, exact residuals); each kernel
// rounds once at the end (hi + lo, or a fma with dy), so the errors are
// ~0.5 ULP plus the pair error (2^-31 relative). Contracts: the catalogue's
// ulp_fwd / ulp_bwd, measured over all 2^32 inputs on AVX2 and AVX-512
// (docs/accuracy.md). NaN -> NaN, +-inf -> the reference's limits.

#if defined(ACTLAB_OPS_F32_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_OPS_F32_INL_H_
#undef ACTLAB_OPS_F32_INL_H_
#else
#define ACTLAB_OPS_F32_INL_H_
#endif

#include "actlab/act/catalogue.hpp"
#include "hwy/highway.h"
#include "src/act/vmath-inl.h"
#include "src/act/vmath32-inl.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

namespace f32 {
using vm32::K;
using vm32::Pair;
template <class D>
using V = hn::Vec<D>;
template <class D>
using M = hn::Mask<D>;

// The float32 path needs a native FMA (every pair in vmath32 relies on a
// single rounding); SSE4/SSSE3/scalar keep the float64 kernels.
#if HWY_NATIVE_FMA && HWY_TARGET != HWY_SCALAR
constexpr bool kEnabled = true;
#else
constexpr bool kEnabled = false;
#endif

template <class D>
HWY_INLINE M<D> None(D d) {
  return hn::Lt(hn::Zero(d), hn::Zero(d));
}

// Finite lanes outside [lo, hi]. Every float32 backward is rare where f'
// is below ~2^-115 (or overflows): the pair's lo part is lost in the
// denormal range, and dy * f' (the reference's exact product) can be a
// normal number, so the rounding of f' alone would show.
template <class D>
HWY_INLINE M<D> Outside(D d, V<D> v, float lo, float hi) {
  return hn::And(hn::Or(hn::Lt(v, K(d, lo)), hn::Gt(v, K(d, hi))), hn::Not(hn::IsInf(v)));
}

// Lanes with |v| > lim, or NaN: where a kernel's clamped exp (ExpPairNormal)
// would not give the limit, +-inf included.
template <class D>
HWY_INLINE M<D> NotWithin(D d, V<D> v, float lim) {
  return hn::Not(hn::Le(hn::Abs(v), K(d, lim)));
}

// beta x as an exact pair (TwoProd); where beta x = +-inf the residue is
// +-inf or NaN, and only hi matters there, so lo is 0.
template <class D>
HWY_INLINE Pair<D> ScaledPair(D d, float beta, V<D> x) {
  const Pair<D> bx = vm32::TwoProd(K(d, beta), x);
  return {bx.hi, hn::IfThenZeroElse(hn::IsInf(bx.hi), bx.lo)};
}

// dx = dy (g.hi + g.lo), one rounding; NaN x -> NaN.
template <class VT>
HWY_INLINE VT Grad(VT x, VT dy, const vm32::PairT<VT>& g) {
  return hn::IfThenElse(hn::IsNaN(x), x, vm32::MulPair(dy, g));
}

// (a.hi + a.lo)(b.hi + b.lo) as a pair (the lo * lo term is negligible).
template <class VT>
HWY_INLINE vm32::PairT<VT> MulPairs(const vm32::PairT<VT>& a, const vm32::PairT<VT>& b) {
  const vm32::PairT<VT> p = vm32::TwoProd(a.hi, b.hi);
  return {p.hi, hn::Add(p.lo, hn::MulAdd(a.hi, b.lo, hn::Mul(a.lo, b.hi)))};
}

// r, but `at_pos` where x = +inf and `at_neg` where x = -inf.
template <class D>
HWY_INLINE V<D> AtInf(D d, V<D> x, V<D> r, V<D> at_pos, V<D> at_neg) {
  return hn::IfThenElse(hn::IsInf(x), hn::IfThenElse(hn::Gt(x, hn::Zero(d)), at_pos, at_neg), r);
}

template <class MT, class VT>
HWY_INLINE vm32::PairT<VT> Select(MT m, const vm32::PairT<VT>& a, const vm32::PairT<VT>& b) {
  return {hn::IfThenElse(m, a.hi, b.hi), hn::IfThenElse(m, a.lo, b.lo)};
}

// hardsigmoid forward: (x + 3) / 6 on (-3, 3), with x + 3 an exact pair and
// the division corrected by its residual (DivConst), so one rounding as in
// the reference; 0 at x <= -3 (also -inf), 1 at x >= 3. NaN -> NaN.
// (The backward is float32 already: dy / 6, ops-inl.h.)
struct Hardsigmoid {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    const V<D> mid = vm32::Round(vm32::DivConst(d, vm32::TwoSum(x, K(d, 3.f)), 6.f));
    const V<D> r = hn::IfThenZeroElse(hn::Le(x, K(d, -3.f)), hn::IfThenElse(hn::Ge(x, K(d, 3.f)), K(d, 1.f), mid));
    return vm::KeepNaN<D>(x, r);
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D>, const Params&) { return None(d); }
};

// hardswish: f = x (x + 3) / 6 on (-3, 3): s = x + 3 with its error by
// Fast2Sum (|3| >= |x| wherever the middle piece is used), the product x s
// as an exact pair (FMA) plus x sl, and the division by 6 as q0 = m / 6
// estimate plus the exact residual m - 6 q0 (Markstein): one rounding, as
// the reference. f has x's sign on (-3, 3), so or-ing in x's sign bit turns
// the +0 the correction makes of -0 back into -0 at no other cost. 0 at x
// <= -3 (also -inf), x at x >= 3. NaN -> NaN through the arithmetic.
// f' = x < -3 ? 0 : (x <= 3 ? x / 3 + 1/2 : 1) (PyTorch's x <= 3 branch):
// x / 3 = q0 + ql (residual exact), + 1/2 by Fast2Sum (exact near the zero
// of f' at x = -1.5 by Sterbenz), dx = dy gh + dy (gl + ql): one rounding.
// ~15 (forward) and ~14 (backward) operations; the pair versions took ~22.
struct Hardswish {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    const V<D> three = K(d, 3.f), inv = K(d, 1.f / 6.f);
    const V<D> s = hn::Add(x, three);
    const V<D> sl = hn::Sub(x, hn::Sub(s, three));
    const V<D> mh = hn::Mul(x, s);
    const V<D> ml = hn::MulAdd(x, sl, hn::MulSub(x, s, mh));
    const V<D> q0 = hn::Mul(mh, inv);
    const V<D> r = hn::Add(hn::NegMulAdd(q0, K(d, 6.f), mh), ml);
    const V<D> mid = hn::Or(hn::MulAdd(r, inv, q0), hn::And(x, hn::SignBit(d)));
    return hn::IfThenZeroElse(hn::Le(x, hn::Neg(three)), hn::IfThenElse(hn::Ge(x, three), x, mid));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) {
    const V<D> three = K(d, 3.f), inv = K(d, 1.f / 3.f), half = K(d, 0.5f);
    const V<D> q0 = hn::Mul(x, inv);
    const V<D> ql = hn::Mul(hn::NegMulAdd(q0, three, x), inv);
    const V<D> gh = hn::Add(q0, half);
    const V<D> gl = hn::Add(hn::Sub(q0, hn::Sub(gh, half)), ql);
    const V<D> mid = hn::MulAdd(dy, gh, hn::Mul(dy, gl));
    const V<D> r = hn::IfThenElse(hn::Gt(x, three), dy, mid);
    return hn::IfThenElse(hn::Lt(x, hn::Neg(three)), hn::Mul(dy, hn::Zero(d)), r);
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D>, const Params&) { return None(d); }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D>, const Params&) { return None(d); }
};

// exponential: e^x. Forward and backward ~0.5 ULP; the pair is rounded
// once, also into the denormal range (Pow2's two-step scaling).
struct Exponential {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    return vm::KeepNaN<D>(x, vm32::Round(vm32::ExpPair(d, x, hn::Zero(d))));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) {
    return Grad(x, dy, vm32::ExpPair(d, x, hn::Zero(d)));
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D>, const Params&) { return None(d); }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D> x, const Params&) { return Outside(d, x, -80.f, 88.f); }
};

// sigmoid: 1 / (1 + e^-x) from vm32::SigmoidPair (no overflow, no
// cancellation); f' = sigmoid(x) sigmoid(-x) as a product of pairs.
// Rare: x < -80 (results near the denormal range), NaN and -inf (forward;
// +inf is 1 from the clamped exp), |x| > 80 or NaN (backward).
struct Sigmoid {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    return vm32::Round(vm32::SigmoidPair(d, x, hn::Zero(d)));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) {
    return Grad(x, dy, vm32::SigmoidDerivPair(d, x, hn::Zero(d)));
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D> x, const Params&) { return hn::Not(hn::Ge(x, K(d, -80.f))); }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D> x, const Params&) { return NotWithin(d, x, 80.f); }
};

// logsigmoid: f = -softplus(-x) (vm32::SoftplusPair: min(x, 0) - log1p(e^-|x|)
// as a pair, no cancellation); f' = sigmoid(-x). Rare: |x| > 80, inf, NaN.
struct Logsigmoid {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    return hn::Neg(vm32::Round(vm32::SoftplusPair(d, hn::Neg(x), hn::Zero(d))));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) {
    return Grad(x, dy, vm32::SigmoidPair(d, hn::Neg(x), hn::Zero(d)));
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D> x, const Params&) { return NotWithin(d, x, 80.f); }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D> x, const Params&) { return NotWithin(d, x, 80.f); }
};

// softplus: f = beta x > threshold ? x : softplus(beta x) / beta, with beta
// x as an exact pair, so the branch decision is the reference's (exact
// product compared with the threshold); the division by beta is corrected
// by its exact residual. f' = 1 or sigmoid(beta x). Rare: beta x < -80,
// +-inf and NaN (forward); beta x < -80, -inf and NaN (backward).
struct Softplus {
  template <class D>
  static HWY_INLINE M<D> Above(D d, const Pair<D>& bx, const Params& p) {
    const V<D> thr = K(d, p.v[1]);
    return hn::Or(hn::Gt(bx.hi, thr), hn::And(hn::Eq(bx.hi, thr), hn::Gt(bx.lo, hn::Zero(d))));
  }
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    const Pair<D> bx = ScaledPair(d, p.v[0], x);
    const Pair<D> sp = vm32::SoftplusPair<true>(d, bx.hi, bx.lo);
    // sp / beta: q0 = sp.hi / beta to ~1 ULP, then the exact residual.
    const V<D> beta = K(d, p.v[0]), inv = K(d, 1.f / p.v[0]);
    const V<D> q0 = hn::Mul(sp.hi, inv);
    const V<D> res = hn::Add(hn::NegMulAdd(q0, beta, sp.hi), sp.lo);
    return hn::IfThenElse(Above(d, bx, p), x, hn::MulAdd(res, inv, q0));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params& p) {
    const Pair<D> bx = ScaledPair(d, p.v[0], x);
    const Pair<D> s = vm32::SigmoidPair<true>(d, bx.hi, bx.lo);
    return Grad(x, dy, Select(Above(d, bx, p), Pair<D>{K(d, 1.f), hn::Zero(d)}, s));
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D> x, const Params& p) {
    const V<D> bx = hn::Mul(K(d, p.v[0]), x);
    return hn::Or(hn::Not(hn::Ge(bx, K(d, -80.f))), hn::IsInf(bx));  // also NaN
  }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D> x, const Params& p) {
    return hn::Not(hn::Ge(hn::Mul(K(d, p.v[0]), x), K(d, -80.f)));  // also NaN, -inf
  }
};

// tanh(x) = sign(x) m / (m - 2)... precisely, with a = |x| and m =
// e^(-2a) - 1 in (-1, 0] as a pair (vm32::Expm1PairNeg, no cancellation):
//   tanh(a) = -m / (2 + m),
// the quotient corrected by its residual. No series and no branch: m keeps
// its relative accuracy down to a = 0, and 2 + m has no cancellation.
// f' = 4 sigmoid(2|x|) sigmoid(-2|x|) (no 1 - t^2 cancellation). -0 -> -0.
// Backward: 4 sigmoid(-2|x|) is the product of a denormal and 4 beyond
// |x| ~ 43, where rounding the denormal first would cost 2 ULP, and the
// clamped exp is not 0 at +-inf: |x| > 40, inf and NaN go to float64.
struct Tanh {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    const Pair<D> m = vm32::Expm1PairNeg(d, hn::Mul(hn::Abs(x), K(d, -2.f)), hn::Zero(d));
    const Pair<D> den = vm32::OnePlusPair(d, m, 2.f);
    const Pair<D> num = {hn::Neg(m.hi), hn::Neg(m.lo)};
    const V<D> r = vm32::Round(vm32::DivPair(num, den, vm32::Recip(d, den.hi)));
    return vm::KeepNaN<D>(x, hn::CopySign(r, x));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) {
    const V<D> ax = hn::Abs(x);
    const Pair<D> g = vm32::SigmoidDerivPair(d, hn::Add(ax, ax), hn::Zero(d));
    return Grad(x, dy, Pair<D>{hn::Mul(g.hi, K(d, 4.f)), hn::Mul(g.lo, K(d, 4.f))});
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D>, const Params&) { return None(d); }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D> x, const Params&) { return NotWithin(d, x, 40.f); }
};

// swish / silu: f = x sigmoid(beta x), beta x an exact pair; one rounding
// (x times the sigmoid pair). Lanes with beta x < -80 (sigmoid near or in
// the denormal range, where x times an already rounded denormal would lose
// ULPs) go to float64. +-inf: the limits of SwishImpl. The backward (zero
// of f' near x = -1.28) stays float64.
template <bool kSilu>
struct Swish {
  template <class D>
  static HWY_INLINE Pair<D> BetaX(D d, V<D> x, const Params& p) {
    if (kSilu) return {x, hn::Zero(d)};
    return ScaledPair(d, p.v[0], x);
  }
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    const Pair<D> bx = BetaX(d, x, p);
    const V<D> r = vm32::MulPair(x, vm32::SigmoidPair<!kSilu>(d, bx.hi, bx.lo));
    // x = +-inf: x where beta x = +inf, 0 where -inf, x / 2 for beta = 0.
    const V<D> beta = K(d, kSilu ? 1.f : p.v[0]);
    const V<D> lim = hn::IfThenElse(hn::Eq(beta, hn::Zero(d)), hn::Mul(x, K(d, 0.5f)),
                                    hn::IfThenElseZero(hn::Gt(hn::Mul(beta, x), hn::Zero(d)), x));
    const V<D> r0 = hn::IfThenElse(hn::Eq(x, hn::Zero(d)), hn::Mul(x, K(d, 0.5f)), r);  // sign of 0
    return vm::KeepNaN<D>(x, hn::IfThenElse(hn::IsInf(x), lim, r0));
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D> x, const Params& p) {
    const Pair<D> bx = BetaX(d, x, p);
    return hn::And(hn::Lt(bx.hi, K(d, -80.f)), hn::Not(hn::IsInf(x)));
  }
};

// gelu_tanh: f = x sigmoid(w), w = 2 sqrt(2/pi) (x + 0.044715 x^3) = x (A +
// B x^2), with w as a pair accurate to ~2^-46 (x^2 and the products exact
// with FMA, A and B as float pairs), because sigmoid(w) for w < 0 turns a
// relative error d of w into |w| d. One rounding at the end (x times the
// sigmoid pair). Rare: x < -9.5 (w < -80, the sigmoid near the denormal
// range), x > 1e10 (x^2 B would overflow further on; f = x there anyway),
// +-inf and NaN: float64. The backward (a zero of f' near x = -0.75)
// stays float64.
struct GeluTanh {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    const Pair<D> x2 = vm32::TwoProd(x, x);
    Pair<D> b = vm32::TwoProd(K(d, kBh), x2.hi);
    b.lo = hn::MulAdd(K(d, kBh), x2.lo, hn::MulAdd(K(d, kBl), x2.hi, b.lo));
    Pair<D> s = vm32::TwoSum(K(d, kAh), b.hi);  // B x^2 exceeds A for |x| > 4.7
    s.lo = hn::Add(s.lo, hn::Add(b.lo, K(d, kAl)));
    Pair<D> w = vm32::TwoProd(x, s.hi);
    w.lo = hn::MulAdd(x, s.lo, w.lo);
    const V<D> r = vm32::MulPair(x, vm32::SigmoidPair<true>(d, w.hi, w.lo));
    return hn::IfThenElse(hn::Eq(x, hn::Zero(d)), hn::Mul(x, K(d, 0.5f)), r);  // sign of 0
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D> x, const Params&) {
    return hn::Not(hn::And(hn::Ge(x, K(d, -9.5f)), hn::Le(x, K(d, 1e10f))));
  }
  // 2 sqrt(2/pi) and 2 sqrt(2/pi) 0.044715 as float pairs (mpmath; the
  // remainders are 8e-17 and 1e-15 relative).
  static constexpr float kAh = 0x1.988454p+0f, kAl = -0x1.857936p-25f;
  static constexpr float kBh = 0x1.2444f2p-4f, kBl = 0x1.49b16ap-29f;
};

// mish: f = x t, t = n / (n + 2), n = e (e + 2), e = e^min(x, 20) (as
// MishImpl), every step an exact pair and the quotient corrected by its
// residual. x < -80: float64 (t is near the denormal range). Backward
// (zero of f' near x = -1.19) stays float64.
struct Mish {
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    const Pair<D> e = vm32::ExpPairNormal(d, hn::Min(x, K(d, 20.f)), hn::Zero(d));
    Pair<D> a = vm32::TwoSum(e.hi, K(d, 2.f));
    a.lo = hn::Add(a.lo, e.lo);
    const Pair<D> n = MulPairs(e, a);
    Pair<D> m = vm32::TwoSum(n.hi, K(d, 2.f));
    m.lo = hn::Add(m.lo, n.lo);
    const V<D> q = vm32::Recip(d, m.hi);
    const V<D> t0 = hn::Mul(n.hi, q);
    const V<D> rn = hn::NegMulAdd(t0, m.lo, hn::Add(hn::NegMulAdd(t0, m.hi, n.hi), n.lo));
    const V<D> r = vm32::MulPair(x, Pair<D>{t0, hn::Mul(rn, q)});
    // f(+-0) = +-0 (the product's lo term can flip the sign of a zero).
    const V<D> r0 = hn::IfThenElse(hn::Eq(x, hn::Zero(d)), x, r);
    return vm::KeepNaN<D>(x, AtInf(d, x, r0, x, hn::Zero(d)));
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D> x, const Params&) {
    return hn::And(hn::Lt(x, K(d, -80.f)), hn::Not(hn::IsInf(x)));
  }
};

// The elu family: f = x > 0 ? s x : c expm1(z), f' = x > 0 ? s : g e^z,
// z = x / a, with (s, c, g, a) = (1, alpha, alpha, 1) for elu, (scale,
// scale alpha, scale alpha, 1) for selu (constants as float pairs), and
// (1, alpha, 1, alpha) for celu (z = x / alpha as an exact pair: quotient
// plus residual / alpha, so e^z keeps full accuracy for large |z|).
// -0 -> -0, -inf -> -c. Backward lanes below -80 (-80 alpha for celu),
// -inf and NaN use float64 (e^z near the denormal range, then multiplied
// by a constant that can exceed 1; the clamped exp is not 0 at -inf).
enum class EluKind { elu, selu, celu };
template <EluKind kKind>
struct Elu {
  template <class D>
  static HWY_INLINE Pair<D> S(D d) {
    if (kKind == EluKind::selu) return {K(d, 0x1.0cfabep+0f), K(d, -0x1.2adddap-25f)};
    return {K(d, 1.f), hn::Zero(d)};
  }
  template <class D>
  static HWY_INLINE Pair<D> C(D d, const Params& p) {
    if (kKind == EluKind::selu) return {K(d, 0x1.c212ccp+0f), K(d, 0x1.903c0cp-26f)};
    return {K(d, p.v[0]), hn::Zero(d)};
  }
  template <class D>
  static HWY_INLINE Pair<D> G(D d, const Params& p) {
    if (kKind == EluKind::celu) return {K(d, 1.f), hn::Zero(d)};
    return C(d, p);
  }
  // z = min(x, 0) / a as a pair.
  template <class D>
  static HWY_INLINE Pair<D> Z(D d, V<D> x, const Params& p) {
    const V<D> xn = hn::Min(x, hn::Zero(d));
    if (kKind != EluKind::celu) return {xn, hn::Zero(d)};
    const V<D> a = K(d, p.v[0]);
    const V<D> q = hn::Div(xn, a);
    return {q, hn::Mul(hn::NegMulAdd(q, a, xn), K(d, 1.f / p.v[0]))};  // residual is exact
  }
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    const Pair<D> z = Z(d, x, p);
    const V<D> neg = vm32::Round(MulPairs(C(d, p), vm32::Expm1PairNeg<kKind == EluKind::celu>(d, z.hi, z.lo)));
    const Pair<D> s = S(d);
    // x s.hi + x s.lo, with the lo product 0 at x = inf (not inf * 0).
    const V<D> pos = hn::MulAdd(x, s.hi, hn::Mul(hn::IfThenZeroElse(hn::IsInf(x), x), s.lo));
    const V<D> r = hn::IfThenElse(hn::Gt(x, hn::Zero(d)), pos, neg);
    return vm::KeepNaN<D>(x, hn::IfThenElse(hn::Eq(x, hn::Zero(d)), hn::Mul(x, s.hi), r));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params& p) {
    const Pair<D> z = Z(d, x, p);
    const Pair<D> neg = MulPairs(G(d, p), vm32::ExpPairNormal<kKind == EluKind::celu>(d, z.hi, z.lo));
    return Grad(x, dy, Select(hn::Gt(x, hn::Zero(d)), S(d), neg));
  }
  template <class D>
  static HWY_INLINE M<D> FwdRare(D d, V<D>, const Params&) { return None(d); }
  template <class D>
  static HWY_INLINE M<D> BwdRare(D d, V<D> x, const Params& p) {
    return hn::Not(hn::Ge(x, K(d, kKind == EluKind::celu ? -80.f * p.v[0] : -80.f)));  // also NaN, -inf
  }
};

}  // namespace f32
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
