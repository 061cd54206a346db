// Backward from the output ("use_dst", as oneDNN calls it): dx = dy * f'(x)
// computed from y = f(x) alone, for the entries whose derivative is a cheap
// function of y (oneDNN's *_use_dst_for_bwd algorithms, PyTorch's
// sigmoid_backward / tanh_backward). A framework that keeps y instead of x
// saves memory, and the transcendental entries skip recomputing exp/tanh.
//
// Compiled once per SIMD target (included from kernels.cpp inside Highway's
// foreach_target loop; toggle guard, not an include guard).
//
// Each entry is one `OpDst<Act::id>` with
//   static bool ok(const Params& p);                       // parameters this form is valid for
//   static V bwd_y(D d, V y, V dy, const Params& p);      // dx = dy * f'(x), from y
// and a contract comment. Entries without a specialisation have no from-y
// form (kHas = false): their derivative needs x (gelu, silu, mish, hardswish,
// snake, tanhshrink, threshold, ...) or costs the same transcendental as from
// x (softplus, logsigmoid: f' = -expm1(-y), ...).
//
// Accuracy. y carries the forward's rounding (<= ulp_fwd ULP). Where f'(y)
// is a product of factors near y (sigmoid, tanh away from saturation) the
// result stays within a few ULP of ref f'(x); where f' -> 0 as y approaches
// a bound (sigmoid/tanh tails, the elu family for x -> -inf, softsign for
// |x| -> inf) the from-y form cancels and only an absolute bound holds:
// |dx - dy f'(x)| <= |dy| * (a few ulp of the bound). This is the price of
// use_dst in every library (oneDNN's benchdnn uses an absolute tolerance for
// logistic_use_dst in that zone); callers needing relative accuracy in the
// tails use backward() from x.
//
// NaN y propagates to dx (every entry), and so does NaN dy (a zero slope is
// applied as 0 * dy, not by selecting 0).

#if defined(ACTLAB_OPS_DST_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_OPS_DST_INL_H_
#undef ACTLAB_OPS_DST_INL_H_
#else
#define ACTLAB_OPS_DST_INL_H_
#endif

#include <cmath>

#include "actlab/act/catalogue.hpp"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// No from-y form unless specialised below.
template <Act A>
struct OpDst {
  static constexpr bool kHas = false;
  static bool ok(const Params&) { return false; }
};

namespace dst_detail {
// NaN in y -> NaN out, whatever the branch picked.
template <class D, class VV>
HWY_INLINE VV KeepNaN(D, VV y, VV v) {
  return hn::IfThenElse(hn::IsNaN(y), y, v);  // IsNaN: Ne(y, y) is an ordered compare on x86
}
// dy where `in`, else 0 * dy: a zero slope still propagates NaN dy, as
// backward() from x does.
template <class D, class M, class VV>
HWY_INLINE VV DyOrZero(D d, M in, VV dy) {
  return hn::IfThenElse(in, dy, hn::Mul(dy, hn::Zero(d)));
}
}  // namespace dst_detail

// identity: f' = 1 -> dx = dy (NaN y -> NaN, as the reference). Exact.
template <>
struct OpDst<Act::identity> {
  static constexpr bool kHas = true;
  static bool ok(const Params&) { return true; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params&) { return dst_detail::KeepNaN(d, y, dy); }
};

// step: f' = 0 almost everywhere -> dx = 0 * dy (NaN y or dy -> NaN). Exact.
template <>
struct OpDst<Act::step> {
  static constexpr bool kHas = true;
  static bool ok(const Params&) { return true; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params&) {
    return dst_detail::KeepNaN(d, y, hn::Mul(dy, hn::Zero(d)));
  }
};

// relu: y > 0 <=> x > 0, so dx = y > 0 ? dy : 0 (relu'(0) = 0). Exact.
template <>
struct OpDst<Act::relu> {
  static constexpr bool kHas = true;
  static bool ok(const Params&) { return true; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params&) {
    return dst_detail::KeepNaN(d, y, dst_detail::DyOrZero(d, hn::Gt(y, hn::Zero(d)), dy));
  }
};

