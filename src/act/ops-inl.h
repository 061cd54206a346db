// Per-activation vector math, compiled once per SIMD target (included from
// kernels.cpp inside Highway's foreach_target loop; no include guard on
// purpose, Highway's per-target toggle guard instead).
//
// Each activation is one `Op<Act::id>` with the two fixed signatures
//   static V fwd(D d, V x, const Params& p);
//   static V bwd(D d, V x, V y, V dy, const Params& p);   // dx = dy * f'(x)
// and a contract comment: formula, parameter domain, max ULP (forward /
// backward with dy = 1, over all finite float32), NaN and +-inf behaviour.
// Threading, tails and dispatch live in kernels.cpp, not here.
//
// Ops not yet vectorised fall back to `ScalarRef`, which evaluates the long
// double reference lane by lane: correct, slow, and flagged by kVectorised.

#if defined(ACTLAB_OPS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_OPS_INL_H_
#undef ACTLAB_OPS_INL_H_
#else
#define ACTLAB_OPS_INL_H_
#endif

#include "actlab/act/catalogue.hpp"
#include "actlab/act/reference.hpp"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D>
using V = hn::Vec<D>;

// Evaluates the reference lane by lane (fallback for ops not yet vectorised).
template <Act A>
struct ScalarRef {
  static constexpr bool kVectorised = false;
  template <class D>
  static HWY_INLINE V<D> fwd(D d, V<D> x, const Params& p) {
    HWY_ALIGN float buf[hn::MaxLanes(d)];
    hn::Store(x, d, buf);
    for (size_t i = 0; i < hn::Lanes(d); ++i) buf[i] = static_cast<float>(ref::forward(A, p, buf[i]));
    return hn::Load(d, buf);
  }
  template <class D>
  static HWY_INLINE V<D> bwd(D d, V<D> x, V<D> /*y*/, V<D> dy, const Params& p) {
    HWY_ALIGN float buf[hn::MaxLanes(d)];
    HWY_ALIGN float g[hn::MaxLanes(d)];
    hn::Store(x, d, buf);
    hn::Store(dy, d, g);
    for (size_t i = 0; i < hn::Lanes(d); ++i)
      buf[i] = static_cast<float>(g[i] * ref::derivative(A, p, buf[i]));
    return hn::Load(d, buf);
  }
};

template <Act A>
struct Op : ScalarRef<A> {};

// ---------------------------------------------------------------------------
// identity: f(x) = x. Exact (0 ULP). NaN/inf pass through.
template <>
struct Op<Act::identity> {
  static constexpr bool kVectorised = true;
  template <class D>
  static HWY_INLINE V<D> fwd(D, V<D> x, const Params&) { return x; }
  template <class D>
  static HWY_INLINE V<D> bwd(D, V<D>, V<D>, V<D> dy, const Params&) { return dy; }
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
    const auto nan = hn::Ne(x, x);
    return hn::IfThenElse(nan, x, hn::IfThenElseZero(hn::Gt(x, hn::Zero(d)), dy));
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
    return hn::IfThenElse(hn::Ne(x, x), x, g);
  }
};
template <>
struct Op<Act::prelu> : Op<Act::leaky_relu> {};

// ---------------------------------------------------------------------------
// Compile-time check that every catalogue entry has an Op (vectorised or the
// reference fallback); generated from the list.
#define ACTLAB_X_CHECK(id, ...) static_assert(sizeof(Op<Act::id>) > 0);
ACTLAB_ACTIVATIONS(ACTLAB_X_CHECK)
#undef ACTLAB_X_CHECK

}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
