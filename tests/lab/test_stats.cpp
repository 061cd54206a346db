// The statistics of `actlab study` against SciPy (tests/lab/fixtures/stats.json,
// written by tools/stats_fixtures.py), and the contract of every function in
// include/actlab/lab/stats.hpp: edge cases (n = 0, 1, zero variance,
// non-finite samples), bootstrap determinism, verdicts, seeds_to_decide,
// and the ranking's letters.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "actlab/lab/stats.hpp"

using namespace actlab::lab::stats;
using nlohmann::json;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Tolerance of every t-based value: quantiles, means, sds, interval
// endpoints and p-values agree with the reference to 1e-9 relative (both
// sides are accurate to ~1e-14: the script polishes SciPy 1.10's t.ppf,
// itself good to only ~4e-9, see tools/stats_fixtures.py; the margin covers
// summation order).
constexpr double kRel = 1e-9;

const json& fixture() {
  static const json j = [] {
    std::ifstream f(std::string(ACTLAB_SOURCE_DIR) + "/tests/lab/fixtures/stats.json");
    EXPECT_TRUE(f.good()) << "missing fixture: run /usr/bin/python3 tools/stats_fixtures.py";
    return f.good() ? json::parse(f) : json::object();
  }();
  return j;
}

// Fixture numbers: NaN and infinities are written as strings.
double num(const json& j) {
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s == "nan") return kNaN;
    if (s == "inf") return kInf;
    if (s == "-inf") return -kInf;
    ADD_FAILURE() << "bad number in fixture: " << s;
    return kNaN;
  }
  return j.get<double>();
}

std::vector<double> vec(const json& j) {
  std::vector<double> v;
  for (const auto& x : j) v.push_back(num(x));
  return v;
}

std::vector<double> sample(const std::string& name) { return vec(fixture()["samples"][name]); }

void expect_rel(double got, double want, double rel, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": got " << got << ", want nan";
    return;
  }
  if (std::isinf(want)) {
    EXPECT_EQ(got, want) << what;
    return;
  }
  EXPECT_LE(std::fabs(got - want), rel * std::fabs(want) + 1e-300)
      << what << ": got " << got << ", want " << want;
}

// Interval endpoints are mean -+ h: when they are near 0 the relative error
// of the endpoint itself is unbounded (cancellation), so the error is
// measured relative to the terms |mean| + h it is computed from.
void expect_endpoint(double got, double want, double mean, double h, const std::string& what) {
  EXPECT_LE(std::fabs(got - want), kRel * (std::fabs(mean) + std::fabs(h)))
      << what << ": got " << got << ", want " << want;
}

Interval interval(double mean, double lo, double hi, double sd = 1, int n = 5) {
  return Interval{.mean = mean, .lo = lo, .hi = hi, .sd = sd, .n = n, .method = "t"};
}

}  // namespace

// ---------------------------------------------------------------------------
// Against SciPy.

TEST(StatsReference, TQuantile) {
  const json& cases = fixture()["t_quantile"];
  ASSERT_GT(cases.size(), 100u);
  for (const auto& c : cases) {
    const double p = num(c["p"]), df = num(c["df"]);
    const double want = num(c["q"]);
    const std::string what = "t_quantile(" + std::to_string(p) + ", " + std::to_string(df) + ")";
    if (p == 0.5) {
      EXPECT_NEAR(t_quantile(p, df), 0.0, 1e-15) << what;
      continue;
    }
    expect_rel(t_quantile(p, df), want, kRel, what);
  }
}

TEST(StatsReference, TQuantileDomain) {
  EXPECT_EQ(t_quantile(0, 3), -kInf);
  EXPECT_EQ(t_quantile(1, 3), kInf);
  EXPECT_TRUE(std::isnan(t_quantile(-0.1, 3)));
  EXPECT_TRUE(std::isnan(t_quantile(1.5, 3)));
  EXPECT_TRUE(std::isnan(t_quantile(kNaN, 3)));
  EXPECT_TRUE(std::isnan(t_quantile(0.9, 0)));
  EXPECT_TRUE(std::isnan(t_quantile(0.9, -2)));
  EXPECT_TRUE(std::isnan(t_quantile(0.9, kNaN)));
  // Infinite df: the normal quantile.
  EXPECT_NEAR(t_quantile(0.975, kInf), 1.959963984540054, 1e-14);
  // Symmetry.
  EXPECT_DOUBLE_EQ(t_quantile(0.1, 4.5), -t_quantile(0.9, 4.5));
}

