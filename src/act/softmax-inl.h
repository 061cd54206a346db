// Softmax family along one row, vectorised (per SIMD target, included from
// kernels.cpp like ops-inl.h; no include guard on purpose).
//
// Contract (catalogue ulp_fwd / ulp_bwd = 1, measured by `actlab ulp` on
// random rows, see include/actlab/act/ulp.hpp for the row metrics):
//   z_j = s x_j - max_k s x_k (s = -1 for softmin, else 1), all in float64;
//   softmax / softmin: y_j = e^{z_j} / S, S = sum_j e^{z_j};
//   log_softmax:       y_j = z_j - log1p(R), R = S - 1 formed without the 1 of
//                      one maximal element (so y keeps full relative accuracy
//                      when one element dominates and S = 1 + tiny);
//   backward recomputes p_j = e^{z_j} / S in float64 from x (not from the
//   float y): dx_j = s p_j (dy_j - <dy, p>), log_softmax dx_j = dy_j - p_j
//   sum_k dy_k. Sums in float64 lanes: relative error ~ n 1e-16.
// A NaN anywhere in the row gives a row of NaN (as the reference); +inf
// entries give NaN (inf - inf), as the reference.

#if defined(ACTLAB_SOFTMAX_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ACTLAB_SOFTMAX_INL_H_
#undef ACTLAB_SOFTMAX_INL_H_
#else
#define ACTLAB_SOFTMAX_INL_H_
#endif

#include <cmath>
#include <cstring>
#include <limits>

#include "actlab/act/catalogue.hpp"
#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace smx {

// float64 -> float32 with IEEE overflow to +-inf (Highway's scalar DemoteTo
// saturates at +-FLT_MAX instead; the vector targets' conversion is IEEE).
template <class DF, class VD>
HWY_INLINE hn::Vec<DF> Demote(DF df, VD v) {
#if HWY_TARGET == HWY_SCALAR
  return hn::Set(df, static_cast<float>(hn::GetLane(v)));
#else
  return hn::DemoteTo(df, v);
#endif
}

// Visits the row in float64 vectors of z = s x - m; the tail is padded with
// z = -inf (exp -> 0, never a maximum), so every lane may be summed.
// fn(offset, count, z) gets the float64 vector and the number of valid lanes.
template <class DD, class F>
HWY_INLINE void ForEachZ(DD dd, const float* x, size_t cols, double sign, double m, F&& fn) {
  const hn::Rebind<float, DD> df;  // N float lanes, promoted to N doubles
  const size_t N = hn::Lanes(dd);
  const auto vs = hn::Set(dd, sign), vm = hn::Set(dd, m);
  size_t j = 0;
  for (; j + N <= cols; j += N) fn(j, N, hn::Sub(hn::Mul(hn::PromoteTo(dd, hn::LoadU(df, x + j)), vs), vm));
  if (j < cols) {
    HWY_ALIGN double buf[hn::MaxLanes(dd)];
    for (size_t i = 0; i < N; ++i)
      buf[i] = j + i < cols ? sign * static_cast<double>(x[j + i]) - m : -HUGE_VAL;
    fn(j, cols - j, hn::Load(dd, buf));
  }
}

// exp(z) for z <= 0 (or NaN): Highway's Exp is valid down to -DBL_MAX but
// not at -inf, so clamp there (exp(-800) = 0 in float64 as exp(-inf)).
template <class DD>
HWY_INLINE hn::Vec<DD> ExpNeg(DD dd, hn::Vec<DD> z) {
  const auto e = hn::Exp(dd, hn::Max(z, hn::Set(dd, -800.0)));
  return hn::IfThenElse(hn::IsNaN(z), z, e);
}

struct Sums {
  double m, s, rest;
  bool one_taken;
};

// Maximum and sums of one row; false if the row has a NaN.
HWY_INLINE bool RowSums(Act a, const float* x, size_t cols, Sums& out) {
  const hn::ScalableTag<double> dd;
  const double sign = a == Act::softmin ? -1.0 : 1.0;
  double m = -HUGE_VAL;
  bool nan = false;
  for (size_t j = 0; j < cols; ++j) {  // cheap; compilers vectorise it
    const double v = sign * static_cast<double>(x[j]);
    nan |= std::isnan(v);
    m = v > m ? v : m;
  }
  if (nan) return false;
  auto vsum = hn::Zero(dd), vrest = hn::Zero(dd);
  auto vzeros = hn::Zero(dd);
  ForEachZ(dd, x, cols, sign, m, [&](size_t, size_t, hn::Vec<decltype(dd)> z) HWY_ATTR {
    const auto e = ExpNeg(dd, z);
    vsum = hn::Add(vsum, e);
    const auto is0 = hn::Eq(z, hn::Zero(dd));
    vrest = hn::Add(vrest, hn::IfThenZeroElse(is0, e));
    vzeros = hn::Add(vzeros, hn::IfThenElseZero(is0, hn::Set(dd, 1.0)));
  });
  const double zeros = hn::GetLane(hn::SumOfLanes(dd, vzeros));
  out.m = m;
  out.s = hn::GetLane(hn::SumOfLanes(dd, vsum));
  out.one_taken = zeros >= 1;
  // R = S - 1 without forming 1 + tiny: the other maxima contribute 1 each.
  out.rest = hn::GetLane(hn::SumOfLanes(dd, vrest)) + (out.one_taken ? zeros - 1 : 0.0);
  return true;
}