// leaky_relu / prelu / rrelu with slope a >= 0: y > 0 <=> x > 0 (for a < 0
// a negative x gives y > 0 too, so the sign of y no longer tells the branch:
// ok() is false). dx = y > 0 ? dy : a dy. Exact (one rounding, as from x).
template <int kSlopeFromMean>
struct OpDstLeaky {
  static constexpr bool kHas = true;
  static float slope(const Params& p) { return kSlopeFromMean ? (p.v[0] + p.v[1]) * 0.5f : p.v[0]; }
  static bool ok(const Params& p) { return slope(p) >= 0.f; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params& p) {
    const VV g = hn::IfThenElse(hn::Gt(y, hn::Zero(d)), dy, hn::Mul(dy, hn::Set(d, slope(p))));
    return dst_detail::KeepNaN(d, y, g);
  }
};
template <>
struct OpDst<Act::leaky_relu> : OpDstLeaky<0> {};
template <>
struct OpDst<Act::prelu> : OpDstLeaky<0> {};
// rrelu: the deterministic mean slope (lower + upper) / 2, computed in float
// as the forward kernel and the reference do; the domain [0, 1] makes it >= 0.
template <>
struct OpDst<Act::rrelu> : OpDstLeaky<1> {};

// relu6: 0 < y < 6 <=> 0 < x < 6 (clamping is exact). dx = that ? dy : 0. Exact.
template <>
struct OpDst<Act::relu6> {
  static constexpr bool kHas = true;
  static bool ok(const Params&) { return true; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params&) {
    const auto in = hn::And(hn::Gt(y, hn::Zero(d)), hn::Lt(y, hn::Set(d, 6.f)));
    return dst_detail::KeepNaN(d, y, dst_detail::DyOrZero(d, in, dy));
  }
};

// hardtanh(min_val < max_val): min < y < max <=> min < x < max (exact clamp).
// dx = that ? dy : 0. Exact.
template <>
struct OpDst<Act::hardtanh> {
  static constexpr bool kHas = true;
  static bool ok(const Params& p) { return p.v[0] < p.v[1]; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params& p) {
    const auto in = hn::And(hn::Gt(y, hn::Set(d, p.v[0])), hn::Lt(y, hn::Set(d, p.v[1])));
    return dst_detail::KeepNaN(d, y, dst_detail::DyOrZero(d, in, dy));
  }
};
// hardsigmoid has no exact from-y form: (x + 3) / 6 rounds to 1 for x just
// below 3, where f' is still 1/6.

// hardshrink(lambd >= 0): y != 0 <=> |x| > lambd. dx = that ? dy : 0. Exact.
// softshrink(lambd >= 0): y = x -+ lambd != 0 <=> |x| > lambd (x - lambd of
// two different floats is never 0, gradual underflow). Same form. Exact.
struct OpDstShrink {
  static constexpr bool kHas = true;
  static bool ok(const Params&) { return true; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params&) {
    return dst_detail::KeepNaN(d, y, dst_detail::DyOrZero(d, hn::Ne(y, hn::Zero(d)), dy));
  }
};
template <>
struct OpDst<Act::hardshrink> : OpDstShrink {};
template <>
struct OpDst<Act::softshrink> : OpDstShrink {};

// sigmoid: f' = y (1 - y). <= 4 ULP of ref f'(x) while y <= 1/2 (x <= 0);
// for x > 0, 1 - y cancels: |error| <= 2^-23 |dy| (see the header).
template <>
struct OpDst<Act::sigmoid> {
  static constexpr bool kHas = true;
  static bool ok(const Params&) { return true; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params&) {
    return hn::Mul(dy, hn::Mul(y, hn::Sub(hn::Set(d, 1.f), y)));
  }
};

// tanh: f' = 1 - y^2 = (1 - y)(1 + y) (the factored form avoids squaring's
// rounding near |y| = 1). <= 4 ULP for |y| <= 1/2; beyond, |error| <=
// 2^-22 |dy|: tanh saturates to +-1 in float for |x| > 9.01, where ref f'
// is ~6e-8 and the from-y form gives 0.
template <>
struct OpDst<Act::tanh> {
  static constexpr bool kHas = true;
  static bool ok(const Params&) { return true; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params&) {
    const VV one = hn::Set(d, 1.f);
    return hn::Mul(dy, hn::Mul(hn::Sub(one, y), hn::Add(one, y)));
  }
};