TEST(StatsReference, MeanCi) {
  const json& cases = fixture()["mean_ci"];
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    const std::string name = c["sample"];
    const double level = num(c["level"]);
    const Interval r = mean_ci(sample(name), level);
    const std::string what = "mean_ci(" + name + ", " + std::to_string(level) + ")";
    EXPECT_EQ(r.method, "t") << what;
    EXPECT_EQ(r.n, int(sample(name).size())) << what;
    EXPECT_EQ(r.df, num(c["df"])) << what;
    EXPECT_EQ(r.level, level) << what;
    expect_rel(r.mean, num(c["mean"]), kRel, what + " mean");
    expect_rel(r.sd, num(c["sd"]), kRel, what + " sd");
    expect_rel(r.se, num(c["sd"]) / std::sqrt(double(r.n)), kRel, what + " se");
    const double h = (num(c["hi"]) - num(c["lo"])) / 2;
    expect_endpoint(r.lo, num(c["lo"]), r.mean, h, what + " lo");
    expect_endpoint(r.hi, num(c["hi"]), r.mean, h, what + " hi");
  }
}

TEST(StatsReference, Skewness) {
  for (const auto& c : fixture()["skewness"]) {
    const std::string name = c["sample"];
    expect_rel(skewness(sample(name)), num(c["skew"]), kRel, "skewness(" + name + ")");
  }
}

TEST(StatsReference, PairedCiPAndDz) {
  const json& cases = fixture()["paired"];
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    const std::string name = c["name"];
    const std::vector<double> a = vec(c["a"]), b = vec(c["b"]);
    expect_rel(paired_t_p(a, b), num(c["p"]), kRel, name + " paired_t_p");
    expect_rel(cohens_dz(a, b), num(c["dz"]), kRel, name + " cohens_dz");
    for (const auto& ci : c["ci"]) {
      const double level = num(ci["level"]);
      const Interval r = paired_diff_ci(a, b, level);
      const std::string what = name + " paired_diff_ci " + std::to_string(level);
      EXPECT_EQ(r.method, "paired t") << what;
      EXPECT_EQ(r.n, int(a.size())) << what;
      expect_rel(r.mean, num(c["mean"]), kRel, what + " mean");
      expect_rel(r.sd, num(c["sd"]), kRel, what + " sd");
      const double h = (num(ci["hi"]) - num(ci["lo"])) / 2;
      expect_endpoint(r.lo, num(ci["lo"]), r.mean, h, what + " lo");
      expect_endpoint(r.hi, num(ci["hi"]), r.mean, h, what + " hi");
    }
  }
}

TEST(StatsReference, WelchCiPAndD) {
  const json& cases = fixture()["welch"];
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    const std::string name = c["name"];
    const std::vector<double> a = vec(c["a"]), b = vec(c["b"]);
    expect_rel(welch_p(a, b), num(c["p"]), kRel, name + " welch_p");
    expect_rel(cohens_d(a, b), num(c["d"]), kRel, name + " cohens_d");
    for (const auto& ci : c["ci"]) {
      const double level = num(ci["level"]);
      const Interval r = welch_diff_ci(a, b, level);
      const std::string what = name + " welch_diff_ci " + std::to_string(level);
      EXPECT_EQ(r.method, "welch") << what;
      EXPECT_EQ(r.n, int(a.size())) << what;
      EXPECT_EQ(r.n2, int(b.size())) << what;
      expect_rel(r.mean, num(c["mean"]), kRel, what + " mean");
      expect_rel(r.se, num(c["se"]), kRel, what + " se");
      expect_rel(r.df, num(c["df"]), kRel, what + " df");
      expect_rel(r.sd, num(c["sd"]), kRel, what + " sd");
      const double h = (num(ci["hi"]) - num(ci["lo"])) / 2;
      expect_endpoint(r.lo, num(ci["lo"]), r.mean, h, what + " lo");
      expect_endpoint(r.hi, num(ci["hi"]), r.mean, h, what + " hi");
    }
  }
}

