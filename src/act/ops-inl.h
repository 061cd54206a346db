// Per-activation vector math, compiled once per SIMD target (included from
// kernels.cpp inside Highway's foreach_target loop; no include guard on
// purpose, Highway's per-target toggle guard instead).
//
// Each activation is one `Op<Act::id>` with the two fixed signatures
//   static V fwd(D d, V x, const Params& p);
//   static V bwd(D d, V x, V y, V dy, const Params& p);   // dx = dy * f'(x)
// and a contract comment: formula, parameter domain, max ULP (forward /
// backward with dy = 1, over all finite float32; the numbers are the
// catalogue's ulp_fwd / ulp_bwd, measured by `actlab ulp`, docs/accuracy.md),
// NaN and +-inf / +-0 behaviour. Threading, tails and dispatch live in
// kernels.cpp, not here.
//
// Three kinds of kernels:
//   - piecewise-linear ones in float32 lanes with compare + select (exact,
//     or one correctly rounded operation);
//   - smooth ones in float64 lanes (F64Op below, helpers in vmath-inl.h):
//     the float32 result is within 0.5 + 1e-6 ULP of the exact value (a
//     few float64 ULPs, amplified at most ~50x where a formula cancels, are
//     tiny next to 2^-24);
//   - the common smooth ones also have a float32-lane kernel
//     (ops_f32-inl.h, 1.5-3x the throughput of float64 lanes): forward and
//     backward of sigmoid, tanh, elu, selu, celu, softplus, logsigmoid and
//     exponential; forward of silu, swish, mish and gelu_tanh. They are used
//     on FMA targets through `Hybrid`, with the float64 one as the fallback
//     for rare lanes and for targets without FMA.
//   - on AVX-512 most smooth ones use lean float32 kernels within 2 ULP
//     instead (ops_lean*-inl.h: exp from a 16-entry table, or piecewise
//     polynomials picked per lane with vpermps / vpermt2ps; chosen with
//     `Pick`), also for directions that have no pair kernel (gelu, the
//     backward of gelu_tanh, mish, silu and swish).
// An Op may also name a cheaper Op for some parameter values (`Special`,
// chosen once per call in kernels.cpp: swish with beta = 1 is silu).
// No kernel branches per lane or runs per-lane scalar code (a few branch
// per vector into a rare path: a tail, a zone around a zero of f'; every
// lane still gets its own input's value), and none sets FTZ/DAZ, so
// denormal inputs and outputs follow IEEE like the reference.
// NaN in x gives NaN out (forward and backward); NaN in dy gives NaN dx
// (dx = dy * f'(x) literally, also where f' = 0).

#if defined(ACTLAB_OPS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_OPS_INL_H_
#undef ACTLAB_OPS_INL_H_
#else
#define ACTLAB_OPS_INL_H_
#endif

#include <type_traits>

#include "actlab/act/catalogue.hpp"
#include "hwy/highway.h"
#include "src/act/ops_f32-inl.h"
#include "src/act/ops_lean-inl.h"
#include "src/act/ops_lean_gelu-inl.h"
#include "src/act/ops_lean_gelu_tanh-inl.h"
#include "src/act/ops_lean_mish-inl.h"
#include "src/act/ops_lean_silu-inl.h"
#include "src/act/ops_lean_softplus-inl.h"
#include "src/act/vmath-inl.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D>
using V = hn::Vec<D>;

template <Act A>
struct Op;  // every catalogue entry specialises it (checked at the end)

// ---------------------------------------------------------------------------
// float64 evaluation: Impl provides, on float64 lanes,
//   static V F(DD, V x, const Params&)   f(x)
//   static V G(DD, V x, const Params&)   f'(x)
// and F64Op promotes the float32 vector in two halves, calls them, forms
// dx = dy * f'(x) in float64 (one final rounding) and demotes.
namespace detail {

#if HWY_TARGET == HWY_SCALAR
// Highway's scalar DemoteTo saturates at +-FLT_MAX; IEEE conversion (which
// the vector targets' cvtpd2ps does) overflows to +-inf as the reference.
template <class D, class DD>
HWY_INLINE V<D> Demote(D d, V<DD> v) {
  return hn::Set(d, static_cast<float>(hn::GetLane(v)));
}
#endif

template <class Impl, class D>
HWY_INLINE V<D> F64Fwd(D d, V<D> x, const Params& p) {
#if HWY_TARGET == HWY_SCALAR
  const hn::Rebind<double, D> dd;
  return Demote<D, decltype(dd)>(d, Impl::F(dd, hn::PromoteTo(dd, x), p));
#else
  const hn::Half<D> dh;
  const hn::Rebind<double, decltype(dh)> dd;
  const auto lo = Impl::F(dd, hn::PromoteTo(dd, hn::LowerHalf(dh, x)), p);
  const auto hi = Impl::F(dd, hn::PromoteTo(dd, hn::UpperHalf(dh, x)), p);
  return hn::Combine(d, hn::DemoteTo(dh, hi), hn::DemoteTo(dh, lo));
#endif
}

template <class Impl, class D>
HWY_INLINE V<D> F64Bwd(D d, V<D> x, V<D> dy, const Params& p) {
#if HWY_TARGET == HWY_SCALAR
  const hn::Rebind<double, D> dd;
  return Demote<D, decltype(dd)>(d, hn::Mul(hn::PromoteTo(dd, dy), Impl::G(dd, hn::PromoteTo(dd, x), p)));
#else
  const hn::Half<D> dh;
  const hn::Rebind<double, decltype(dh)> dd;
  const auto lo = hn::Mul(hn::PromoteTo(dd, hn::LowerHalf(dh, dy)),
                          Impl::G(dd, hn::PromoteTo(dd, hn::LowerHalf(dh, x)), p));
  const auto hi = hn::Mul(hn::PromoteTo(dd, hn::UpperHalf(dh, dy)),
                          Impl::G(dd, hn::PromoteTo(dd, hn::UpperHalf(dh, x)), p));
  return hn::Combine(d, hn::DemoteTo(dh, hi), hn::DemoteTo(dh, lo));
#endif
}

}  // namespace detail

