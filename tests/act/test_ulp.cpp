// The ULP-error definition and the sweep machinery (include/actlab/act/ulp.hpp).
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>

#include "act/kernel_test_util.hpp"

namespace actlab::test {
namespace {

const float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(UlpError, Definition) {
  EXPECT_EQ(act::ulp_error(1.f, 1.0L), 0.0);
  EXPECT_EQ(act::ulp_error(0.f, -0.0L), 0.0);  // +0 and -0 are equal
  EXPECT_DOUBLE_EQ(act::ulp_error(std::nextafter(1.f, 2.f), 1.0L), 1.0);
  EXPECT_DOUBLE_EQ(act::ulp_error(1.f, 1.0L + std::ldexp(1.0L, -24)), 0.5);
  // Just below a power of two the ULP is the smaller one.
  EXPECT_DOUBLE_EQ(act::ulp_error(1.f, 1.0L - std::ldexp(1.0L, -24)), 1.0);
  // Denormal range: the ULP is 2^-149.
  EXPECT_DOUBLE_EQ(act::ulp_error(FLT_TRUE_MIN * 3, std::ldexp(1.0L, -149)), 2.0);
  EXPECT_EQ(act::ulp_error(kNaN, std::nanl("")), 0.0);
  EXPECT_TRUE(std::isinf(act::ulp_error(kNaN, 1.0L)));
  EXPECT_TRUE(std::isinf(act::ulp_error(1.f, std::nanl(""))));
  EXPECT_EQ(act::ulp_error(kInf, std::numeric_limits<long double>::infinity()), 0.0);
  EXPECT_EQ(act::ulp_error(kInf, 1e39L), 0.0);  // the reference rounds to inf
  EXPECT_TRUE(std::isinf(act::ulp_error(FLT_MAX, 1e39L)));
  EXPECT_TRUE(std::isinf(act::ulp_error(kInf, 1e38L)));
  EXPECT_TRUE(std::isinf(act::ulp_error(-kInf, std::numeric_limits<long double>::infinity())));
}

TEST(UlpError, ContractAndStats) {
  act::UlpStats s;
  act::ulp_record(s, 1.f, 1.f, 1.0L);
  EXPECT_TRUE(act::meets_contract(s, 0));
  act::ulp_record(s, 2.f, 1.f, 1.0L + std::ldexp(1.0L, -24));  // 0.5 ULP: correctly rounded
  EXPECT_TRUE(act::meets_contract(s, 0));
  act::ulp_record(s, 3.f, 1.f + std::ldexp(1.f, -22), 1.0L + std::ldexp(1.0L, -24));  // 1.5 ULP
  EXPECT_FALSE(act::meets_contract(s, 1));
  EXPECT_TRUE(act::meets_contract(s, 2));
  EXPECT_EQ(s.worst_x, 3.f);
  EXPECT_EQ(s.above1, 1u);
  EXPECT_EQ(s.above2, 0u);
  act::ulp_record(s, 4.f, kNaN, 1.0L);
  EXPECT_EQ(s.nonfinite_mismatch, 1u);
  EXPECT_FALSE(act::meets_contract(s, 1000));
  EXPECT_EQ(s.count, 4u);
  // The finite maximum survives the mismatch, and merging keeps the larger.
  EXPECT_TRUE(std::isinf(s.max_ulp));
  EXPECT_DOUBLE_EQ(s.max_finite_ulp, 1.5);
  EXPECT_EQ(s.worst_finite_x, 3.f);
  act::UlpStats t;
  act::ulp_record(t, 5.f, 1.f + std::ldexp(1.f, -21), 1.0L);  // 4 ULP
  act::ulp_merge(s, t);
  EXPECT_DOUBLE_EQ(s.max_finite_ulp, 4.0);
  EXPECT_EQ(s.worst_finite_x, 5.f);
}

TEST(UlpSweep, CountsEveryPatternAndIsThreadIndependent) {
  act::SweepOptions o;
  o.step = 1u << 16;
  o.threads = 1;
  const auto s1 = act::ulp_sweep(act::Act::sigmoid, act::defaults(act::Act::sigmoid), o);
  EXPECT_EQ(s1.count, 65536u);
  o.threads = 2;
  double last = -1;
  o.progress = [&](double f) {
    EXPECT_GE(f, last);
    last = f;
  };
  const auto s2 = act::ulp_sweep(act::Act::sigmoid, act::defaults(act::Act::sigmoid), o);
  EXPECT_EQ(last, 1.0);
  EXPECT_EQ(s1.count, s2.count);
  EXPECT_EQ(s1.max_ulp, s2.max_ulp);
  EXPECT_EQ(bits(s1.worst_x), bits(s2.worst_x));
  EXPECT_EQ(s1.above1, s2.above1);
}

// The measurement must be able to fail: tanh's kernel judged against
// softsign's reference is far outside any contract.
TEST(UlpSweep, DetectsAWrongKernel) {
  std::vector<float> x;
  for (std::uint32_t u = 0; u < 0xffffffffu - 65535u; u += 65535u * 7u) x.push_back(f_of(u));
  const auto y = fwd(act::Act::tanh, act::defaults(act::Act::tanh), x);
  act::UlpStats s;
  for (std::size_t i = 0; i < x.size(); ++i)
    act::ulp_record(s, x[i], y[i], act::ref::forward(act::Act::softsign, act::defaults(act::Act::softsign), x[i]));
  EXPECT_FALSE(act::meets_contract(s, 2));
  EXPECT_GT(s.frac_above2(), 0.1);
}

TEST(UlpSweep, RowwiseSampling) {
  act::SweepOptions o;
  o.rows = 50;
  o.threads = 2;
  for (bool b : {false, true}) {
    o.backward = b;
    const auto s = act::ulp_sweep(act::Act::log_softmax, act::defaults(act::Act::log_softmax), o);
    EXPECT_GT(s.count, 50u);
    EXPECT_TRUE(act::meets_contract(s, act::info(act::Act::log_softmax).ulp_fwd)) << s.max_ulp;
  }
}

}  // namespace
}  // namespace actlab::test