TEST(StatsReference, Holm) {
  const json& cases = fixture()["holm"];
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    const std::vector<double> p = vec(c["p"]), want = vec(c["adj"]);
    const std::vector<double> got = holm(p);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      // Products (m - j + 1) p and maxima of them: exact up to one rounding.
      expect_rel(got[i], want[i], 1e-15, "holm " + c["p"].dump() + " [" + std::to_string(i) + "]");
      if (!std::isnan(p[i])) {
        EXPECT_GE(got[i], p[i]);
        EXPECT_LE(got[i], 1.0);
      }
    }
    // Monotone: a smaller raw p never gets a larger adjusted p.
    for (std::size_t i = 0; i < p.size(); ++i)
      for (std::size_t j = 0; j < p.size(); ++j)
        if (p[i] < p[j]) {
          EXPECT_LE(got[i], got[j]);
        }
  }
}

TEST(StatsReference, HolmRejectsBadP) {
  EXPECT_THROW(holm({0.1, 1.5}), std::invalid_argument);
  EXPECT_THROW(holm({-0.01}), std::invalid_argument);
  EXPECT_THROW(holm({kInf}), std::invalid_argument);
}

// The BCa interval against SciPy's bootstrap(method="BCa"). The two use
// different random streams, so they agree only up to Monte Carlo error: with
// 200000 resamples each endpoint varies by <= 1.4% of the bootstrap standard
// error between SciPy's own seeds (measured over 6 seeds), so the difference
// of two independent estimates is within ~2% (1 sigma). 8% is > 4 sigma, and
// still far below the gap between BCa and the plain percentile interval on
// these samples (15%-90% of the standard error), so a wrong bias correction or
// acceleration fails.
TEST(StatsReference, BootstrapBcaMatchesScipy) {
  const json& cases = fixture()["bootstrap"];
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    const std::string name = c["sample"];
    const double level = num(c["level"]);
    const int B = c["resamples"];
    const Interval r = bootstrap_ci(sample(name), level, B, 12345);
    const double tol = 0.08 * num(c["boot_se"]);
    const std::string what = "bootstrap_ci(" + name + ", " + std::to_string(level) + ")";
    EXPECT_EQ(r.method, "bootstrap") << what;
    EXPECT_NEAR(r.lo, num(c["lo"]), tol) << what << " lo";
    EXPECT_NEAR(r.hi, num(c["hi"]), tol) << what << " hi";
  }
}

TEST(StatsReference, SeedsToDecide) {
  const json& cases = fixture()["seeds_to_decide"];
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    const Interval e = interval(num(c["mean"]), kNaN, kNaN, num(c["sd"]));
    EXPECT_EQ(seeds_to_decide(e, num(c["threshold"]), num(c["level"])), c["seeds"].get<int>())
        << c.dump();
  }
}

// ---------------------------------------------------------------------------
// Contracts and edge cases.

TEST(StatsEdge, SmallSamples) {
  const Interval e = mean_ci({});
  EXPECT_EQ(e.n, 0);
  EXPECT_TRUE(std::isnan(e.mean) && std::isnan(e.lo) && std::isnan(e.hi) && std::isnan(e.sd));
  const Interval one = mean_ci({0.7});
  EXPECT_EQ(one.n, 1);
  EXPECT_EQ(one.mean, 0.7);
  EXPECT_EQ(one.lo, -kInf);
  EXPECT_EQ(one.hi, kInf);
  EXPECT_TRUE(std::isnan(one.sd));
  EXPECT_EQ(decide(one, 0.0), Verdict::inconclusive);
  EXPECT_EQ(bootstrap_ci({0.7}).lo, -kInf);
  EXPECT_TRUE(std::isnan(bootstrap_ci({}).mean));
  EXPECT_TRUE(std::isnan(paired_t_p({1.0}, {2.0})));
  EXPECT_TRUE(std::isnan(welch_p({1.0}, {2.0, 3.0})));
  EXPECT_TRUE(std::isnan(cohens_dz({1.0}, {2.0})));
  EXPECT_TRUE(std::isnan(cohens_d({1.0}, {2.0})));
  EXPECT_TRUE(std::isnan(cohens_d({}, {2.0, 3.0})));
  EXPECT_TRUE(std::isnan(skewness({1.0, 2.0})));
  const Interval w1 = welch_diff_ci({1.0}, {2.0, 3.0});
  EXPECT_EQ(w1.mean, -1.5);
  EXPECT_EQ(w1.lo, -kInf);
  EXPECT_EQ(w1.hi, kInf);
  EXPECT_TRUE(std::isnan(welch_diff_ci({}, {2.0, 3.0}).mean));
}