HWY_INLINE void RowForward(Act a, const float* x, float* y, size_t cols) {
  Sums st;
  if (!RowSums(a, x, cols, st)) {
    for (size_t j = 0; j < cols; ++j) y[j] = std::numeric_limits<float>::quiet_NaN();
    return;
  }
  const hn::ScalableTag<double> dd;
  const hn::Rebind<float, decltype(dd)> df;
  const double sign = a == Act::softmin ? -1.0 : 1.0;
  if (a == Act::log_softmax) {
    const auto ls = hn::Set(dd, st.one_taken ? std::log1p(st.rest) : std::log(st.s));
    ForEachZ(dd, x, cols, sign, st.m, [&](size_t j, size_t n, hn::Vec<decltype(dd)> z) HWY_ATTR {
      const auto v = Demote(df, hn::Sub(z, ls));
      if (n == hn::Lanes(dd)) {
        hn::StoreU(v, df, y + j);
      } else {
        HWY_ALIGN float b[hn::MaxLanes(df)];
        hn::Store(v, df, b);
        std::memcpy(y + j, b, n * sizeof(float));
      }
    });
    return;
  }
  const auto inv = hn::Set(dd, 1.0 / st.s);
  ForEachZ(dd, x, cols, sign, st.m, [&](size_t j, size_t n, hn::Vec<decltype(dd)> z) HWY_ATTR {
    const auto v = Demote(df, hn::Mul(ExpNeg(dd, z), inv));
    if (n == hn::Lanes(dd)) {
      hn::StoreU(v, df, y + j);
    } else {
      HWY_ALIGN float b[hn::MaxLanes(df)];
      hn::Store(v, df, b);
      std::memcpy(y + j, b, n * sizeof(float));
    }
  });
}

HWY_INLINE void RowBackward(Act a, const float* x, const float* dy, float* dx, size_t cols) {
  Sums st;
  if (!RowSums(a, x, cols, st)) {
    for (size_t j = 0; j < cols; ++j) dx[j] = std::numeric_limits<float>::quiet_NaN();
    return;
  }
  const hn::ScalableTag<double> dd;
  const hn::Rebind<float, decltype(dd)> df;
  const size_t N = hn::Lanes(dd);
  const double sign = a == Act::softmin ? -1.0 : 1.0;
  const auto inv = hn::Set(dd, 1.0 / st.s);
  // dy as float64 lanes, zero-padded in the tail.
  auto load_dy = [&](size_t j, size_t n) HWY_ATTR {
    if (n == N) return hn::PromoteTo(dd, hn::LoadU(df, dy + j));
    HWY_ALIGN float b[hn::MaxLanes(df)] = {};
    std::memcpy(b, dy + j, n * sizeof(float));
    return hn::PromoteTo(dd, hn::Load(df, b));
  };
  auto store = [&](size_t j, size_t n, hn::Vec<decltype(dd)> v) HWY_ATTR {
    const auto f = Demote(df, v);
    if (n == N) {
      hn::StoreU(f, df, dx + j);
    } else {
      HWY_ALIGN float b[hn::MaxLanes(df)];
      hn::Store(f, df, b);
      std::memcpy(dx + j, b, n * sizeof(float));
    }
  };
  // First pass: <dy, p> (softmax, softmin) or sum dy (log_softmax).
  auto vacc = hn::Zero(dd);
  ForEachZ(dd, x, cols, sign, st.m, [&](size_t j, size_t n, hn::Vec<decltype(dd)> z) HWY_ATTR {
    const auto g = load_dy(j, n);
    vacc = a == Act::log_softmax ? hn::Add(vacc, g) : hn::MulAdd(g, hn::Mul(ExpNeg(dd, z), inv), vacc);
  });
  const auto acc = hn::Set(dd, hn::GetLane(hn::SumOfLanes(dd, vacc)));
  const auto vsign = hn::Set(dd, sign);
  ForEachZ(dd, x, cols, sign, st.m, [&](size_t j, size_t n, hn::Vec<decltype(dd)> z) HWY_ATTR {
    const auto g = load_dy(j, n);
    const auto p = hn::Mul(ExpNeg(dd, z), inv);
    const auto v = a == Act::log_softmax ? hn::NegMulAdd(p, acc, g) : hn::Mul(hn::Mul(vsign, p), hn::Sub(g, acc));
    store(j, n, v);
  });
}

}  // namespace smx
}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
