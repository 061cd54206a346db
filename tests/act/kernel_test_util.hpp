// Shared helpers of the kernel tests: the catalogue as a test parameter, a
// guard that forces one SIMD target and restores the default, and the
// ULP-contract assertion.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "actlab/act/catalogue.hpp"
#include "actlab/act/kernels.hpp"
#include "actlab/act/reference.hpp"
#include "actlab/act/ulp.hpp"

namespace actlab::test {

inline std::vector<act::Act> all_acts() {
  std::vector<act::Act> v;
  for (std::size_t i = 0; i < act::kNumActs; ++i) v.push_back(static_cast<act::Act>(i));
  return v;
}

inline std::vector<act::Act> pointwise_acts() {
  std::vector<act::Act> v;
  for (auto a : all_acts())
    if (!act::is_rowwise(a)) v.push_back(a);
  return v;
}

inline std::string act_test_name(const testing::TestParamInfo<act::Act>& i) { return act::name(i.param); }

// Forces one dispatch target for its lifetime.
struct TargetGuard {
  explicit TargetGuard(const std::string& t) { EXPECT_TRUE(act::force_target(t)) << t; }
  ~TargetGuard() { act::force_target(""); }
};

inline float f_of(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
inline std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

// Kernel forward and backward (dy given) on a vector of inputs.
inline std::vector<float> fwd(act::Act a, const act::Params& p, const std::vector<float>& x) {
  std::vector<float> y(x.size());
  act::forward(a, p, x.data(), y.data(), x.size());
  return y;
}
inline std::vector<float> bwd(act::Act a, const act::Params& p, const std::vector<float>& x,
                              const std::vector<float>& dy) {
  std::vector<float> y = fwd(a, p, x), dx(x.size());
  act::backward(a, p, x.data(), y.data(), dy.data(), dx.data(), x.size());
  return dx;
}

// Checks the catalogue contract on given inputs; reports the first few
// violations with the input, the result and the reference.
inline void expect_contract(act::Act a, const act::Params& p, const std::vector<float>& x, bool backward,
                            const std::string& where) {
  const auto& in = act::info(a);
  const int ulp = backward ? in.ulp_bwd : in.ulp_fwd;
  const std::vector<float> one(x.size(), 1.f);
  const std::vector<float> y = backward ? bwd(a, p, x, one) : fwd(a, p, x);
  int reported = 0;
  act::UlpStats s;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const long double r = backward ? act::ref::derivative(a, p, x[i]) : act::ref::forward(a, p, x[i]);
    act::UlpStats one_s;
    act::ulp_record(one_s, x[i], y[i], r);
    act::ulp_merge(s, one_s);
    if (!act::meets_contract(one_s, ulp) && reported++ < 5)
      ADD_FAILURE() << where << " " << in.name << (backward ? " backward" : " forward") << " x=" << x[i]
                    << " (0x" << std::hex << bits(x[i]) << std::dec << ") got " << y[i] << " ref "
                    << static_cast<double>(r) << " err " << one_s.max_ulp << " ULP > contract " << ulp;
  }
}

}  // namespace actlab::test