TEST(StatsEdge, ZeroVariance) {
  // 0.1 three times: a naive sum / 3 is not exactly 0.1; the interval must
  // still collapse exactly onto it.
  const Interval c = mean_ci({0.1, 0.1, 0.1});
  EXPECT_EQ(c.mean, 0.1);
  EXPECT_EQ(c.lo, 0.1);
  EXPECT_EQ(c.hi, 0.1);
  EXPECT_EQ(c.sd, 0.0);
  const Interval bc = bootstrap_ci({0.3, 0.3, 0.3, 0.3});
  EXPECT_EQ(bc.lo, 0.3);
  EXPECT_EQ(bc.hi, 0.3);

  const std::vector<double> a{0.5, 0.6, 0.7}, same = a, shifted{0.4, 0.5, 0.6};
  EXPECT_EQ(paired_t_p(a, same), 1.0);
  EXPECT_EQ(paired_t_p(a, {0.5 - 0.25, 0.6 - 0.25, 0.7 - 0.25}), 0.0);  // exact constant 0.25
  const Interval d0 = paired_diff_ci(a, same);
  EXPECT_EQ(d0.lo, 0.0);
  EXPECT_EQ(d0.hi, 0.0);
  EXPECT_TRUE(std::isnan(cohens_dz(a, same)));
  EXPECT_EQ(cohens_dz({1.0, 2.0}, {0.0, 1.0}), kInf);

  // Welch, both groups constant.
  EXPECT_EQ(welch_p({2.0, 2.0, 2.0}, {2.0, 2.0}), 1.0);
  EXPECT_EQ(welch_p({2.0, 2.0, 2.0}, {1.0, 1.0}), 0.0);
  const Interval w = welch_diff_ci({2.0, 2.0, 2.0}, {1.0, 1.0});
  EXPECT_EQ(w.mean, 1.0);
  EXPECT_EQ(w.lo, 1.0);
  EXPECT_EQ(w.hi, 1.0);
  EXPECT_EQ(cohens_d({2.0, 2.0, 2.0}, {1.0, 1.0}), kInf);
  EXPECT_TRUE(std::isnan(cohens_d({2.0, 2.0}, {2.0, 2.0})));
  // One group constant: df is the other group's n - 1.
  const Interval w2 = welch_diff_ci({2.0, 2.0, 2.0}, {1.0, 2.0, 4.0, 5.0});
  EXPECT_DOUBLE_EQ(w2.df, 3.0);
  EXPECT_FALSE(skewed({1, 1, 1, 1, 1, 1, 1, 1, 1}));
}

