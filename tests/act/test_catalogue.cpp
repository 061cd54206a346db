// The catalogue list: names, parameters and domains are consistent.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "actlab/act/catalogue.hpp"

using namespace actlab::act;

TEST(Catalogue, NamesAreUniqueAndFindable) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < kNumActs; ++i) {
    const Act a = static_cast<Act>(i);
    EXPECT_TRUE(seen.insert(name(a)).second) << name(a);
    ASSERT_TRUE(find(name(a)).has_value()) << name(a);
    EXPECT_EQ(*find(name(a)), a);
  }
  EXPECT_FALSE(find("relu7").has_value());
  EXPECT_EQ(*find("gelu_erf"), Act::gelu);
}

TEST(Catalogue, DefaultsLieInTheirDomains) {
  for (std::size_t i = 0; i < kNumActs; ++i) {
    const Act a = static_cast<Act>(i);
    EXPECT_EQ(validate(a, defaults(a)), "") << name(a);
    EXPECT_NE(info(a).formula[0], '\0');
    EXPECT_NE(info(a).note[0], '\0');
  }
}

TEST(Catalogue, PyTorchParameterNamesAndDefaults) {
  EXPECT_FLOAT_EQ(defaults(Act::leaky_relu).v[param_index(Act::leaky_relu, "negative_slope")], 0.01f);
  EXPECT_FLOAT_EQ(defaults(Act::elu).v[param_index(Act::elu, "alpha")], 1.f);
  EXPECT_FLOAT_EQ(defaults(Act::softplus).v[param_index(Act::softplus, "threshold")], 20.f);
  EXPECT_FLOAT_EQ(defaults(Act::hardtanh).v[param_index(Act::hardtanh, "min_val")], -1.f);
  EXPECT_FLOAT_EQ(defaults(Act::rrelu).v[param_index(Act::rrelu, "upper")], 1.f / 3);
  EXPECT_FLOAT_EQ(defaults(Act::squareplus).v[param_index(Act::squareplus, "b")], 4.f);
  EXPECT_FLOAT_EQ(defaults(Act::hardshrink).v[param_index(Act::hardshrink, "lambd")], 0.5f);
  EXPECT_FLOAT_EQ(defaults(Act::prelu).v[param_index(Act::prelu, "weight")], 0.25f);
}

TEST(Catalogue, SetParamRejectsBadInputWithAClearMessage) {
  Params p = defaults(Act::elu);
  EXPECT_EQ(set_param(Act::elu, p, "alpha=0.5"), "");
  EXPECT_FLOAT_EQ(p.v[0], 0.5f);
  EXPECT_NE(set_param(Act::elu, p, "alpha=-1").find("outside its domain"), std::string::npos);
  EXPECT_NE(set_param(Act::elu, p, "beta=1").find("no parameter 'beta'"), std::string::npos);
  EXPECT_NE(set_param(Act::elu, p, "alpha=abc").find("not a finite number"), std::string::npos);
  EXPECT_NE(set_param(Act::elu, p, "alpha").find("NAME=VALUE"), std::string::npos);
  EXPECT_NE(set_param(Act::elu, p, "alpha=nan").find("outside"), std::string::npos);
  EXPECT_FLOAT_EQ(p.v[0], 0.5f) << "a rejected value must not change the parameters";
  Params h = defaults(Act::hardtanh);
  h.v[0] = 2.f;
  EXPECT_NE(validate(Act::hardtanh, h).find("min_val"), std::string::npos);
}

TEST(Catalogue, InitializerFollowsTheLiterature) {
  EXPECT_EQ(info(Act::relu).init, Init::he);
  EXPECT_EQ(info(Act::selu).init, Init::lecun);
  EXPECT_EQ(info(Act::tanh).init, Init::xavier);
  EXPECT_EQ(info(Act::sigmoid).init, Init::xavier);
  EXPECT_TRUE(has(Act::step, kNoGradient));
  EXPECT_TRUE(has(Act::selu, kSelfNormalising));
  EXPECT_TRUE(is_rowwise(Act::softmax));
}

TEST(Catalogue, UnderflowingValuesAreJudgedByTheDomainNotCalledInfinite) {
  Params p = defaults(Act::elu);
  EXPECT_EQ(set_param(Act::elu, p, "alpha=1e-40"), "") << "a subnormal alpha lies in [0, inf)";
  EXPECT_GT(p.v[0], 0.f);
  Params c = defaults(Act::celu);
  // 1e-50 rounds to 0, which the open domain (0, inf) rejects by name.
  EXPECT_NE(set_param(Act::celu, c, "alpha=1e-50").find("outside its domain"), std::string::npos);
  EXPECT_NE(set_param(Act::elu, p, "alpha=1e40").find("not a finite number"), std::string::npos);
}
