// Every layer's backward against central finite differences.
#include <gtest/gtest.h>

#include "actlab/nn/layer.hpp"
#include "actlab/nn/loss.hpp"
#include "actlab/core/error.hpp"
#include "gradcheck.hpp"

namespace actlab::nn::test {
namespace {

ActSpec A(const char* name) { return {*act::find(name), act::defaults(*act::find(name))}; }

Tensor away_from_zero(Shape s, std::uint64_t seed) {
  // Piecewise-linear activations have kinks at 0: keep every input at least
  // 0.1 from it so that x +- eps (eps = 1e-2) never crosses a kink.
  Tensor t = random_tensor(std::move(s), seed);
  for (auto& v : t.v) v = v >= 0 ? v + 0.1f : v - 0.1f;
  return t;
}

TEST(LayerGrad, DenseFusedSmoothActivations) {
  for (const char* a : {"identity", "tanh", "gelu", "sigmoid", "softplus", "selu", "mish"}) {
    Dense d(7, 5, A(a));
    Rng rng(3);
    d.init(InitKind::xavier_normal, rng);
    for (auto& v : d.b.v) v = 0.1f;
    check_layer(std::string("dense/") + a, d, random_tensor({4, 7}, 11), Ctx{true});
  }
}

TEST(LayerGrad, ActivationLayerEveryKind) {
  for (const char* a : {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "silu",
                        "mish", "softplus", "softsign", "hardswish", "softmax", "log_softmax",
                        "softmin", "rrelu"}) {
    Activation L(A(a));
    check_layer(std::string("activation/") + a, L, away_from_zero({3, 6}, 5), Ctx{false});
  }
}

TEST(LayerGrad, PReLUSharedAndPerChannel) {
  Activation shared(A("prelu"));
  shared.slope.v[0] = 0.3f;
  check_layer("prelu/shared", shared, away_from_zero({4, 5}, 9), Ctx{true});
  Activation perch(A("prelu"), 3);
  perch.slope.v = {0.1f, -0.2f, 0.5f};
  check_layer("prelu/channel", perch, away_from_zero({2, 3, 2, 2}, 10), Ctx{true});
  // The slope gradient is sum over x <= 0 of x * dy: non-zero here.
  EXPECT_NE(perch.dslope.v[0], 0.f);
}

TEST(LayerGrad, RReLUTrainingUsesRandomSlopesInRange) {
  Activation L(A("rrelu"));
  Tensor x({1, 1000}, -1.f);
  const Tensor& y = L.forward(x, Ctx{true, 1, 1});
  const auto& p = act::defaults(act::Act::rrelu);
  float mn = 1, mx = 0;
  for (float v : y.v) mn = std::min(mn, -v), mx = std::max(mx, -v);
  EXPECT_GE(mn, p.v[0]);
  EXPECT_LE(mx, p.v[1]);
  EXPECT_GT(mx - mn, 0.1f) << "slopes are not random";
  // Gradient in training uses the same slopes.
  check_layer("rrelu/train", L, away_from_zero({3, 4}, 2), Ctx{true, 1, 1});
  const Tensor& ye = L.forward(x, Ctx{false});
  EXPECT_NEAR(-ye.v[0], (p.v[0] + p.v[1]) / 2, 1e-6);
}

TEST(LayerGrad, Conv2D) {
  for (auto [k, s, pad] : {std::tuple{3, 1, 1}, std::tuple{5, 1, 2}, std::tuple{3, 2, 0}}) {
    Conv2D c(2, 3, k, s, pad, A("tanh"));
    Rng rng(4);
    c.init(InitKind::he, rng);
    for (auto& v : c.b.v) v = 0.05f;
    check_layer("conv k" + std::to_string(k) + " s" + std::to_string(s), c,
                random_tensor({2, 2, 6, 6}, 12), Ctx{true});
  }
}

TEST(LayerGrad, Pooling) {
  Pool2D mp(true, 2, 2), ap(false, 2, 2), ap3(false, 3, 1);
  // Distinct values so the max of each window is unique under +-eps.
  Tensor x({2, 2, 4, 4});
  for (std::size_t i = 0; i < x.size(); ++i) x.v[i] = static_cast<float>((i * 37) % 64) * 0.1f;
  check_layer("maxpool", mp, x, Ctx{true});
  check_layer("avgpool", ap, random_tensor({2, 2, 4, 4}, 3), Ctx{true});
  check_layer("avgpool k3 s1", ap3, random_tensor({1, 2, 5, 5}, 3), Ctx{true});
}

TEST(LayerGrad, BatchNormTrainAndEval) {
  BatchNorm b1(5);
  b1.gamma.v = {1.f, 0.5f, 2.f, -1.f, 0.7f};
  check_layer("batchnorm1d/train", b1, random_tensor({8, 5}, 21), Ctx{true});
  check_layer("batchnorm1d/eval", b1, random_tensor({8, 5}, 21), Ctx{false});
  BatchNorm b2(3);
  check_layer("batchnorm2d/train", b2, random_tensor({4, 3, 3, 3}, 22), Ctx{true});
}

TEST(LayerGrad, BatchNormRunningStatistics) {
  BatchNorm b(2, 0.1f);
  Tensor x({4, 2});
  x.v = {1, 10, 2, 20, 3, 30, 4, 40};
  b.forward(x, Ctx{true});
  // mean (2.5, 25), unbiased var (1.6667, 166.67): running = 0.9 * init + 0.1 * batch
  EXPECT_NEAR(b.running_mean.v[0], 0.25f, 1e-6);
  EXPECT_NEAR(b.running_mean.v[1], 2.5f, 1e-5);
  EXPECT_NEAR(b.running_var.v[0], 0.9f + 0.1f * 5.f / 3.f, 1e-6);
  EXPECT_NEAR(b.running_var.v[1], 0.9f + 0.1f * 500.f / 3.f, 1e-4);
}

TEST(LayerGrad, LayerNorm) {
  LayerNorm ln(6);
  for (int i = 0; i < 6; ++i) ln.gamma.v[i] = 0.5f + 0.2f * i, ln.beta.v[i] = 0.1f * i;
  check_layer("layernorm", ln, random_tensor({3, 6}, 23), Ctx{true});
}

TEST(LayerGrad, DropoutMaskAndScale) {
  Dropout d(0.5f, 1);
  Tensor x({1, 10000}, 1.f);
  const Tensor& y = d.forward(x, Ctx{true, 3, 4});
  int zeros = 0;
  for (float v : y.v) {
    EXPECT_TRUE(v == 0.f || v == 2.f);
    zeros += v == 0.f;
  }
  EXPECT_NEAR(zeros / 10000.0, 0.5, 0.03);
  check_layer("dropout/train", d, random_tensor({4, 5}, 1), Ctx{true, 3, 4});
  const Tensor& ye = d.forward(x, Ctx{false});
  for (float v : ye.v) ASSERT_EQ(v, 1.f);
}

TEST(LayerGrad, ResidualBlock) {
  std::vector<LayerPtr> body;
  body.push_back(std::make_unique<Dense>(6, 6, A("tanh")));
  Rng rng(1);
  body[0]->init(InitKind::xavier_normal, rng);
  Residual r(std::move(body));
  check_layer("residual", r, random_tensor({3, 6}, 4), Ctx{true});
}

TEST(LayerGrad, FlattenRoundTrip) {
  Flatten f;
  check_layer("flatten", f, random_tensor({2, 3, 2, 2}, 4), Ctx{true});
}

TEST(HeadGrad, SoftmaxCrossEntropyStableAndCorrect) {
  Tensor z = random_tensor({5, 4}, 31, 2.f);
  std::vector<std::int32_t> y{0, 3, 1, 2, 3};
  Tensor dz;
  softmax_cross_entropy(z, y.data(), &dz);
  auto loss = [&] { return softmax_cross_entropy(z, y.data(), nullptr); };
  check_grad("softmax_ce", z.data(), dz.v, loss, 1e-2, 30, 1e-4, 1e-2);
  // Huge logits: no overflow, loss = margin.
  Tensor big({1, 2});
  big.v = {1000.f, 0.f};
  std::int32_t lbl = 1;
  EXPECT_NEAR(softmax_cross_entropy(big, &lbl, nullptr), 1000.0, 1e-9);
  lbl = 5;
  EXPECT_THROW(softmax_cross_entropy(big, &lbl, nullptr), DataError);
}

TEST(HeadGrad, BCEWithLogitsAndMSE) {
  Tensor z = random_tensor({4, 3}, 32, 3.f);
  std::vector<float> t{0, 1, 1, 0, 0.5f, 1, 0, 0, 1, 1, 0, 0.2f};
  Tensor dz;
  bce_with_logits(z, t.data(), &dz);
  check_grad("bce", z.data(), dz.v, [&] { return bce_with_logits(z, t.data(), nullptr); }, 1e-2,
             30, 1e-4, 1e-2);
  Tensor huge({1, 2});
  huge.v = {-200.f, 200.f};
  float tt[2] = {1.f, 0.f};
  EXPECT_NEAR(bce_with_logits(huge, tt, nullptr), 200.0, 1e-9);  // log1p(exp(-200)) ~ 0
  Tensor dp;
  mse(z, t.data(), &dp);
  check_grad("mse", z.data(), dp.v, [&] { return mse(z, t.data(), nullptr); }, 1e-2, 30, 1e-4, 1e-2);
}

}  // namespace
}  // namespace actlab::nn::test
