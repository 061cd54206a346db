// Reference math, written once as templates on the float type: the long
// double instantiation is the reference (see reference.hpp), the double one
// only screens inputs in the ULP sweep (src/act/ulp.cpp).
//
// Conventions (PyTorch's, so that golden values agree):
//   - NaN in -> NaN out, for f and f', in every entry (checked first).
//   - Breakpoints: relu'(0) = 0, hardtanh'(min) = hardtanh'(max) = 0,
//     elu'(0) = alpha, hardswish'(3) = 1.5 (PyTorch's "x <= 3" branch).
//   - softplus switches to the identity where beta * x > threshold.
//   - +-inf give the limit of f where the formula would form inf * 0 or
//     inf / inf (gelu, gelu_tanh, silu, swish, mish at -inf -> 0; softsign
//     -> +-1; hardswish is 0 for every x <= -3). PyTorch returns NaN there.
#include "actlab/act/reference.hpp"

#include <cassert>
#include <cmath>
#include <limits>
#include <vector>

namespace actlab::act::ref {
namespace {

using ld = long double;

// Constants are written once in long double and converted per instantiation,
// so that the double instantiation rounds each constant once (no long double
// arithmetic leaks into it).
constexpr ld kSeluAlpha = 1.6732632423543772848170429916717L;
constexpr ld kSeluScale = 1.0507009873554804934193349852946L;
constexpr ld kSqrt1_2 = 0.70710678118654752440084436210484903928L;
constexpr ld kInvSqrt2Pi = 0.39894228040143267793994605993438186848L;  // 1/sqrt(2 pi)
constexpr ld kSqrt2OverPi = 0.79788456080286535587989211986876373695L;
constexpr ld kGeluTanhC = 0.044715L;

template <class T>
constexpr T c(ld v) {
  return static_cast<T>(v);
}

template <class T>
T sigmoid(T x) {
  if (x >= 0) return T(1) / (T(1) + std::exp(-x));
  T e = std::exp(x);
  return e / (T(1) + e);
}

// log(1 + exp(x)) without overflow or cancellation.
template <class T>
T softplus1(T x) {
  return std::fmax(x, T(0)) + std::log1p(std::exp(-std::fabs(x)));
}

// x - tanh(x); the series avoids cancellation near 0 (|x| < 1/16 keeps the
// truncated x^17 term below 1e-20 relative).
template <class T>
T tanhshrink(T x) {
  if (std::fabs(x) < T(0.0625)) {
    T x2 = x * x;
    T s = T(929569) / T(638512875);
    s = s * x2 - T(21844) / T(6081075);
    s = s * x2 + T(1382) / T(155925);
    s = s * x2 - T(62) / T(2835);
    s = s * x2 + T(17) / T(315);
    s = s * x2 - T(2) / T(15);
    s = s * x2 + T(1) / T(3);
    return s * x2 * x;
  }
  return x - std::tanh(x);
}

// Standard normal CDF, via erfc in the lower tail (no cancellation).
template <class T>
T phi_cdf(T x) {
  return x < 0 ? T(0.5) * std::erfc(-x * c<T>(kSqrt1_2))
               : T(0.5) * (T(1) + std::erf(x * c<T>(kSqrt1_2)));
}
template <class T>
T phi_pdf(T x) {
  return c<T>(kInvSqrt2Pi) * std::exp(T(-0.5) * x * x);
}

template <class T>
T gelu_tanh_u(T x) {
  return c<T>(kSqrt2OverPi) * (x + c<T>(kGeluTanhC) * x * x * x);
}

// 1 / cosh(v)^2, 0 where cosh overflows.
template <class T>
T sech2(T v) {
  T ch = std::cosh(v);
  return T(1) / (ch * ch);
}

// x * g(x) with g -> 0 as x -> -inf and g -> 1 as x -> +inf (GELU, SiLU,
// mish): the limits 0 and x at -inf / +inf, where the product is inf * 0.
template <class T>
T lim_x_or_zero(T x, T v) {
  if (std::isinf(x)) return x > 0 ? x : T(0);
  return v;
}

template <class T>
T rrelu_slope(const Params& p) {
  return (static_cast<T>(p.v[0]) + static_cast<T>(p.v[1])) / 2;
}

template <class T>
T forward_t(Act a, const Params& p, T x) {
  if (std::isnan(x)) return x;
  const T p0 = p.v[0], p1 = p.v[1];
  switch (a) {
    case Act::identity: return x;
    case Act::step: return x > p0 ? T(1) : T(0);
    case Act::sigmoid: return sigmoid(x);
    case Act::hardsigmoid: return std::fmin(std::fmax(x + 3, T(0)), T(6)) / 6;
    case Act::logsigmoid: return std::fmin(x, T(0)) - std::log1p(std::exp(-std::fabs(x)));
    case Act::tanh: return std::tanh(x);
    case Act::hardtanh: return x < p0 ? p0 : (x > p1 ? p1 : x);
    case Act::softsign:
      if (std::isinf(x)) return x > 0 ? T(1) : T(-1);  // the limit, not inf / inf
      return x / (1 + std::fabs(x));
    case Act::tanhshrink: return tanhshrink(x);
    case Act::relu: return x > 0 ? x : T(0);
    case Act::relu6: return x > 0 ? (x < 6 ? x : T(6)) : T(0);
    case Act::leaky_relu:
    case Act::prelu: return x > 0 ? x : x * p0;
    case Act::rrelu: return x > 0 ? x : x * rrelu_slope<T>(p);
    case Act::elu: return x > 0 ? x : p0 * std::expm1(x);
    case Act::celu: return x > 0 ? x : p0 * std::expm1(x / p0);
    case Act::selu: return c<T>(kSeluScale) * (x > 0 ? x : c<T>(kSeluAlpha) * std::expm1(x));
    case Act::gelu: return lim_x_or_zero(x, x * phi_cdf(x));
    case Act::gelu_tanh:
      // x/2 (1 + tanh u) = x sigmoid(2u): no cancellation for x << 0.
      return lim_x_or_zero(x, x * sigmoid(2 * gelu_tanh_u(x)));
    case Act::silu: return lim_x_or_zero(x, x * sigmoid(x));
    case Act::swish: {
      if (std::isinf(x)) {  // x sigmoid(beta x) -> x, 0 or x / 2 (beta = 0)
        if (p0 == 0) return x / 2;
        return p0 * x > 0 ? x : T(0);
      }
      return x * sigmoid(p0 * x);
    }
    case Act::mish: return lim_x_or_zero(x, x * std::tanh(softplus1(x)));
    case Act::softplus: {
      const T bx = p0 * x;
      return bx > p1 ? x : softplus1(bx) / p0;
    }
    case Act::hardswish:
      if (x <= -3) return T(0);  // exactly 0 there (also at -inf, where x * 0 would be NaN)
      return x * std::fmin(std::fmax(x + 3, T(0)), T(6)) / 6;
    case Act::hardshrink: return (x >= -p0 && x <= p0) ? T(0) : x;
    case Act::softshrink: return x > p0 ? x - p0 : (x < -p0 ? x + p0 : T(0));
    case Act::threshold: return x > p0 ? x : p1;
    case Act::squareplus: {
      // For x < 0 use b / (2 (s - x)), which equals (x + s) / 2 without cancellation.
      const T s = std::sqrt(x * x + p0);
      return x >= 0 ? (x + s) / 2 : p0 / (2 * (s - x));
    }
    case Act::snake: {
      if (std::isinf(x)) return x;
      const T s = std::sin(p0 * x);
      return x + s * s / p0;
    }
    case Act::exponential: return std::exp(x);
    case Act::softmax:
    case Act::log_softmax:
    case Act::softmin: break;
  }
  assert(false && "ref::forward: rowwise activation");
  return std::numeric_limits<T>::quiet_NaN();
}

template <class T>
T derivative_t(Act a, const Params& p, T x) {
  if (std::isnan(x)) return x;
  const T p0 = p.v[0], p1 = p.v[1];
  switch (a) {
    case Act::identity: return 1;
    case Act::step: return 0;
    case Act::sigmoid: {
      // s (1 - s) = s(x) s(-x): both factors computed without cancellation.
      return sigmoid(x) * sigmoid(-x);
    }
    case Act::hardsigmoid: return (x > -3 && x < 3) ? T(1) / 6 : T(0);
    case Act::logsigmoid: return sigmoid(-x);
    case Act::tanh: return sech2(x);
    case Act::hardtanh: return (x <= p0 || x >= p1) ? T(0) : T(1);
    case Act::softsign: {
      const T d = 1 + std::fabs(x);
      return 1 / (d * d);
    }
    case Act::tanhshrink: {
      const T t = std::tanh(x);
      return t * t;
    }
    case Act::relu: return x > 0 ? T(1) : T(0);
    case Act::relu6: return (x > 0 && x < 6) ? T(1) : T(0);
    case Act::leaky_relu:
    case Act::prelu: return x > 0 ? T(1) : p0;
    case Act::rrelu: return x > 0 ? T(1) : rrelu_slope<T>(p);
    case Act::elu: return x > 0 ? T(1) : p0 * std::exp(x);
    case Act::celu: return x > 0 ? T(1) : std::exp(x / p0);
    case Act::selu:
      return x > 0 ? c<T>(kSeluScale) : c<T>(kSeluScale) * c<T>(kSeluAlpha) * std::exp(x);
    case Act::gelu:
      if (std::isinf(x)) return x > 0 ? T(1) : T(0);
      return phi_cdf(x) + x * phi_pdf(x);
    case Act::gelu_tanh: {
      if (std::isinf(x)) return x > 0 ? T(1) : T(0);
      // (1 + t)/2 = s(2u), (1 - t^2)/2 = 2 s(2u) s(-2u).
      const T u = gelu_tanh_u(x);
      const T sp = sigmoid(2 * u), sm = sigmoid(-2 * u);
      const T du = c<T>(kSqrt2OverPi) * (1 + 3 * c<T>(kGeluTanhC) * x * x);
      const T r = sp + 2 * x * sp * sm * du;
      return std::isnan(r) ? (x > 0 ? T(1) : T(0)) : r;  // x*0*inf far out: the limit
    }
    case Act::silu: {
      if (std::isinf(x)) return x > 0 ? T(1) : T(0);
      const T s = sigmoid(x);
      return s * (1 + x * sigmoid(-x));
    }
    case Act::swish: {
      const T bx = p0 * x;
      // beta x -> +inf: s -> 1 and beta x (1 - s) -> 0, so f' -> 1 (for either
      // sign of beta); beta x -> -inf: f' -> 0.
      if (std::isinf(bx)) return bx > 0 ? T(1) : T(0);
      if (p0 == 0) return T(0.5);
      const T s = sigmoid(bx);
      return s * (1 + bx * sigmoid(-bx));
    }
    case Act::mish: {
      if (std::isinf(x)) return x > 0 ? T(1) : T(0);
      const T sp = softplus1(x);
      return std::tanh(sp) + x * sigmoid(x) * sech2(sp);
    }
    case Act::softplus: {
      const T bx = p0 * x;
      return bx > p1 ? T(1) : sigmoid(bx);
    }
    case Act::hardswish: return x < -3 ? T(0) : (x <= 3 ? x / 3 + T(0.5) : T(1));
    case Act::hardshrink:
    case Act::softshrink: return (x >= -p0 && x <= p0) ? T(0) : T(1);
    case Act::threshold: return x > p0 ? T(1) : T(0);
    case Act::squareplus: {
      if (std::isinf(x)) return x > 0 ? T(1) : T(0);
      const T s = std::sqrt(x * x + p0);
      if (s == 0) return T(0.5);  // b = 0 and x = 0: the kink of relu; take the mean slope
      return x >= 0 ? (1 + x / s) / 2 : p0 / (2 * s * (s - x));
    }
    case Act::snake:
      if (std::isinf(x)) return std::numeric_limits<T>::quiet_NaN();  // sin(inf) is undefined
      {
        // 1 + sin 2t = (sin t + cos t)^2: no cancellation next to the zeros
        // of f' (1 + sin 2t would lose everything below 1e-19 there).
        const T t = p0 * x;
        const T sc = std::sin(t) + std::cos(t);
        return sc * sc;
      }
    case Act::exponential: return std::exp(x);
    case Act::softmax:
    case Act::log_softmax:
    case Act::softmin: break;
  }
  assert(false && "ref::derivative: rowwise activation");
  return std::numeric_limits<T>::quiet_NaN();
}

}  // namespace

long double forward(Act a, const Params& p, long double x) { return forward_t<ld>(a, p, x); }
long double derivative(Act a, const Params& p, long double x) { return derivative_t<ld>(a, p, x); }
double forward_d(Act a, const Params& p, double x) { return forward_t<double>(a, p, x); }
double derivative_d(Act a, const Params& p, double x) { return derivative_t<double>(a, p, x); }

void forward_row(Act a, const float* x, long double* y, std::size_t cols) {
  assert(is_rowwise(a));
  const ld sign = a == Act::softmin ? -1.0L : 1.0L;
  ld m = -std::numeric_limits<ld>::infinity();
  bool nan = false;
  for (std::size_t j = 0; j < cols; ++j) {
    nan |= std::isnan(x[j]);
    m = std::fmax(m, sign * x[j]);
  }
  // s = 1 + rest, where the 1 is one maximal element (exp(0)) taken out
  // exactly: log_softmax uses log1p(rest), which stays accurate when one
  // element dominates (log(s) of s = 1 + 1e-25 would be 0).
  ld s = 0, rest = 0;
  bool one_taken = false;
  for (std::size_t j = 0; j < cols; ++j) {
    const ld z = sign * x[j] - m;
    if (z == 0 && !one_taken) {
      one_taken = true;
      s += 1;
      continue;
    }
    const ld e = std::exp(z);
    s += e;
    rest += e;
  }
  const ld ls = one_taken ? std::log1p(rest) : std::log(s);
  for (std::size_t j = 0; j < cols; ++j) {
    const ld z = sign * x[j] - m;
    y[j] = nan ? std::numeric_limits<ld>::quiet_NaN()
               : (a == Act::log_softmax ? z - ls : std::exp(z) / s);
  }
}

void backward_row(Act a, const float* x, const float* dy, long double* dx, std::size_t cols) {
  std::vector<ld> y(cols);
  forward_row(a, x, y.data(), cols);
  if (a == Act::log_softmax) {
    ld sum_dy = 0;
    for (std::size_t j = 0; j < cols; ++j) sum_dy += dy[j];
    for (std::size_t j = 0; j < cols; ++j) dx[j] = dy[j] - std::exp(y[j]) * sum_dy;
    return;
  }
  ld dot = 0;
  for (std::size_t j = 0; j < cols; ++j) dot += dy[j] * y[j];
  const ld sign = a == Act::softmin ? -1.0L : 1.0L;
  for (std::size_t j = 0; j < cols; ++j) dx[j] = sign * y[j] * (dy[j] - dot);
}

}  // namespace actlab::act::ref