TEST(StatsEdge, NonFiniteSamplesThrowNamingTheProblem) {
  const std::vector<double> bad{0.5, kNaN, 0.7};
  try {
    mean_ci(bad);
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("mean_ci"), std::string::npos) << msg;
    EXPECT_NE(msg.find("sample 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("nan"), std::string::npos) << msg;
  }
  const std::vector<double> ok{0.5, 0.6, 0.7}, inf{0.5, 0.6, kInf};
  EXPECT_THROW(bootstrap_ci(inf), std::invalid_argument);
  EXPECT_THROW(auto_ci(inf), std::invalid_argument);
  EXPECT_THROW(skewed(inf), std::invalid_argument);
  EXPECT_THROW(skewness(inf), std::invalid_argument);
  EXPECT_THROW(paired_diff_ci(ok, inf), std::invalid_argument);
  EXPECT_THROW(welch_diff_ci(inf, ok), std::invalid_argument);
  EXPECT_THROW(paired_t_p(ok, bad), std::invalid_argument);
  EXPECT_THROW(welch_p(ok, {-kInf, 1.0}), std::invalid_argument);
  EXPECT_THROW(cohens_d(bad, ok), std::invalid_argument);
  EXPECT_THROW(cohens_dz(ok, bad), std::invalid_argument);
  EXPECT_THROW(rank_with_ties({ok, bad}), std::invalid_argument);
  try {
    welch_p(ok, {1.0, -kInf});
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("sample 1 of b is -inf"), std::string::npos) << e.what();
  }
}

TEST(StatsEdge, BadArguments) {
  const std::vector<double> a{1, 2, 3}, b{1, 2};
  EXPECT_THROW(paired_diff_ci(a, b), std::invalid_argument);
  EXPECT_THROW(paired_t_p(a, b), std::invalid_argument);
  EXPECT_THROW(cohens_dz(a, b), std::invalid_argument);
  EXPECT_THROW(mean_ci(a, 0.0), std::invalid_argument);
  EXPECT_THROW(mean_ci(a, 1.0), std::invalid_argument);
  EXPECT_THROW(mean_ci(a, kNaN), std::invalid_argument);
  EXPECT_THROW(welch_diff_ci(a, b, 95), std::invalid_argument);
  EXPECT_THROW(bootstrap_ci(a, 0.95, 0), std::invalid_argument);
  EXPECT_THROW(rank_with_ties({a, {}}), std::invalid_argument);
  EXPECT_THROW(rank_with_ties({a, b}, 0.0), std::invalid_argument);
  EXPECT_THROW(seeds_to_decide(mean_ci(a), 0.0, 1.2), std::invalid_argument);
}

// ---------------------------------------------------------------------------
// Bootstrap.

TEST(StatsBootstrap, DeterministicForTheSeed) {
  const std::vector<double> v = sample("exp25");
  const Interval x = bootstrap_ci(v, 0.95, 5000, 42), y = bootstrap_ci(v, 0.95, 5000, 42);
  EXPECT_EQ(x.lo, y.lo);
  EXPECT_EQ(x.hi, y.hi);
  const Interval z = bootstrap_ci(v, 0.95, 5000, 43);
  EXPECT_TRUE(z.lo != x.lo || z.hi != x.hi) << "the seed does not change the resamples";
  // Another seed: the same interval up to Monte Carlo error.
  EXPECT_NEAR(z.lo, x.lo, 0.15 * x.se);
  EXPECT_NEAR(z.hi, x.hi, 0.15 * x.se);
  EXPECT_EQ(x.mean, mean_ci(v).mean);
  EXPECT_EQ(x.sd, mean_ci(v).sd);
  EXPECT_TRUE(std::isnan(x.df));
}

TEST(StatsBootstrap, AsymmetricOnSkewedSample) {
  // Right-skewed: the upper arm is longer than the lower one, unlike the
  // symmetric t interval.
  for (const char* name : {"lognormal12", "lognormal40", "exp25"}) {
    const Interval r = bootstrap_ci(sample(name));
    EXPECT_GT(r.hi - r.mean, 1.2 * (r.mean - r.lo)) << name;
    EXPECT_LT(r.lo, r.mean) << name;
  }
  const Interval l = bootstrap_ci(sample("leftskew16"));
  EXPECT_GT(l.mean - l.lo, 1.2 * (l.hi - l.mean));
  const Interval t = mean_ci(sample("lognormal12"));
  EXPECT_NEAR(t.hi - t.mean, t.mean - t.lo, 1e-12);
}