template <class Impl>
struct F64Op {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    return vm::KeepNaN<D>(x, detail::F64Fwd<Impl>(d, x, p));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D> /*y*/, V<D> dy, const Params& p) {
    return vm::KeepNaN<D>(x, detail::F64Bwd<Impl>(d, x, dy, p));
  }
};

// The lean AVX-512 kernel (ops_lean*-inl.h, <= 2 ULP) where the target has
// one, else the pair kernel (ops_f32-inl.h, <= 1 ULP; AVX2) or, for void,
// the float64 one.
template <class Lean, class Pairs>
using Pick = std::conditional_t<lean::kEnabled, Lean, Pairs>;

// Uses the float32 kernel (ops_f32-inl.h) where the target has an FMA, with
// the lanes that are "rare" for it taken from the float64 one; else (or
// void: that direction has no float32 kernel) the float64 kernel alone.
template <class F32Fwd, class F32Bwd, class F64Impl>
struct Hybrid {
  static constexpr bool kVectorised = true;
  // Rare lanes are replaced by the float64 result lane by lane, so every
  // lane's value depends only on its own input (bit-identical whatever its
  // neighbours, alignment or thread split); the float64 path runs only for
  // vectors that have a rare lane.
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    if constexpr (f32::kEnabled && !std::is_void_v<F32Fwd>) {
      const auto rare = F32Fwd::FwdRare(d, x, p);
      const V<D> r = F32Fwd::fwd(d, x, p);
      if (HWY_LIKELY(hn::AllFalse(d, rare))) return r;
      return hn::IfThenElse(rare, F64Op<F64Impl>::fwd(d, x, p), r);
    }
    return F64Op<F64Impl>::fwd(d, x, p);
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D> y, V<D> dy, const Params& p) {
    if constexpr (f32::kEnabled && !std::is_void_v<F32Bwd>) {
      const auto rare = F32Bwd::BwdRare(d, x, p);
      const V<D> r = F32Bwd::bwd(d, x, y, dy, p);
      if (HWY_LIKELY(hn::AllFalse(d, rare))) return r;
      return hn::IfThenElse(rare, F64Op<F64Impl>::bwd(d, x, y, dy, p), r);
    }
    return F64Op<F64Impl>::bwd(d, x, y, dy, p);
  }
};

// Helpers on float64 lanes.
template <class D>
HWY_INLINE V<D> C(D d, double v) {
  return hn::Set(d, v);
}
// x with +-inf replaced by 0, so that formulas never form inf * 0 = NaN; the
// limits at +-inf are selected afterwards.
template <class VD>
HWY_INLINE VD Finite(VD x) {
  return hn::IfThenZeroElse(hn::IsInf(x), x);
}
// r, but `at_pos` where x = +inf and `at_neg` where x = -inf.
template <class D>
HWY_INLINE V<D> AtInf(D d, V<D> x, V<D> r, V<D> at_pos, V<D> at_neg) {
  const auto inf = hn::IsInf(x);
  return hn::IfThenElse(inf, hn::IfThenElse(hn::Gt(x, hn::Zero(d)), at_pos, at_neg), r);
}

// ===========================================================================
// Piecewise-linear activations (float32 lanes, exact)

// identity: f(x) = x, f' = 1. Exact (0 ULP). NaN/inf/-0 pass through;
// NaN x -> NaN dx (as the reference's f'(NaN) = NaN).
template <>
struct Op<Act::identity> {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D, V<D> x, const Params&) { return x; }
  template <class D>
  static HWY_INLINE V<D> bwd(D, V<D> x, V<D>, V<D> dy, const Params&) { return vm::KeepNaN<D>(x, dy); }
};

// step: f(x) = x > threshold ? 1 : 0 (threshold any float), f' = 0.
// Exact. NaN x -> NaN (forward and backward); dx = 0 * dy (NaN dy -> NaN).
template <>
struct Op<Act::step> {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    const V<D> r = hn::IfThenElseZero(hn::Gt(x, hn::Set(d, p.v[0])), hn::Set(d, 1.f));
    return vm::KeepNaN<D>(x, r);
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) {
    return vm::KeepNaN<D>(x, hn::Mul(dy, hn::Zero(d)));
  }
};

// relu: f(x) = x > 0 ? x : +0. Exact. NaN -> NaN, -0 -> +0, +inf -> +inf.
// f'(x) = x > 0 ? 1 : 0 (relu'(0) = 0 as in PyTorch); NaN x -> NaN.
template <>
struct Op<Act::relu> {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    return hn::IfThenZeroElse(hn::Le(x, hn::Zero(d)), x);
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) {
    const auto nan = hn::IsNaN(x);
    return hn::IfThenElse(nan, x, hn::IfThenElse(hn::Gt(x, hn::Zero(d)), dy, hn::Mul(dy, hn::Zero(d))));
  }
};