// softsign: 1 - |y| = 1 / (1 + |x|), so f' = (1 - |y|)^2: no division.
// <= 4 ULP for |y| <= 1/2; beyond, |error| <= 2^-22 |dy| (1 - |y| cancels).
template <>
struct OpDst<Act::softsign> {
  static constexpr bool kHas = true;
  static bool ok(const Params&) { return true; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params&) {
    const VV t = hn::Sub(hn::Set(d, 1.f), hn::Abs(y));
    return hn::Mul(dy, hn::Mul(t, t));
  }
};

// elu(alpha >= 0) and selu: for x <= 0, y = s a (e^x - 1), so
// f' = s a e^x = y + s a; for x > 0 (<=> y > 0 when a >= 0) f' = s
// (s = 1 for elu). y + s a cancels as x -> -inf: |error| <= |dy| s a 2^-22;
// elsewhere <= 4 ULP. At x = 0, y = 0 gives s a, PyTorch's elu'(0).
template <int kSelu>
struct OpDstElu {
  static constexpr bool kHas = true;
  static constexpr float kScale = 1.0507009873554804934f;
  static constexpr float kAlpha = 1.6732632423543772848f;
  static bool ok(const Params& p) { return kSelu || p.v[0] >= 0.f; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params& p) {
    const float sa = kSelu ? kScale * kAlpha : p.v[0];
    const VV pos = kSelu ? hn::Set(d, kScale) : hn::Set(d, 1.f);
    const VV neg = hn::Add(y, hn::Set(d, sa));
    return hn::Mul(dy, hn::IfThenElse(hn::Gt(y, hn::Zero(d)), pos, neg));
  }
};
template <>
struct OpDst<Act::elu> : OpDstElu<0> {};
template <>
struct OpDst<Act::selu> : OpDstElu<1> {};

// celu(alpha > 0): for x <= 0, y = a (e^(x/a) - 1), f' = e^(x/a) = y / a + 1;
// f' = 1 for x > 0 (<=> y > 0). Cancels as x -> -inf: |error| <= 2^-22 |dy|.
template <>
struct OpDst<Act::celu> {
  static constexpr bool kHas = true;
  static bool ok(const Params& p) { return p.v[0] > 0.f; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params& p) {
    const VV one = hn::Set(d, 1.f);
    const VV neg = hn::MulAdd(y, hn::Set(d, 1.f / p.v[0]), one);
    return hn::Mul(dy, hn::IfThenElse(hn::Gt(y, hn::Zero(d)), one, neg));
  }
};

// squareplus(b > 0): with s = sqrt(x^2 + b), 2y = x + s and s - x = b / (2y),
// so f' = y / s = 4y^2 / (4y^2 + b) = t / (1 + t), t = (c y)^2, c = 2 / sqrt(b):
// a multiply and a division instead of a sqrt and a division, no
// cancellation on either side, and t stays normal wherever f' is (4y^2 alone
// would underflow into denormals for small b). <= 8 ULP (y's error doubles
// through the square). b = 0 (relu) has no from-y form at y = 0: ok() false.
template <>
struct OpDst<Act::squareplus> {
  static constexpr bool kHas = true;
  static bool ok(const Params& p) { return p.v[0] > 0.f && p.v[0] < ACTLAB_INF; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D d, VV y, VV dy, const Params& p) {
    const float c = static_cast<float>(2.0 / std::sqrt(static_cast<double>(p.v[0])));
    const VV u = hn::Mul(hn::Set(d, c), y);
    const VV t = hn::Mul(u, u);
    // t overflows for large y (and y = +inf): inf / inf; f' = 1 there.
    const VV g = hn::Div(t, hn::Add(t, hn::Set(d, 1.f)));
    return hn::Mul(dy, hn::IfThenElse(hn::IsInf(t), hn::Set(d, 1.f), g));
  }
};

// exponential: f' = e^x = y. Error = the forward's (<= ulp_fwd ULP) plus one
// rounding of the product. Above x = ln(FLT_MAX) = 88.72, y = +inf and dx =
// dy * inf even where dy e^x would be finite (|dy| < 1): y no longer holds x.
template <>
struct OpDst<Act::exponential> {
  static constexpr bool kHas = true;
  static bool ok(const Params&) { return true; }
  template <class D, class VV>
  static HWY_INLINE VV bwd_y(D, VV y, VV dy, const Params&) { return hn::Mul(dy, y); }
};

}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // toggle guard