TEST(StatsBootstrap, CoverageOnNormalSample) {
  // On a symmetric sample the BCa interval is close to the t interval
  // (slightly narrower: the bootstrap ignores the t correction).
  const std::vector<double> v = sample("wide30");
  const Interval b = bootstrap_ci(v), t = mean_ci(v);
  EXPECT_LT(b.lo, b.mean);
  EXPECT_GT(b.hi, b.mean);
  EXPECT_NEAR(b.hi - b.lo, t.hi - t.lo, 0.15 * (t.hi - t.lo));
  // A higher level gives a wider interval.
  const Interval b99 = bootstrap_ci(v, 0.99);
  EXPECT_LT(b99.lo, b.lo);
  EXPECT_GT(b99.hi, b.hi);
}

TEST(StatsBootstrap, SkewedRuleAndAutoCi) {
  // The documented rule: n >= 8 and |G1| > 1 (G1 values in the fixture).
  EXPECT_TRUE(skewed(sample("lognormal12")));
  EXPECT_TRUE(skewed(sample("leftskew16")));
  EXPECT_TRUE(skewed(sample("exp25")));      // G1 = 1.07
  EXPECT_FALSE(skewed(sample("acc10")));     // G1 = 0.50
  EXPECT_FALSE(skewed(sample("neg8")));      // n = 8, G1 = 0.81
  EXPECT_FALSE(skewed(sample("acc5")));      // G1 = -1.76 but n = 5
  EXPECT_FALSE(skewed(sample("three")));     // G1 = 1.09 but n = 3
  EXPECT_EQ(auto_ci(sample("lognormal12")).method, "bootstrap");
  EXPECT_EQ(auto_ci(sample("acc10")).method, "t");
  const Interval a = auto_ci(sample("lognormal12"), 0.9), b = bootstrap_ci(sample("lognormal12"), 0.9);
  EXPECT_EQ(a.lo, b.lo);
  EXPECT_EQ(a.hi, b.hi);
  const Interval c = auto_ci(sample("acc10"), 0.9), d = mean_ci(sample("acc10"), 0.9);
  EXPECT_EQ(c.lo, d.lo);
}

// ---------------------------------------------------------------------------
// Verdicts.

TEST(StatsDecide, SyntheticIntervals) {
  EXPECT_EQ(decide(interval(0.05, 0.02, 0.08), 0.0), Verdict::supported);
  EXPECT_EQ(decide(interval(-0.05, -0.08, -0.02), 0.0), Verdict::contradicted);
  EXPECT_EQ(decide(interval(0.01, -0.02, 0.04), 0.0), Verdict::inconclusive);
  // The claim "lower is better".
  EXPECT_EQ(decide(interval(-0.05, -0.08, -0.02), 0.0, false), Verdict::supported);
  EXPECT_EQ(decide(interval(0.05, 0.02, 0.08), 0.0, false), Verdict::contradicted);
  EXPECT_EQ(decide(interval(0.01, -0.02, 0.04), 0.0, false), Verdict::inconclusive);
  // A nonzero threshold, touching it, undefined intervals.
  EXPECT_EQ(decide(interval(0.05, 0.02, 0.08), 0.03), Verdict::inconclusive);
  EXPECT_EQ(decide(interval(0.05, 0.02, 0.08), 0.01), Verdict::supported);
  EXPECT_EQ(decide(interval(0.05, 0.0, 0.1), 0.0), Verdict::inconclusive);
  EXPECT_EQ(decide(interval(0.05, -kInf, kInf), 0.0), Verdict::inconclusive);
  EXPECT_EQ(decide(Interval{}, 0.0), Verdict::inconclusive);
  EXPECT_EQ(decide(interval(0.05, 0.02, 0.08), kNaN), Verdict::inconclusive);
  EXPECT_STREQ(verdict_name(Verdict::supported), "supported");
  EXPECT_STREQ(verdict_name(Verdict::contradicted), "contradicted");
  EXPECT_STREQ(verdict_name(Verdict::inconclusive), "inconclusive");
}