// relu6: f(x) = min(max(x, 0), 6): x <= 0 -> +0, x >= 6 -> 6. Exact.
// f'(x) = 0 < x < 6 ? 1 : 0. NaN -> NaN; -0 -> +0; +-inf -> 6 / 0.
template <>
struct Op<Act::relu6> {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params&) {
    const V<D> six = hn::Set(d, 6.f);
    return hn::IfThenElse(hn::Ge(x, six), six, hn::IfThenZeroElse(hn::Le(x, hn::Zero(d)), x));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params&) {
    const auto in = hn::And(hn::Gt(x, hn::Zero(d)), hn::Lt(x, hn::Set(d, 6.f)));
    return vm::KeepNaN<D>(x, hn::IfThenElse(in, dy, hn::Mul(dy, hn::Zero(d))));
  }
};

// leaky_relu / prelu: f(x) = x > 0 ? x : a x, a = negative_slope | weight
// (any finite a). Exact (one rounding, as the reference). NaN propagates.
// f'(x) = x > 0 ? 1 : a.
template <>
struct Op<Act::leaky_relu> {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(d)), x, hn::Mul(x, hn::Set(d, p.v[0])));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params& p) {
    const auto g = hn::IfThenElse(hn::Gt(x, hn::Zero(d)), dy, hn::Mul(dy, hn::Set(d, p.v[0])));
    return hn::IfThenElse(hn::IsNaN(x), x, g);
  }
};
template <>
struct Op<Act::prelu> : Op<Act::leaky_relu> {};

// hardtanh: f(x) = x < min_val ? min_val : (x > max_val ? max_val : x)
// (min_val < max_val). Exact. f'(x) = min_val < x < max_val ? 1 : 0.
// NaN propagates (compares, not Min/Max, which drop NaN on x86).
template <>
struct Op<Act::hardtanh> {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    const V<D> lo = hn::Set(d, p.v[0]), hi = hn::Set(d, p.v[1]);
    return hn::IfThenElse(hn::Lt(x, lo), lo, hn::IfThenElse(hn::Gt(x, hi), hi, x));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params& p) {
    const auto in = hn::And(hn::Gt(x, hn::Set(d, p.v[0])), hn::Lt(x, hn::Set(d, p.v[1])));
    return vm::KeepNaN<D>(x, hn::IfThenElse(in, dy, hn::Mul(dy, hn::Zero(d))));
  }
};

// hardshrink: f(x) = |x| > lambd ? x : 0 (lambd >= 0). Exact.
// f'(x) = |x| > lambd ? 1 : 0. NaN propagates; +-inf -> +-inf.
template <>
struct Op<Act::hardshrink> {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    const auto keep = hn::Gt(hn::Abs(x), hn::Set(d, p.v[0]));
    return vm::KeepNaN<D>(x, hn::IfThenElseZero(keep, x));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params& p) {
    const auto keep = hn::Gt(hn::Abs(x), hn::Set(d, p.v[0]));
    return vm::KeepNaN<D>(x, hn::IfThenElse(keep, dy, hn::Mul(dy, hn::Zero(d))));
  }
};

// softshrink: f(x) = x > l ? x - l : (x < -l ? x + l : 0) (lambd = l >= 0).
// One float subtraction: correctly rounded (0 ULP). f' as hardshrink.
template <>
struct Op<Act::softshrink> {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    const V<D> l = hn::Set(d, p.v[0]);
    const V<D> r = hn::IfThenElse(hn::Gt(x, l), hn::Sub(x, l),
                                  hn::IfThenElseZero(hn::Lt(x, hn::Neg(l)), hn::Add(x, l)));
    return vm::KeepNaN<D>(x, r);
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D> y, V<D> dy, const Params& p) {
    return Op<Act::hardshrink>::bwd(d, x, y, dy, p);
  }
};

// threshold: f(x) = x > threshold ? x : value (any floats). Exact.
// f'(x) = x > threshold ? 1 : 0. NaN propagates.
template <>
struct Op<Act::threshold> {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    const V<D> r = hn::IfThenElse(hn::Gt(x, hn::Set(d, p.v[0])), x, hn::Set(d, p.v[1]));
    return vm::KeepNaN<D>(x, r);
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D>, V<D> dy, const Params& p) {
    return vm::KeepNaN<D>(x, hn::IfThenElse(hn::Gt(x, hn::Set(d, p.v[0])), dy, hn::Mul(dy, hn::Zero(d))));
  }
};

// ===========================================================================
// Activations evaluated in float64 lanes (see vmath-inl.h for the error
// analysis). Unless stated otherwise: max error 0.5 + 1e-6 ULP forward and
// backward (catalogue contract 1 ULP), NaN -> NaN, +-inf -> the limit.

// rrelu (eval mode): f(x) = x > 0 ? x : a x, a = (lower + upper) / 2 exactly
// (in float64, as the long double reference), 0 <= lower <= upper <= 1.
// Correctly rounded (one rounding of an exact float64 product): 0 ULP fwd
// and bwd. NaN propagates.
struct RreluImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params& p) {
    const double a = (double(p.v[0]) + double(p.v[1])) / 2;
    return hn::IfThenElse(hn::Gt(x, hn::Zero(d)), x, hn::Mul(x, C(d, a)));
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params& p) {
    const double a = (double(p.v[0]) + double(p.v[1])) / 2;
    return hn::IfThenElse(hn::Gt(x, hn::Zero(d)), C(d, 1.0), C(d, a));
  }
};
// The defaults' slope (0.125 + 0.33333334) / 2 is a float, and then the
// float32 product x a is the reference's one rounding: those parameters
// take leaky_relu's float32 kernel; others the float64 one above.
template <>
struct Op<Act::rrelu> {
  static constexpr bool kVectorised = true;
  static HWY_INLINE bool FloatSlope(const Params& p, float& a) {
    const double s = (double(p.v[0]) + double(p.v[1])) / 2;
    a = static_cast<float>(s);
    return double(a) == s;
  }
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    float a;
    if (!FloatSlope(p, a)) return F64Op<RreluImpl>::fwd(d, x, p);
    return hn::IfThenElse(hn::Gt(x, hn::Zero(d)), x, hn::Mul(x, hn::Set(d, a)));
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D> y, V<D> dy, const Params& p) {
    float a;
    if (!FloatSlope(p, a)) return F64Op<RreluImpl>::bwd(d, x, y, dy, p);
    const auto g = hn::IfThenElse(hn::Gt(x, hn::Zero(d)), dy, hn::Mul(dy, hn::Set(d, a)));
    return hn::IfThenElse(hn::IsNaN(x), x, g);
  }
};

