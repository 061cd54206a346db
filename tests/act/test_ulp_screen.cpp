// The double screen of the pointwise ULP sweep (ulp.hpp, SweepOptions::screen):
// it must report exactly what the long double sweep reports, the double
// formulas must be as close as the screen assumes (the evidence behind
// kScreenEps), and a wrong screen must be caught.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <random>

#include "act/kernel_test_util.hpp"

namespace actlab::test {
namespace {

using act::Act;

// What the double formulas must meet where the screen relies on them: 10x
// below the screen's bound.
constexpr double kFormulaBound = act::kScreenEps / 10;

act::UlpStats sweep(Act a, bool backward, bool screen, double skew = 0) {
  act::SweepOptions o;
  o.step = 65537;
  o.backward = backward;
  o.threads = 2;
  o.screen = screen;
  o.screen_skew = skew;
  return act::ulp_sweep(a, act::defaults(a), o);
}

void expect_same_report(const act::UlpStats& s, const act::UlpStats& e, const std::string& what) {
  EXPECT_EQ(s.count, e.count) << what;
  EXPECT_EQ(s.max_ulp, e.max_ulp) << what;
  EXPECT_EQ(bits(s.worst_x), bits(e.worst_x)) << what;
  EXPECT_EQ(bits(s.worst_y), bits(e.worst_y)) << what;
  EXPECT_EQ(s.worst_ref, e.worst_ref) << what;
  EXPECT_EQ(s.above1, e.above1) << what;
  EXPECT_EQ(s.above2, e.above2) << what;
  EXPECT_EQ(s.nonfinite_mismatch, e.nonfinite_mismatch) << what;
}

class UlpScreen : public testing::TestWithParam<Act> {};

// ~65K inputs per direction: the screened sweep reports exactly the exact one.
TEST_P(UlpScreen, ScreenedSweepReportsWhatTheExactSweepReports) {
  const Act a = GetParam();
  for (bool backward : {false, true}) {
    const std::string what = std::string(act::name(a)) + (backward ? " backward" : " forward");
    const auto s = sweep(a, backward, true);
    const auto e = sweep(a, backward, false);
    expect_same_report(s, e, what);
    EXPECT_FALSE(e.screened);
    EXPECT_EQ(e.exact_evals, e.count);
    if (act::screen_rule(a, act::defaults(a), backward).exact) continue;
    EXPECT_TRUE(s.screened) << what;
    EXPECT_FALSE(s.screen_fallback) << what << ": deviation " << s.screen_dev << " at " << s.screen_dev_x;
    EXPECT_LT(s.exact_evals, s.count) << what;
  }
}

// Special values, breakpoints and thresholds of every entry, with neighbours.
std::vector<float> edge_table(const act::Params& p) {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> base = {0.f, 1e-45f, FLT_MIN, 2 * FLT_MIN, f_of(0x007fffff), 1e-30f, 1e-10f, 1e-7f,
                             0.0625f, 0.25f, 0.5f, 0.75179f, 0.7523f, 1.f, 1.19243f, 1.27846f, 1.5f,
                             2.f, 2.35619449f, 3.f, 3.92699082f, 6.f, 8.f, 9.f, 14.5f, 15.f, 20.f,
                             40.f, 87.3f, 88.7228f, 89.f, 103.97f, 104.f, 709.f, 710.f, 1e10f, 1e20f,
                             1e30f, 1e38f, FLT_MAX / 2, FLT_MAX};
  for (float v : p.v) base.push_back(v);
  std::vector<float> x = {inf, -inf, std::numeric_limits<float>::quiet_NaN()};
  for (float b : base)
    for (float s : {b, -b})
      for (float v : {s, std::nextafter(s, inf), std::nextafter(s, -inf)}) x.push_back(v);
  return x;
}

// |r_double - r_long_double| in float ULPs at r where the screen relies on the
// double value (outside the edge regions and the entry's cancellation zone);
// the worst input goes to `worst`.
double formula_deviation(Act a, const act::Params& p, bool backward, const std::vector<float>& xs, float& worst) {
  const act::ScreenRule rule = act::screen_rule(a, p, backward);
  double m = 0;
  for (float x : xs) {
    const double rd = backward ? act::ref::derivative_d(a, p, x) : act::ref::forward_d(a, p, x);
    const long double rl = backward ? act::ref::derivative(a, p, x) : act::ref::forward(a, p, x);
    if (std::isnan(rd) || std::isnan(rl)) {
      // The double formula must not miss a NaN: the screen judges it exactly only where r_d is NaN.
      EXPECT_TRUE(std::isnan(rd)) << act::name(a) << " x=" << x << " ref " << static_cast<double>(rl);
      continue;
    }
    if (!std::isfinite(rd) || std::fabs(rd) > FLT_MAX / 2) continue;  // judged exactly
    if (std::fabs(rd) < rule.zone_below && std::fabs(x * rule.zone_scale) < rule.zone_x) continue;
    const double d = static_cast<double>(std::fabs(rd - rl) / act::ulp_of(rl));
    if (!(d <= m)) {
      m = d;
      worst = x;
    }
  }
  return m;
}

// The evidence behind kScreenEps: on a sample, random patterns and the edge
// table, the double formulas stay 10x inside the screen's bound.
TEST_P(UlpScreen, DoubleFormulaIsCloseToTheReference) {
  const Act a = GetParam();
  const auto p = act::defaults(a);
  std::vector<float> xs = edge_table(p);
  for (std::uint64_t u = 0; u < (std::uint64_t{1} << 32); u += 65521) xs.push_back(f_of(static_cast<std::uint32_t>(u)));
  std::mt19937 rng(7u + static_cast<unsigned>(a));
  for (int i = 0; i < 20000; ++i) xs.push_back(f_of(static_cast<std::uint32_t>(rng())));
  std::uniform_real_distribution<float> mid(-10.f, 10.f);
  for (int i = 0; i < 20000; ++i) xs.push_back(mid(rng));
  for (bool backward : {false, true}) {
    if (act::screen_rule(a, p, backward).exact) continue;
    float worst = 0;
    const double d = formula_deviation(a, p, backward, xs, worst);
    EXPECT_LE(d, kFormulaBound) << act::name(a) << (backward ? " backward" : " forward") << " at x=" << worst;
  }
}

INSTANTIATE_TEST_SUITE_P(Pointwise, UlpScreen, testing::ValuesIn(pointwise_acts()), act_test_name);

// n floats either side of x0.
std::vector<float> around(float x0, int n) {
  std::vector<float> v;
  std::uint32_t b = bits(x0);
  for (int i = -n; i <= n; ++i) v.push_back(f_of(b + static_cast<std::uint32_t>(i)));
  return v;
}

// The cancellation zones of act::screen_rule are needed (the double formula
// is off by more than the bound next to the zero of f') and sufficient (just
// outside, where |f'| >= 2^-8, it is within the bound).
TEST(UlpScreenZones, ZonesCoverTheCancellationAtTheZerosOfTheDerivative) {
  struct Zero {
    Act a;
    float x0;  // a zero of f' (default parameters)
  };
  for (const Zero z : {Zero{Act::gelu, -0.7517915f}, Zero{Act::gelu_tanh, -0.7524614f}, Zero{Act::silu, -1.278464f},
                       Zero{Act::swish, -1.278464f}, Zero{Act::mish, -1.1924312f},
                       Zero{Act::hardswish, -1.5f}, Zero{Act::snake, 2.3561945f}}) {
    const auto p = act::defaults(z.a);
    const act::ScreenRule rule = act::screen_rule(z.a, p, true);
    ASSERT_GT(rule.zone_below, 0) << act::name(z.a);
    // Without the zone: deviations above the bound right next to the zero.
    act::ScreenRule none;
    double worst_without = 0;
    for (float x : around(z.x0, 200)) {
      const double rd = act::ref::derivative_d(z.a, p, x);
      const long double rl = act::ref::derivative(z.a, p, x);
      if (std::fabs(rd) >= none.zone_below)
        worst_without = std::max(worst_without, static_cast<double>(std::fabs(rd - rl) / act::ulp_of(rl)));
    }
    EXPECT_GT(worst_without, kFormulaBound) << act::name(z.a) << ": the zone is not needed";
    // With it: within the bound on a wide window around the zero.
    float worst = 0;
    EXPECT_LE(formula_deviation(z.a, p, true, around(z.x0, 200000), worst), kFormulaBound)
        << act::name(z.a) << " at x=" << worst;
  }
}

// A screen that is wrong by more than kScreenEps (here: the double values
// scaled by 1 + 1e-9, ~0.01 ULP) is caught by the audit and the sweep is
// redone exactly: the report is still the exact one, with the flag set.
TEST(UlpScreenFallback, AWrongScreenIsCaughtAndTheSweepRedoneExactly) {
  for (Act a : {Act::sigmoid, Act::gelu}) {
    const auto e = sweep(a, false, false);
    const auto bad = sweep(a, false, true, 1e-9);
    EXPECT_TRUE(bad.screen_fallback) << act::name(a);
    EXPECT_FALSE(bad.screened);
    EXPECT_GT(bad.screen_dev, act::kScreenEps);
    EXPECT_EQ(bad.exact_evals, bad.count);
    expect_same_report(bad, e, act::name(a));
    // Within the bound (1e-13 relative, ~1e-6 ULP): screened, no fallback.
    const auto ok = sweep(a, false, true, 1e-13);
    EXPECT_TRUE(ok.screened);
    EXPECT_FALSE(ok.screen_fallback);
    EXPECT_GT(ok.screen_dev, 0);
    expect_same_report(ok, e, act::name(a));
  }
}

}  // namespace
}  // namespace actlab::test
