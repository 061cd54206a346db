// Softmax family on special rows (NaN, infinities, ties, one dominant
// element, extreme magnitudes, length 1) on every target, forward and
// backward, against the long double row reference.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>

#include "act/kernel_test_util.hpp"

namespace actlab::test {
namespace {

using act::Act;

class KernelRows : public testing::TestWithParam<Act> {};

TEST_P(KernelRows, SpecialRowsMatchReference) {
  const Act a = GetParam();
  const auto p = act::defaults(a);
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<std::vector<float>> rows = {
      {2.5f},           {5.f, 5.f, 5.f},       {-inf, 0.f, 1.f},        {-inf, -inf},
      {nan, 1.f, 2.f},  {inf, 1.f},            {1e30f, -1e30f, 0.f},    {-FLT_MAX, FLT_MAX},
      {80.f, 0.f, -3.f, 1.f, 0.5f, 2.f, -7.f, 4.f, 3.f, 1.f, 0.f},  // one dominant element
      {3.f, 3.f, -40.f, 2.f, 3.f},                                  // tied maxima
      {FLT_TRUE_MIN, -FLT_TRUE_MIN, 0.f, -0.f}};
  for (const auto& t : act::supported_targets()) {
    TargetGuard g(t);
    for (const auto& x : rows) {
      const std::size_t n = x.size();
      std::vector<long double> ry(n), rdx(n);
      act::ref::forward_row(a, x.data(), ry.data(), n);
      const std::vector<float> y = fwd(a, p, x);
      std::vector<float> dy(n);
      for (std::size_t j = 0; j < n; ++j) dy[j] = 0.5f - static_cast<float>(j % 3);
      std::vector<float> dx(n);
      act::backward(a, p, x.data(), y.data(), dy.data(), dx.data(), n);
      act::ref::backward_row(a, x.data(), dy.data(), rdx.data(), n);
      for (std::size_t j = 0; j < n; ++j) {
        EXPECT_LE(act::ulp_error(y[j], ry[j]), 1.0)
            << t << " " << act::name(a) << " row[0]=" << x[0] << " j=" << j << " y=" << y[j] << " ref "
            << static_cast<double>(ry[j]);
        // Backward on these rows has no cancellation beyond the metric of
        // ulp.hpp except at exact ties, so an absolute bound relative to
        // |dy| (<= 1.5) is used here; the scaled metric is in the sweep.
        if (std::isnan(static_cast<double>(rdx[j])))
          EXPECT_TRUE(std::isnan(dx[j])) << t << " " << act::name(a) << " j=" << j;
        else
          EXPECT_NEAR(dx[j], static_cast<double>(rdx[j]), 1e-6) << t << " " << act::name(a) << " j=" << j;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Rowwise, KernelRows, testing::Values(Act::softmax, Act::log_softmax, Act::softmin),
                         act_test_name);

}  // namespace
}  // namespace actlab::test