// hardsigmoid: f(x) = x <= -3 ? 0 : (x >= 3 ? 1 : (x + 3) / 6); f' = 1/6 on
// (-3, 3), else 0. x + 3 is exact in float64 except for |x| < 2^-26, where
// its rounding is far below a float ULP; contract 1 ULP fwd (double
// rounding), 0 bwd. NaN -> NaN; -inf -> 0, +inf -> 1.
struct HardsigmoidImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) {
    const V<D> mid = hn::Div(hn::Add(x, C(d, 3.0)), C(d, 6.0));
    return hn::IfThenZeroElse(hn::Le(x, C(d, -3.0)), hn::IfThenElse(hn::Ge(x, C(d, 3.0)), C(d, 1.0), mid));
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    const auto in = hn::And(hn::Gt(x, C(d, -3.0)), hn::Lt(x, C(d, 3.0)));
    return hn::IfThenElseZero(in, C(d, 1.0 / 6.0));
  }
};
// Backward in float32 lanes: dy / 6 is one correctly rounded division (the
// reference's dy * (1/6) exactly), so the backward contract is 0 ULP.
template <>
struct Op<Act::hardsigmoid> : Hybrid<f32::Hardsigmoid, void, HardsigmoidImpl> {
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D> /*y*/, V<D> dy, const Params&) {
    const auto in = hn::And(hn::Gt(x, hn::Set(d, -3.f)), hn::Lt(x, hn::Set(d, 3.f)));
    return vm::KeepNaN<D>(x, hn::IfThenElse(in, hn::Div(dy, hn::Set(d, 6.f)), hn::Mul(dy, hn::Zero(d))));
  }
};

// hardswish: f(x) = x <= -3 ? 0 : (x >= 3 ? x : x (x + 3) / 6);
// f'(x) = x < -3 ? 0 : (x <= 3 ? x / 3 + 1/2 : 1) (PyTorch's x <= 3 branch).
// -inf -> 0 (the function is 0 for all x <= -3).
struct HardswishImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) {
    const V<D> mid = hn::Div(hn::Mul(x, hn::Add(x, C(d, 3.0))), C(d, 6.0));
    return hn::IfThenZeroElse(hn::Le(x, C(d, -3.0)), hn::IfThenElse(hn::Ge(x, C(d, 3.0)), x, mid));
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    const V<D> mid = hn::Add(hn::Div(x, C(d, 3.0)), C(d, 0.5));
    return hn::IfThenZeroElse(hn::Lt(x, C(d, -3.0)), hn::IfThenElse(hn::Gt(x, C(d, 3.0)), C(d, 1.0), mid));
  }
};
template <>
struct Op<Act::hardswish> : Hybrid<f32::Hardswish, f32::Hardswish, HardswishImpl> {};

// sigmoid: f(x) = 1 / (1 + e^-x) as r = 1/(1 + e), e = e^-|x| (x >= 0) or
// e r (x < 0): no overflow, no cancellation. f' = e / (1 + e)^2 = e r^2.
// +inf -> 1, -inf -> 0; f'(+-inf) = 0. Denormal outputs below x ~ -87.
struct SigmoidImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) { return vm::Sigmoid(d, x); }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    V<D> e, r;
    vm::SigmoidParts(d, x, e, r);
    return hn::Mul(e, hn::Mul(r, r));
  }
};
template <>
struct Op<Act::sigmoid> : Hybrid<Pick<lean::SigmoidFwd, f32::Sigmoid>, f32::Sigmoid, SigmoidImpl> {};

// logsigmoid: f(x) = min(x, 0) - log1p(e^-|x|); f' = sigmoid(-x).
// +inf -> -0 (reference: 0), -inf -> -inf; f'(+inf) = 0, f'(-inf) = 1.
struct LogsigmoidImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) {
    const V<D> e = vm::ExpD(d, hn::Neg(hn::Abs(x)));
    return hn::Sub(hn::Min(x, hn::Zero(d)), hn::Log1p(d, e));
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    V<D> e, r;
    vm::SigmoidParts(d, x, e, r);
    return hn::IfThenElse(hn::Lt(x, hn::Zero(d)), r, hn::Mul(e, r));
  }
};
template <>
struct Op<Act::logsigmoid>
    : Hybrid<Pick<lean::LogsigmoidFwd, f32::Logsigmoid>, Pick<lean::LogsigmoidBwd, f32::Logsigmoid>,
             LogsigmoidImpl> {};