TEST(StatsDecide, RealIntervals) {
  // Clear paired improvement -> supported; reversed -> contradicted; none -> inconclusive.
  const std::vector<double> a{0.91, 0.92, 0.90, 0.93, 0.91}, b{0.81, 0.83, 0.80, 0.82, 0.82};
  EXPECT_EQ(decide(paired_diff_ci(a, b), 0.0), Verdict::supported);
  EXPECT_EQ(decide(paired_diff_ci(b, a), 0.0), Verdict::contradicted);
  EXPECT_EQ(decide(welch_diff_ci(a, b), 0.0), Verdict::supported);
  const std::vector<double> c{0.91, 0.90, 0.92, 0.90, 0.93};
  EXPECT_EQ(decide(paired_diff_ci(a, c), 0.0), Verdict::inconclusive);
}

TEST(StatsDecide, SeedsToDecideSanity) {
  // -1 cases.
  EXPECT_EQ(seeds_to_decide(interval(0.0, -1, 1, 0.5), 0.0), -1);      // mean on the threshold
  EXPECT_EQ(seeds_to_decide(interval(0.2, 0.2, 0.2, 0.0), 0.0), -1);   // sd 0
  EXPECT_EQ(seeds_to_decide(interval(kNaN, kNaN, kNaN, 0.5), 0.0), -1);
  EXPECT_EQ(seeds_to_decide(interval(0.2, -1, 1, kNaN), 0.0), -1);
  EXPECT_EQ(seeds_to_decide(interval(0.2, -1, 1, kInf), 0.0), -1);
  EXPECT_EQ(seeds_to_decide(interval(0.2, -1, 1, 0.5), kNaN), -1);
  // Monotone: a larger sd, a smaller gap or a higher level never needs fewer seeds.
  int prev = 0;
  for (double sd = 0.005; sd <= 0.2; sd *= 1.3) {
    const int s = seeds_to_decide(interval(0.01, 0, 0, sd), 0.0);
    EXPECT_GE(s, prev) << sd;
    prev = s;
  }
  EXPECT_EQ(prev, 1001);
  prev = 1002;
  for (double m = 0.001; m <= 1; m *= 1.5) {
    const int s = seeds_to_decide(interval(m, 0, 0, 0.05), 0.0);
    EXPECT_LE(s, prev) << m;
    prev = s;
  }
  EXPECT_EQ(prev, 2);
  EXPECT_LE(seeds_to_decide(interval(0.01, 0, 0, 0.02), 0.0, 0.9),
            seeds_to_decide(interval(0.01, 0, 0, 0.02), 0.0, 0.99));
  // Symmetric in the side of the threshold.
  EXPECT_EQ(seeds_to_decide(interval(0.3, 0, 0, 0.4), 0.1),
            seeds_to_decide(interval(-0.1, 0, 0, 0.4), 0.1));
  // Consistent with decide(): n' seeds of that mean and sd give a deciding
  // t interval, n' - 1 do not.
  const double mean = 0.012, sd = 0.02;
  const int n = seeds_to_decide(interval(mean, 0, 0, sd), 0.0);
  ASSERT_GT(n, 2);
  ASSERT_LT(n, 1001);
  auto ci_at = [&](int k) {
    const double h = t_quantile(0.975, k - 1) * sd / std::sqrt(double(k));
    return interval(mean, mean - h, mean + h, sd, k);
  };
  EXPECT_EQ(decide(ci_at(n), 0.0), Verdict::supported);
  EXPECT_EQ(decide(ci_at(n - 1), 0.0), Verdict::inconclusive);
}

// ---------------------------------------------------------------------------
// Ranking.

TEST(StatsRanking, MatchesScipyPairwiseHolm) {
  const json& c = fixture()["ranking"];
  std::vector<std::vector<double>> items;
  for (const auto& x : c["items"]) items.push_back(vec(x));
  const Ranking r = rank_with_ties(items);
  EXPECT_TRUE(r.paired);
  const std::size_t k = items.size();
  ASSERT_EQ(r.p_adj.size(), k);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < k; ++j)
      expect_rel(r.p_adj[i][j], num(c["p_adj"][i][j]), kRel,
                 "p_adj[" + std::to_string(i) + "][" + std::to_string(j) + "]");
  // Items 0 and 1 are tied at the top (either may have the higher mean),
  // 2 below them, 3 last.
  EXPECT_EQ(r.order, c["order"].get<std::vector<std::size_t>>());
  EXPECT_EQ(r.letters, (std::vector<std::string>{"a", "a", "b", "c"}));
  EXPECT_EQ(r.tied_with_best, (std::vector<int>{1, 1, 0, 0}));
}

