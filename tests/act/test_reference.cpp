// The long double reference against itself: f'(x) vs central finite
// differences of f, away from each function's breakpoints; J^T dy of the
// softmax family vs finite differences of the row function.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "act/kernel_test_util.hpp"

namespace actlab::test {
namespace {

using act::Act;
using ld = long double;

// Points where f is not differentiable (or f' jumps), for default params.
std::vector<ld> breakpoints(Act a, const act::Params& p) {
  switch (a) {
    case Act::step: case Act::relu: case Act::leaky_relu: case Act::prelu: case Act::rrelu:
    case Act::elu: case Act::celu: case Act::selu: case Act::squareplus:
      return {0};
    case Act::threshold: return {p.v[0]};
    case Act::hardsigmoid: case Act::hardswish: return {-3, 3};
    case Act::hardtanh: return {p.v[0], p.v[1]};
    case Act::relu6: return {0, 6};
    case Act::hardshrink: case Act::softshrink: return {-p.v[0], p.v[0]};
    case Act::softplus: return {p.v[1] / p.v[0]};
    default: return {};
  }
}

class ReferenceDerivative : public testing::TestWithParam<Act> {};

TEST_P(ReferenceDerivative, MatchesCentralDifferences) {
  const Act a = GetParam();
  const auto p = act::defaults(a);
  const auto bps = breakpoints(a, p);
  int checked = 0;
  for (ld x = -7.9L; x < 8; x += 0.173L) {
    bool near = false;
    for (ld b : bps) near |= std::fabs(x - b) < 1e-3L;
    if (near) continue;
    // h balances truncation (h^2 f''') and rounding (1e-19 / h) in long double.
    const ld h = 1e-6L;
    const ld fd = (act::ref::forward(a, p, x + h) - act::ref::forward(a, p, x - h)) / (2 * h);
    const ld d = act::ref::derivative(a, p, x);
    EXPECT_NEAR(static_cast<double>(fd), static_cast<double>(d), 1e-7 * (1 + std::fabs(static_cast<double>(d))))
        << act::name(a) << " at x = " << static_cast<double>(x);
    ++checked;
  }
  EXPECT_GT(checked, 80);
}

INSTANTIATE_TEST_SUITE_P(Pointwise, ReferenceDerivative, testing::ValuesIn(pointwise_acts()), act_test_name);

class ReferenceRowDerivative : public testing::TestWithParam<Act> {};

TEST_P(ReferenceRowDerivative, JacobianTransposeMatchesFiniteDifferences) {
  const Act a = GetParam();
  std::mt19937 rng(3);
  std::normal_distribution<float> nd(0.f, 2.f);
  const std::size_t n = 7;
  std::vector<float> x(n), dy(n);
  for (auto& v : x) v = nd(rng);
  for (auto& v : dy) v = nd(rng);
  std::vector<ld> dx(n), y1(n), y2(n);
  act::ref::backward_row(a, x.data(), dy.data(), dx.data(), n);
  for (std::size_t j = 0; j < n; ++j) {
    // A power-of-two step keeps x +- h exact in float: the difference
    // quotient's error is h^2 f''' ~ 1e-7 here.
    const float h = 1.f / 2048;
    std::vector<float> xp(x), xm(x);
    xp[j] += h;
    xm[j] -= h;
    act::ref::forward_row(a, xp.data(), y1.data(), n);
    act::ref::forward_row(a, xm.data(), y2.data(), n);
    ld fd = 0;
    for (std::size_t i = 0; i < n; ++i) fd += dy[i] * (y1[i] - y2[i]) / (2 * h);
    EXPECT_NEAR(static_cast<double>(fd), static_cast<double>(dx[j]), 1e-5) << act::name(a) << " j=" << j;
  }
}

INSTANTIATE_TEST_SUITE_P(Rowwise, ReferenceRowDerivative,
                         testing::Values(Act::softmax, Act::log_softmax, Act::softmin), act_test_name);

}  // namespace
}  // namespace actlab::test