// tanh: f(x) = tanh(x) (Highway's float64 Tanh, 4 float64 ULP; |x| clamped
// to 40 where tanh = +-1 in float64). f' = 1 - tanh^2 = 4 e / (1 + e)^2,
// e = e^-2|x| (the form 1 - t^2 would cancel for |x| > 1). -0 -> -0.
struct TanhImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) { return hn::Tanh(d, vm::Clamp(d, x, -40.0, 40.0)); }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    const V<D> e = vm::ExpD(d, hn::Mul(hn::Abs(x), C(d, -2.0)));
    const V<D> r = hn::Div(C(d, 1.0), hn::Add(C(d, 1.0), e));
    return hn::Mul(hn::Mul(C(d, 4.0), e), hn::Mul(r, r));
  }
};
template <>
struct Op<Act::tanh> : Hybrid<Pick<lean::TanhFwd, f32::Tanh>, f32::Tanh, TanhImpl> {};

// softsign: f(x) = x / (1 + |x|), f' = 1 / (1 + |x|)^2. +-inf -> +-1
// (the limit; x / (1 + |x|) itself would be inf / inf).
struct SoftsignImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) {
    const V<D> xc = vm::Clamp(d, x, -1e300, 1e300);
    return hn::Div(xc, hn::Add(C(d, 1.0), hn::Abs(xc)));
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    const V<D> q = hn::Add(C(d, 1.0), hn::Abs(x));
    return hn::Div(C(d, 1.0), hn::Mul(q, q));
  }
};
template <>
struct Op<Act::softsign> : F64Op<SoftsignImpl> {};

// tanhshrink: f(x) = x - tanh(x); |x| < 1/4: the odd Taylor series x^3/3 -
// 2x^5/15 + ... (12 terms, truncation < 1e-19 relative), because x - tanh x
// cancels (f ~ x^3/3). Elsewhere x - tanh(x) in float64 (cancellation <= 50x
// on 1e-16). f' = tanh(x)^2. +-inf -> +-inf; f'(+-inf) = 1.
struct TanhshrinkImpl {
  static constexpr double kSeries[12] = {
      -0x1.0b132d39a6050p-16, 0x1.497d8eea25259p-15, -0x1.967e18afcafadp-14,
      0x1.f57d7734d1664p-13,  -0x1.3558248036744p-11, 0x1.7da36452b75e3p-10,
      -0x1.d6d3d0e157de0p-9,  0x1.226e355e6c23dp-7,  -0x1.664f4882c10fap-6,
      0x1.ba1ba1ba1ba1cp-5,   -0x1.1111111111111p-3, 0x1.5555555555555p-2};
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) {
    const V<D> x2 = hn::Mul(x, x);
    const V<D> series = hn::Mul(hn::Mul(x, x2), vm::Poly(d, hn::Min(x2, C(d, 1.0)), kSeries));
    const V<D> direct = hn::Sub(x, hn::Tanh(d, vm::Clamp(d, x, -40.0, 40.0)));
    return hn::IfThenElse(hn::Lt(hn::Abs(x), C(d, 0.25)), series, direct);
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    const V<D> t = hn::Tanh(d, vm::Clamp(d, x, -40.0, 40.0));
    return hn::Mul(t, t);
  }
};
template <>
struct Op<Act::tanhshrink> : F64Op<TanhshrinkImpl> {};

// elu: f(x) = x > 0 ? x : alpha expm1(x) (alpha >= 0); f' = x > 0 ? 1 :
// alpha e^x (elu'(0) = alpha). -inf -> -alpha; f'(-inf) = 0.
struct EluImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params& p) {
    // x = -0 -> -0 as the reference (expm1(-0) = -0).
    const V<D> r = hn::IfThenElse(hn::Gt(x, hn::Zero(d)), x, hn::Mul(C(d, p.v[0]), vm::Expm1D(d, hn::Min(x, hn::Zero(d)))));
    return hn::IfThenElse(hn::Eq(x, hn::Zero(d)), hn::Mul(x, C(d, p.v[0])), r);
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params& p) {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(d)), C(d, 1.0), hn::Mul(C(d, p.v[0]), vm::ExpD(d, x)));
  }
};
template <>
struct Op<Act::elu> : Hybrid<Pick<lean::EluFwd<f32::EluKind::elu>, f32::Elu<f32::EluKind::elu>>,
                             f32::Elu<f32::EluKind::elu>, EluImpl> {};

// celu: f(x) = x > 0 ? x : alpha expm1(x / alpha) (alpha > 0); f' = x > 0 ?
// 1 : e^(x/alpha). x / alpha is rounded in float64 (1e-16 relative), which
// moves expm1 by < 1e-13 relative for |x / alpha| < 1000 and less beyond.
struct CeluImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params& p) {
    const V<D> z = hn::Div(hn::Min(x, hn::Zero(d)), C(d, p.v[0]));
    // x = -0 -> -0 as the reference (expm1(-0) = -0).
    const V<D> r = hn::IfThenElse(hn::Gt(x, hn::Zero(d)), x, hn::Mul(C(d, p.v[0]), vm::Expm1D(d, z)));
    return hn::IfThenElse(hn::Eq(x, hn::Zero(d)), hn::Mul(x, C(d, p.v[0])), r);
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params& p) {
    const V<D> z = hn::Div(hn::Min(x, hn::Zero(d)), C(d, p.v[0]));
    return hn::IfThenElse(hn::Gt(x, hn::Zero(d)), C(d, 1.0), vm::ExpD(d, z));
  }
};
template <>
struct Op<Act::celu> : Hybrid<Pick<lean::EluFwd<f32::EluKind::celu>, f32::Elu<f32::EluKind::celu>>,
                              f32::Elu<f32::EluKind::celu>, CeluImpl> {};

