// backward_from_y (use_dst) against the long double reference derivative,
// on every SIMD target this machine supports. (An act-layer kernel, tested
// here because it belongs to the kernel benchmark's issue.)
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "actlab/act/catalogue.hpp"
#include "actlab/act/kernels.hpp"
#include "actlab/act/reference.hpp"

namespace actlab::act {
namespace {

float from_bits(std::uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

std::string hexf(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.9g", v);
  return b;
}

// A bit-pattern sweep over all of float32 (every step-th pattern, both signs)
// plus the values where these derivatives change form or saturate.
std::vector<float> inputs(std::uint64_t step) {
  std::vector<float> x;
  for (std::uint64_t b = 0; b < (std::uint64_t{1} << 32); b += step) x.push_back(from_bits(static_cast<std::uint32_t>(b)));
  const float inf = std::numeric_limits<float>::infinity();
  for (float v : {0.f, -0.f, inf, -inf, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::denorm_min(),
                  -std::numeric_limits<float>::denorm_min(), 1e-30f, -1e-30f, 1.f, -1.f, 3.f, -3.f, 6.f, 5.9999995f,
                  6.0000005f, 0.5f, -0.5f, 0.50000006f, 9.01f, -9.01f, 15.f, 17.f, -17.f, 88.7f, 88.8f, -87.4f, -104.f,
                  -1e6f, 1e19f, -1e19f, 3e38f, -3e38f})
    x.push_back(v);
  return x;
}

// Absolute error allowed per unit |dy| where the from-y form cancels near a
// saturation bound (see src/act/ops_dst-inl.h): the forward's <= 2 ULP on y
// near the bound (2 * 2^-24 for |y| just below 1), times |d f'/dy| <= 2,
// rounded up once more for the product. Scaled by s * alpha for the elu
// family, whose bound is y -> -s alpha. 0: the form is exact or relative.
double abs_tol(Act a, const Params& p) {
  const double base = std::ldexp(1.0, -21);
  switch (a) {
    case Act::sigmoid:
    case Act::tanh:
    case Act::softsign:
    case Act::celu: return base;
    case Act::elu: return base * std::max(1.0, static_cast<double>(p.v[0]));
    case Act::selu: return base * 1.7581;
    default: return 0;
  }
}

// Entries whose from-y form is exact (selection by the sign/range of y):
// must equal backward() from x bit for bit.
bool exact(Act a) {
  switch (a) {
    case Act::identity:
    case Act::step:
    case Act::relu:
    case Act::leaky_relu:
    case Act::prelu:
    case Act::rrelu:
    case Act::relu6:
    case Act::hardtanh:
    case Act::hardshrink:
    case Act::softshrink: return true;
    default: return false;
  }
}

// step: 32771 (131k inputs) on the best target, 131101 on the others (the
// same code compiled for another width; keeps the suite fast).
void check_entry(Act a, const Params& p, const std::string& target, std::uint64_t step = 32771) {
  const std::vector<float> x = inputs(step);
  const std::size_t n = x.size();
  std::vector<float> y(n), dy(n), dx(n), dx_x(n), g(n);
  forward(a, p, x.data(), y.data(), n);
  for (std::size_t i = 0; i < n; ++i) dy[i] = (i % 3 == 0) ? 1.f : (i % 3 == 1 ? -2.5f : 0.125f);
  for (std::size_t i = 5; i < n; i += 1001) dy[i] = std::numeric_limits<float>::quiet_NaN();
  backward_from_y(a, p, y.data(), dy.data(), dx.data(), n);
  if (exact(a)) backward(a, p, x.data(), y.data(), dy.data(), dx_x.data(), n);
  const double atol = abs_tol(a, p);
  int bad = 0;
  for (std::size_t i = 0; i < n && bad < 5; ++i) {
    const long double r = static_cast<long double>(dy[i]) * ref::derivative(a, p, x[i]);
    const std::string where = target + " " + name(a) + " x=" + std::to_string(x[i]) + " (bits " +
                              std::to_string(std::bit_cast<std::uint32_t>(x[i])) + ") y=" + std::to_string(y[i]) +
                              " dy=" + std::to_string(dy[i]) + " ref=" + hexf(static_cast<double>(r)) +
                              " got=" + hexf(dx[i]);
    if (std::isnan(x[i]) || std::isnan(dy[i])) {
      if (!std::isnan(dx[i])) ++bad, ADD_FAILURE() << "NaN must propagate: " << where;
      continue;
    }
    if (exact(a)) {
      if (std::bit_cast<std::uint32_t>(dx[i]) != std::bit_cast<std::uint32_t>(dx_x[i]) &&
          !(dx[i] == 0 && dx_x[i] == 0))
        ++bad, ADD_FAILURE() << "exact entry differs from backward(x): " << where << " from x=" << dx_x[i];
      continue;
    }
    // exponential: above x = ln(FLT_MAX) = 88.72 the forward already gave
    // y = inf, so from y dx = dy * inf even where dy e^x is finite (|dy| < 1):
    // the information is gone, as in every use_dst backward (documented).
    if (a == Act::exponential && std::isinf(y[i])) {
      if (dx[i] != dy[i] * y[i]) ++bad, ADD_FAILURE() << where;
      continue;
    }
    // Overflow is judged after rounding to float: dy * f' may exceed FLT_MAX.
    if (std::isinf(static_cast<float>(r)) || std::isinf(dx[i])) {
      if (dx[i] != static_cast<float>(r)) ++bad, ADD_FAILURE() << where;
      continue;
    }
    // 8 ULP relative: the forward's <= 2 ULP on y, doubled through y^2 in
    // squareplus, plus up to 3 roundings of the form; 2^-147: denormal y.
    const double tol = 8 * std::ldexp(1.0, -24) * std::fabs(static_cast<double>(r)) + atol * std::fabs(dy[i]) +
                       std::ldexp(1.0, -147);
    if (std::fabs(static_cast<double>(dx[i]) - static_cast<double>(r)) > tol) ++bad, ADD_FAILURE() << where;
  }
  // In place (dx overwrites dy) gives the same bits.
  g = dy;
  backward_from_y(a, p, y.data(), g.data(), g.data(), n);
  EXPECT_EQ(0, std::memcmp(g.data(), dx.data(), n * sizeof(float))) << target << " " << name(a) << " in place";
}

TEST(BackwardFromY, MatchesReferenceOnEveryTarget) {
  int tested = 0;
  const auto targets = supported_targets();
  for (const std::string& t : targets) {
    ASSERT_TRUE(force_target(t)) << t;
    for (std::size_t k = 0; k < kNumActs; ++k) {
      const Act a = static_cast<Act>(k);
      if (!has_backward_from_y(a)) continue;
      check_entry(a, defaults(a), t, t == targets.front() ? 32771 : 131101);
      ++tested;
    }
  }
  force_target("");
  EXPECT_GT(tested, 0);
}

TEST(BackwardFromY, NonDefaultParameters) {
  Params p;
  p.v[0] = 0.3f;  // leaky_relu slope
  check_entry(Act::leaky_relu, p, "best");
  p.v[0] = 2.5f;  // elu / celu alpha
  check_entry(Act::elu, p, "best");
  check_entry(Act::celu, p, "best");
  p.v[0] = -2.f;
  p.v[1] = 0.5f;  // hardtanh
  check_entry(Act::hardtanh, p, "best");
  p.v[0] = 0.25f;  // squareplus b
  check_entry(Act::squareplus, p, "best");
}

// The list the issue names (and oneDNN's use_dst algorithms) must stay
// covered; entries whose derivative needs x must not claim a from-y form.
TEST(BackwardFromY, Coverage) {
  for (Act a : {Act::relu, Act::leaky_relu, Act::prelu, Act::relu6, Act::hardtanh, Act::sigmoid, Act::tanh, Act::elu,
                Act::celu, Act::selu, Act::exponential})
    EXPECT_TRUE(has_backward_from_y(a)) << name(a);
  for (Act a : {Act::gelu, Act::gelu_tanh, Act::silu, Act::mish, Act::hardswish, Act::snake, Act::tanhshrink,
                Act::threshold, Act::hardsigmoid, Act::softmax})
    EXPECT_FALSE(has_backward_from_y(a)) << name(a);
}

TEST(BackwardFromY, ParameterConditions) {
  Params neg = defaults(Act::leaky_relu);
  neg.v[0] = -0.5f;  // a negative slope maps x < 0 to y > 0: the sign of y no longer tells the branch
  EXPECT_FALSE(has_backward_from_y(Act::leaky_relu, neg));
  EXPECT_TRUE(has_backward_from_y(Act::leaky_relu, defaults(Act::leaky_relu)));
  Params b0 = defaults(Act::squareplus);
  b0.v[0] = 0.f;  // b = 0 is relu: y = 0 carries no slope information
  EXPECT_FALSE(has_backward_from_y(Act::squareplus, b0));
  // Called anyway: NaN, not a plausible wrong gradient.
  const float y[3] = {1.f, -1.f, 0.f}, dy[3] = {1.f, 1.f, 1.f};
  float dx[3] = {0, 0, 0};
  backward_from_y(Act::leaky_relu, neg, y, dy, dx, 3);
  for (float v : dx) EXPECT_TRUE(std::isnan(v));
}

// Lengths around the vector width and the threading threshold: tails and
// chunk boundaries.
TEST(BackwardFromY, AnyLengthAndThreaded) {
  const int saved = num_threads();
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{17}, std::size_t{33},
                        2 * kMinPerThread + 5}) {
    std::vector<float> x(n), y(n), dy(n, 1.f), dx(n), dx_x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(i % 97) * 0.25f - 12.f;
    for (int t : {1, 2}) {
      set_num_threads(t);
      forward(Act::relu, {}, x.data(), y.data(), n);
      backward_from_y(Act::relu, {}, y.data(), dy.data(), dx.data(), n);
      backward(Act::relu, {}, x.data(), y.data(), dy.data(), dx_x.data(), n);
      EXPECT_EQ(dx, dx_x) << "n=" << n << " threads=" << t;
    }
  }
  set_num_threads(saved);
}

}  // namespace
}  // namespace actlab::act