TEST(StatsRanking, TwoSeparatedGroups) {
  // Input order scrambled: the letters follow the means, not the input order.
  const std::vector<double> lo1{0.60, 0.61, 0.59, 0.60, 0.62, 0.61},
      lo2{0.61, 0.60, 0.60, 0.61, 0.60, 0.62}, hi1{0.90, 0.91, 0.89, 0.92, 0.90, 0.91},
      hi2{0.91, 0.90, 0.90, 0.91, 0.92, 0.89};
  for (bool paired : {true, false}) {
    const Ranking r = rank_with_ties({lo1, hi1, lo2, hi2}, 0.05, paired);
    EXPECT_EQ(r.paired, paired);
    EXPECT_EQ(r.letters, (std::vector<std::string>{"b", "a", "b", "a"})) << paired;
    EXPECT_EQ(r.tied_with_best, (std::vector<int>{0, 1, 0, 1})) << paired;
    EXPECT_TRUE(r.order[0] == 1 || r.order[0] == 3);
    for (std::size_t i = 0; i < 4; ++i) {
      EXPECT_TRUE(std::isnan(r.p_adj[i][i]));
      for (std::size_t j = 0; j < 4; ++j) EXPECT_EQ(r.p_adj[i][j] == r.p_adj[j][i] || i == j, true);
    }
  }
}

TEST(StatsRanking, IdenticalItemsShareALetter) {
  const std::vector<double> x{0.8, 0.82, 0.79, 0.81};
  const Ranking r = rank_with_ties({x, x, x});
  EXPECT_EQ(r.letters, (std::vector<std::string>{"a", "a", "a"}));
  EXPECT_EQ(r.tied_with_best, (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(r.order, (std::vector<std::size_t>{0, 1, 2}));  // equal means: input order
  EXPECT_EQ(r.p_adj[0][1], 1.0);
}

TEST(StatsRanking, OverlappingGroupsGiveTwoLetters) {
  // A chain: a ~ b, b ~ c, but a != c -> letters a, ab, b.
  // Unpaired samples of sd ~0.01 (n = 10 each), means 0.90, 0.89, 0.88.
  const std::vector<double> noise{-0.012, 0.008, 0.003, -0.004, 0.015, -0.009, 0.001, 0.006, -0.011, 0.003};
  auto at = [&](double m) {
    std::vector<double> v;
    for (double e : noise) v.push_back(m + e);
    return v;
  };
  std::vector<double> mid = at(0.892);
  std::reverse(mid.begin(), mid.end());  // not paired with the others seed by seed
  const Ranking r = rank_with_ties({at(0.90), mid, at(0.884)}, 0.05, false);
  ASSERT_LT(r.p_adj[0][2], 0.05);
  ASSERT_GE(r.p_adj[0][1], 0.05);
  ASSERT_GE(r.p_adj[1][2], 0.05);
  EXPECT_EQ(r.letters, (std::vector<std::string>{"a", "ab", "b"}));
  EXPECT_EQ(r.tied_with_best, (std::vector<int>{1, 1, 0}));
}

TEST(StatsRanking, UnequalLengthsFallBackToWelchAndSingletonsAreNeverSignificant) {
  const Ranking r = rank_with_ties({{0.9, 0.91, 0.92}, {0.5, 0.52}}, 0.05, true);
  EXPECT_FALSE(r.paired);
  const Ranking s = rank_with_ties({{0.9}, {0.1, 0.12, 0.11}});
  EXPECT_TRUE(std::isnan(s.p_adj[0][1]));
  EXPECT_EQ(s.letters, (std::vector<std::string>{"a", "a"}));
  EXPECT_EQ(rank_with_ties({}).order.size(), 0u);
  EXPECT_EQ(rank_with_ties({{1.0, 2.0}}).letters, (std::vector<std::string>{"a"}));
}