// selu: f(x) = scale (x > 0 ? x : alpha expm1(x)), alpha = 1.6732632423543772,
// scale = 1.0507009873554805; f' = scale (x > 0 ? 1 : alpha e^x).
// -inf -> -scale alpha; +inf -> +inf.
struct SeluImpl {
  static constexpr double kAlpha = 1.6732632423543772848170429916717;
  static constexpr double kScale = 1.0507009873554804934193349852946;
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) {
    const V<D> neg = hn::Mul(C(d, kScale * kAlpha), vm::Expm1D(d, hn::Min(x, hn::Zero(d))));
    // x = -0 -> -0 as the reference (expm1(-0) = -0).
    const V<D> r = hn::IfThenElse(hn::Gt(x, hn::Zero(d)), hn::Mul(C(d, kScale), x), neg);
    return hn::IfThenElse(hn::Eq(x, hn::Zero(d)), hn::Mul(x, C(d, kScale)), r);
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(d)), C(d, kScale), hn::Mul(C(d, kScale * kAlpha), vm::ExpD(d, x)));
  }
};
template <>
struct Op<Act::selu> : Hybrid<Pick<lean::EluFwd<f32::EluKind::selu>, f32::Elu<f32::EluKind::selu>>,
                              f32::Elu<f32::EluKind::selu>, SeluImpl> {};

// gelu (erf): f(x) = x Phi(x); f' = Phi(x) + x phi(x). Phi from our own
// polynomials (vm::NormCdf): 1/2 + x P(x^2) for |x| <= 3, the Mills-ratio
// form phi(x) T(1/x^2) / |x| for the tails (so the lower tail has no erfc
// cancellation and x^2 / 2 enters exp exactly). -inf -> -0, +inf -> +inf;
// f'(-inf) = 0, f'(+inf) = 1. Underflows to 0 below x ~ -14.5.
struct GeluImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) {
    const V<D> xf = Finite(x);
    V<D> pdf;
    const V<D> cdf = vm::NormCdf(d, xf, pdf);
    return AtInf(d, x, hn::Mul(xf, cdf), x, hn::Zero(d));
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    const V<D> xf = Finite(x);
    V<D> pdf;
    const V<D> cdf = vm::NormCdf(d, xf, pdf);
    return AtInf(d, x, hn::MulAdd(xf, pdf, cdf), C(d, 1.0), hn::Zero(d));
  }
};
template <>
struct Op<Act::gelu> : Hybrid<Pick<lean::GeluFwdOp, void>, Pick<lean::GeluBwdOp, void>, GeluImpl> {};

// gelu_tanh: f(x) = x/2 (1 + tanh u) = x sigmoid(2u), u = sqrt(2/pi) (x +
// 0.044715 x^3) (the sigmoid form has no cancellation for x << 0).
// f' = s + 2 x s (1 - s) u', s = sigmoid(2u), u' = sqrt(2/pi)(1 + 3 0.044715 x^2).
// -inf -> -0, +inf -> +inf; f'(-inf) = 0, f'(+inf) = 1.
struct GeluTanhImpl {
  static constexpr double kC = 0.79788456080286535587989211986876373695;  // sqrt(2/pi)
  static constexpr double kA = 0.044715;
  template <class D>
  static HWY_INLINE V<D> Z(D d, V<D> x) {  // 2u
    return hn::Mul(hn::Mul(C(d, 2 * kC), x), hn::MulAdd(hn::Mul(x, x), C(d, kA), C(d, 1.0)));
  }
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) {
    const V<D> xf = Finite(x);
    return AtInf(d, x, hn::Mul(xf, vm::Sigmoid(d, Z(d, xf))), x, hn::Zero(d));
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    const V<D> xf = Finite(x);
    const V<D> z = Z(d, xf);
    V<D> e, r;
    vm::SigmoidParts(d, z, e, r);
    const V<D> s = hn::IfThenElse(hn::Lt(z, hn::Zero(d)), hn::Mul(e, r), r);
    const V<D> ss = hn::Mul(e, hn::Mul(r, r));  // s (1 - s)
    const V<D> du = hn::Mul(C(d, 2 * kC), hn::MulAdd(hn::Mul(xf, xf), C(d, 3 * kA), C(d, 1.0)));  // 2u'
    return AtInf(d, x, hn::MulAdd(hn::Mul(xf, ss), du, s), C(d, 1.0), hn::Zero(d));
  }
};
template <>
struct Op<Act::gelu_tanh>
    : Hybrid<Pick<lean::GeluTanhFwdOp, f32::GeluTanh>, Pick<lean::GeluTanhBwdOp, void>, GeluTanhImpl> {};