namespace actlab::act {
namespace {

// Large out-of-place calls take the streaming-store path (kernels.cpp,
// n >= 2^22): same bits as the ordinary path (computed below the threshold,
// piecewise), for misaligned pointers and odd lengths, threaded or not.
TEST(StreamingStores, SameResultsAsTheOrdinaryPath) {
  const std::size_t n = (std::size_t{1} << 22) + 13;
  std::vector<float> xb(n + 1), yb(n + 1), dyb(n + 1), out(n + 1), ref(n);
  float* x = xb.data() + 1;  // misaligned on purpose
  float* y = yb.data() + 1;
  float* dy = dyb.data() + 1;
  float* o = out.data() + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(static_cast<int>(i % 2001) - 1000) * 0.01f;
    dy[i] = static_cast<float>(i % 7) - 3.f;
  }
  const std::size_t piece = std::size_t{1} << 20;  // below the streaming threshold
  auto piecewise = [&](auto&& f) {
    for (std::size_t b = 0; b < n; b += piece) f(b, std::min(piece, n - b));
  };
  const int saved = num_threads();
  for (Act a : {Act::relu, Act::leaky_relu}) {
    const Params p = defaults(a);
    for (int t : {1, 2}) {
      set_num_threads(t);
      forward(a, p, x, o, n);
      piecewise([&](std::size_t b, std::size_t len) { forward(a, p, x + b, ref.data() + b, len); });
      EXPECT_EQ(0, std::memcmp(o, ref.data(), n * sizeof(float))) << name(a) << " forward t=" << t;
      std::memcpy(y, ref.data(), n * sizeof(float));
      backward(a, p, x, y, dy, o, n);
      piecewise([&](std::size_t b, std::size_t len) { backward(a, p, x + b, y + b, dy + b, ref.data() + b, len); });
      EXPECT_EQ(0, std::memcmp(o, ref.data(), n * sizeof(float))) << name(a) << " backward t=" << t;
      backward_from_y(a, p, y, dy, o, n);
      piecewise([&](std::size_t b, std::size_t len) { backward_from_y(a, p, y + b, dy + b, ref.data() + b, len); });
      EXPECT_EQ(0, std::memcmp(o, ref.data(), n * sizeof(float))) << name(a) << " backward_from_y t=" << t;
    }
  }
  set_num_threads(saved);
}

}  // namespace
}  // namespace actlab::act