// swish: f(x) = x sigmoid(beta x) (any finite beta; beta x exact in
// float64); f' = s (1 + beta x (1 - s)), s = sigmoid(beta x). silu = swish
// with beta = 1. Limits at +-inf: x where beta x -> +inf, 0 where -inf,
// x/2 for beta = 0; f' -> 1, 0, 1/2 likewise.
template <bool kSilu>
struct SwishImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params& p) {
    const V<D> beta = C(d, kSilu ? 1.0 : double(p.v[0]));
    const V<D> xf = Finite(x);
    const V<D> r = hn::Mul(xf, vm::Sigmoid(d, hn::Mul(beta, xf)));
    return Limit(d, x, beta, r, x, hn::Zero(d), hn::Mul(x, C(d, 0.5)));
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params& p) {
    const V<D> beta = C(d, kSilu ? 1.0 : double(p.v[0]));
    const V<D> xf = Finite(x);
    const V<D> bx = hn::Mul(beta, xf);
    V<D> e, r;
    vm::SigmoidParts(d, bx, e, r);
    const auto neg = hn::Lt(bx, hn::Zero(d));
    const V<D> s = hn::IfThenElse(neg, hn::Mul(e, r), r);
    const V<D> sm = hn::IfThenElse(neg, r, hn::Mul(e, r));  // 1 - s = sigmoid(-bx)
    V<D> g = hn::Mul(s, hn::MulAdd(bx, sm, C(d, 1.0)));
    if constexpr (!kSilu) {
      // f' = silu'(u) vanishes at u = u0: there the formula's float64
      // rounding is amplified by 1 / |u - u0|, and beta x (exact here) can
      // land within 2^-37 of u0 for some betas (silu: x itself is a float,
      // never that close). Within 0.01 of u0, f' = t P(t), t = (u - u0h) -
      // u0l (u - u0h exact by Sterbenz), with the lean kernel's P (2^-32.5
      // relative; c0 as a float pair, exact in float64).
      const auto& P = lean::SwishBwd<true>::kP;
      const V<D> t = hn::Sub(hn::Sub(bx, C(d, -0x1.474973c84120bp+0)), C(d, -0x1.f8d74bc9ac154p-54));
      V<D> q = hn::MulAdd(C(d, P[4]), t, C(d, P[3]));
      q = hn::MulAdd(q, t, C(d, P[2]));
      q = hn::MulAdd(q, t, C(d, double(P[0]) + double(P[1])));
      g = hn::IfThenElse(hn::Lt(hn::Abs(t), C(d, 0.01)), hn::Mul(t, q), g);
    }
    return Limit(d, x, beta, g, C(d, 1.0), hn::Zero(d), C(d, 0.5));
  }
  // At x = +-inf: `pos` where beta x = +inf, `neg` where -inf, `zero` if beta = 0.
  template <class D>
  static HWY_INLINE V<D> Limit(D d, V<D> x, V<D> beta, V<D> r, V<D> pos, V<D> negv, V<D> zero) {
    const auto bxpos = hn::Gt(hn::Mul(beta, x), hn::Zero(d));
    const V<D> lim = hn::IfThenElse(hn::Eq(beta, hn::Zero(d)), zero, hn::IfThenElse(bxpos, pos, negv));
    return hn::IfThenElse(hn::IsInf(x), lim, r);
  }
};
template <>
struct Op<Act::silu>
    : Hybrid<Pick<lean::SwishFwd<true>, f32::Swish<true>>, Pick<lean::SiluBwdOp, void>, SwishImpl<true>> {};
// beta = 1 (the default) runs silu's kernels (kernels.cpp, WithSpecial).
template <>
struct Op<Act::swish>
    : Hybrid<Pick<lean::SwishFwd<false>, f32::Swish<false>>, Pick<lean::SwishBwd<false>, void>, SwishImpl<false>> {
  using Special = Op<Act::silu>;
  static bool UseSpecial(const Params& p) { return p.v[0] == 1.f; }
};

// mish: f(x) = x tanh(softplus(x)) = x n / (n + 2), n = e (e + 2), e = e^x
// (exact identity; no log, no cancellation). For x >= 20, n / (n + 2) = 1
// in float64, so e is clamped there. f' = t + x sigmoid(x) (1 - t^2),
// t = n / (n + 2), 1 - t^2 = 4 (n + 1) / (n + 2)^2; the second term's x is
// clamped to 20 as well (beyond, the term is < 1e-16). -inf -> -0.
struct MishImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) {
    const V<D> xf = Finite(x);
    const V<D> e = vm::ExpD(d, hn::Min(xf, C(d, 20.0)));
    const V<D> n = hn::Mul(e, hn::Add(e, C(d, 2.0)));
    const V<D> t = hn::Div(n, hn::Add(n, C(d, 2.0)));
    return AtInf(d, x, hn::Mul(xf, t), x, hn::Zero(d));
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) {
    const V<D> xc = hn::Min(Finite(x), C(d, 20.0));
    const V<D> e = vm::ExpD(d, xc);
    const V<D> n = hn::Mul(e, hn::Add(e, C(d, 2.0)));
    const V<D> q = hn::Div(C(d, 1.0), hn::Add(n, C(d, 2.0)));
    const V<D> t = hn::Mul(n, q);
    const V<D> sech2 = hn::Mul(hn::Mul(C(d, 4.0), hn::Add(n, C(d, 1.0))), hn::Mul(q, q));
    const V<D> sig = hn::Div(e, hn::Add(C(d, 1.0), e));
    return AtInf(d, x, hn::MulAdd(hn::Mul(xc, sig), sech2, t), C(d, 1.0), hn::Zero(d));
  }
};
template <>
struct Op<Act::mish> : Hybrid<Pick<lean::MishFwdOp, f32::Mish>, Pick<lean::MishBwdOp, void>, MishImpl> {};

// softplus: f(x) = beta x > threshold ? x : (max(bx, 0) + log1p(e^-|bx|)) /
// beta, bx = beta x exact in float64 (same branch decision as the
// reference); beta > 0, threshold > 0. f' = bx > threshold ? 1 : sigmoid(bx).
// +inf -> +inf, -inf -> 0.
struct SoftplusImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params& p) {
    const V<D> bx = hn::Mul(C(d, p.v[0]), x);
    const V<D> sp = hn::Add(hn::Max(bx, hn::Zero(d)), hn::Log1p(d, vm::ExpD(d, hn::Neg(hn::Abs(bx)))));
    return hn::IfThenElse(hn::Gt(bx, C(d, p.v[1])), x, hn::Div(sp, C(d, p.v[0])));
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params& p) {
    const V<D> bx = hn::Mul(C(d, p.v[0]), x);
    return hn::IfThenElse(hn::Gt(bx, C(d, p.v[1])), C(d, 1.0), vm::Sigmoid(d, bx));
  }
};
// beta = 1, threshold >= 18 (the defaults) run the lean table / sigmoid
// kernels without the general-parameter paths (kernels.cpp, WithSpecial).
template <>
struct Op<Act::softplus>
    : Hybrid<Pick<lean::SoftplusFwd, f32::Softplus>, Pick<lean::SoftplusBwd, f32::Softplus>, SoftplusImpl> {
  using Special = Hybrid<Pick<lean::SoftplusUnitFwd, f32::Softplus>, Pick<lean::SoftplusUnitBwd, f32::Softplus>,
                         SoftplusImpl>;
  static bool UseSpecial(const Params& p) { return p.v[0] == 1.f && p.v[1] >= 18.f; }
};

// squareplus: f(x) = (x + s) / 2 for x >= 0, b / (2 (s - x)) for x < 0 (the
// same value without cancellation), s = sqrt(x^2 + b), b >= 0 (x^2 exact in
// float64). f' = (1 + x / s) / 2 for x >= 0, b / (2 s (s - x)) for x < 0;
// s = 0 (b = 0, x = 0) -> 1/2. +inf -> +inf, -inf -> 0; f'(+inf) = 1.
struct SquareplusImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params& p) {
    const V<D> b = C(d, p.v[0]);
    const V<D> s = hn::Sqrt(hn::MulAdd(x, x, b));
    const V<D> pos = hn::Mul(hn::Add(x, s), C(d, 0.5));
    const V<D> neg = hn::Div(b, hn::Mul(C(d, 2.0), hn::Sub(s, x)));
    return hn::IfThenElse(hn::Ge(x, hn::Zero(d)), pos, neg);
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params& p) {
    const V<D> b = C(d, p.v[0]);
    const V<D> xf = Finite(x);
    const V<D> s = hn::Sqrt(hn::MulAdd(xf, xf, b));
    const V<D> pos = hn::Mul(hn::Add(C(d, 1.0), hn::Div(xf, s)), C(d, 0.5));
    const V<D> neg = hn::Div(b, hn::Mul(hn::Mul(C(d, 2.0), s), hn::Sub(s, xf)));
    V<D> r = hn::IfThenElse(hn::Ge(xf, hn::Zero(d)), pos, neg);
    r = hn::IfThenElse(hn::Eq(s, hn::Zero(d)), C(d, 0.5), r);
    return AtInf(d, x, r, C(d, 1.0), hn::Zero(d));
  }
};
template <>
struct Op<Act::squareplus> : F64Op<SquareplusImpl> {};

// snake: f(x) = x + sin^2(alpha x) / alpha (alpha > 0); f' = 1 + sin(2 alpha
// x) = 2 sin^2(alpha x + pi/4) (the squared form keeps full relative accuracy
// next to the zeros of f'). t = alpha x is exact in float64 and reduced
// modulo pi exactly for every finite float input (vm::FracOverPi), so the
// contract holds over the whole float range. +-inf -> +-inf; f'(+-inf) =
// NaN (sin(inf) is undefined, as in the reference).
struct SnakeImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params& p) {
    const V<D> xf = Finite(x);
    V<D> hi, lo;
    vm::FracOverPi(d, hn::Mul(C(d, p.v[0]), xf), 0.0, hi, lo);
    const V<D> s = vm::SinPi(d, hi, lo);
    const V<D> r = hn::Add(xf, hn::Div(hn::Mul(s, s), C(d, p.v[0])));
    return hn::IfThenElse(hn::IsInf(x), x, r);
  }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params& p) {
    const V<D> xf = Finite(x);
    V<D> hi, lo;
    vm::FracOverPi(d, hn::Mul(C(d, p.v[0]), xf), 0.25, hi, lo);
    const V<D> s = vm::SinPi(d, hi, lo);
    const V<D> r = hn::Mul(C(d, 2.0), hn::Mul(s, s));
    return hn::IfThenElse(hn::IsInf(x), hn::Set(d, NAN), r);
  }
};
template <>
struct Op<Act::snake> : F64Op<SnakeImpl> {};

// exponential: f(x) = f'(x) = e^x. Overflows to +inf above x ~ 88.72 and
// gives denormals below ~ -87.3 (IEEE, like the reference). -inf -> 0.
struct ExponentialImpl {
  template <class D>
  static HWY_INLINE V<D> F(D d, V<D> x, const Params&) { return vm::ExpD(d, x); }
  template <class D>
  static HWY_INLINE V<D> G(D d, V<D> x, const Params&) { return vm::ExpD(d, x); }
};
template <>
struct Op<Act::exponential> : Hybrid<Pick<lean::ExpFwd, f32::Exponential>, f32::Exponential, ExponentialImpl> {};

// Rowwise entries: the row loop lives in kernels.cpp (softmax_row); these
// Ops only exist so that the generated switch compiles and are never called
// on a whole array (forward()/backward() route rowwise entries to the rows
// functions first). Identity semantics.
template <>
struct Op<Act::softmax> : Op<Act::identity> {};
template <>
struct Op<Act::log_softmax> : Op<Act::identity> {};
template <>
struct Op<Act::softmin> : Op<Act::identity> {};

// ---------------------------------------------------------------------------
// Compile-time check that every catalogue entry has a vectorised Op;
// generated from the list.
#define ACTLAB_X_CHECK(id, ...) static_assert(Op<Act::id>::kVectorised, #id " has no vector kernel");
ACTLAB_ACTIVATIONS(ACTLAB_X_CHECK)
#undef ACTLAB_X_CHECK

}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
