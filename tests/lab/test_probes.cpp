// Probes on hand-built layers whose statistics are known exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "actlab/act/kernels.hpp"
#include "actlab/lab/run.hpp"
#include "actlab/nn/loss.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/lab/probes.hpp"

using namespace actlab;
using namespace actlab::lab;

namespace {

// batch x units pre-activations where the units in `dead` are negative on
// every sample and every other unit is positive on exactly one sample.
std::vector<float> with_dead_units(std::size_t batch, std::size_t units, const std::vector<int>& dead) {
  std::vector<float> z(batch * units);
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t u = 0; u < units; ++u) {
      const bool is_dead = std::find(dead.begin(), dead.end(), int(u)) != dead.end();
      z[b * units + u] = is_dead ? -0.5f - float(b) : (b == u % batch ? 1.5f : -2.0f);
    }
  return z;
}

std::vector<float> fwd(act::Act a, const std::vector<float>& z) {
  std::vector<float> y(z.size());
  act::forward(a, act::defaults(a), z.data(), y.data(), z.size());
  return y;
}

}  // namespace

TEST(Probes, ReluLayerReportsExactlyItsDeadUnits) {
  const std::size_t batch = 8, units = 10;
  const auto z = with_dead_units(batch, units, {0, 3, 7});
  const auto a = fwd(act::Act::relu, z);
  LayerStats s;
  probe_activation(act::Act::relu, act::defaults(act::Act::relu), z.data(), a.data(), batch, units, s);
  EXPECT_DOUBLE_EQ(s.dead_fraction, 0.3);
  EXPECT_EQ(s.units, units);
  // Same inputs through leaky ReLU: nothing is dead (slope 0.01 < 0).
  const auto b = fwd(act::Act::leaky_relu, z);
  probe_activation(act::Act::leaky_relu, act::defaults(act::Act::leaky_relu), z.data(), b.data(), batch, units, s);
  EXPECT_DOUBLE_EQ(s.dead_fraction, 0.0);
}

TEST(Probes, StepUnitsAreAllDeadBecauseTheirDerivativeIsZero) {
  const std::size_t batch = 4, units = 6;
  const auto z = with_dead_units(batch, units, {});
  const auto a = fwd(act::Act::step, z);
  LayerStats s;
  probe_activation(act::Act::step, act::defaults(act::Act::step), z.data(), a.data(), batch, units, s);
  EXPECT_DOUBLE_EQ(s.dead_fraction, 1.0);
  EXPECT_DOUBLE_EQ(s.saturation_fraction, 1.0);
}

TEST(Probes, SaturatedSigmoidLayerReportsSaturation) {
  const std::size_t batch = 4, units = 5;
  std::vector<float> z(batch * units);
  // Columns 0 and 1 far in the tails (|f'| ~ 2e-9), the rest near 0.
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t u = 0; u < units; ++u) z[b * units + u] = u == 0 ? 20.f : (u == 1 ? -20.f : 0.3f * float(b));
  const auto a = fwd(act::Act::sigmoid, z);
  LayerStats s;
  probe_activation(act::Act::sigmoid, act::defaults(act::Act::sigmoid), z.data(), a.data(), batch, units, s);
  EXPECT_DOUBLE_EQ(s.saturation_fraction, 0.4);
  EXPECT_DOUBLE_EQ(s.dead_fraction, 0.0);  // saturated, but f' is not exactly 0
  // A whole layer pushed to +-20.
  for (auto& v : z) v = v >= 0 ? 20.f : -20.f;
  const auto c = fwd(act::Act::sigmoid, z);
  probe_activation(act::Act::sigmoid, act::defaults(act::Act::sigmoid), z.data(), c.data(), batch, units, s);
  EXPECT_DOUBLE_EQ(s.saturation_fraction, 1.0);
}

TEST(Probes, MomentsHistogramsAndNorms) {
  std::vector<float> z = {-1, 1, -1, 1, 3, 3};  // batch 3 x units 2
  const auto a = fwd(act::Act::identity, z);
  std::vector<float> dz = {3, 4, 0, 0, 0, 0}, dw = {1, 2, 2};
  const auto s = probe_layer("dense1", act::Act::identity, {}, z.data(), a.data(), dz.data(), dw.data(), 3, 3, 2);
  EXPECT_EQ(s.name, "dense1");
  EXPECT_DOUBLE_EQ(s.pre_mean, 1.0);
  EXPECT_NEAR(s.pre_std, std::sqrt((4 + 0 + 4 + 0 + 4 + 4) / 6.0), 1e-12);
  EXPECT_DOUBLE_EQ(s.post_mean, 1.0);
  EXPECT_DOUBLE_EQ(s.preact_grad_norm, 5.0);
  EXPECT_DOUBLE_EQ(s.weight_grad_norm, 3.0);
  ASSERT_EQ(s.pre_hist.size(), std::size_t(kHistBins));
  EXPECT_NEAR(std::accumulate(s.pre_hist.begin(), s.pre_hist.end(), 0.0), 1.0, 1e-12);
  // -1 -> bin 20 of [-6, 6) in 0.25 steps; 3 -> bin 36.
  EXPECT_NEAR(s.pre_hist[20], 2.0 / 6, 1e-12);
  EXPECT_NEAR(s.pre_hist[36], 2.0 / 6, 1e-12);
}

// Gradient norms reported by the probes equal the norms of finite-difference
// gradients of the loss on a tiny model (every weight perturbed).

TEST(Probes, WeightGradientNormsMatchFiniteDifferences) {
  nn::ModelSpec spec = nn::parse_model_spec("mlp:5,4", "tanh");
  nn::InputGeom g;
  g.features = 3;
  g.classes = 3;
  nn::Model m(spec, g, 7);
  data::Dataset d;
  d.rows = 6;
  d.features = 3;
  d.classes = 3;
  nn::Rng rng(11);
  for (std::size_t i = 0; i < d.rows * d.features; ++i) d.x.push_back(float(rng.normal()));
  for (std::size_t i = 0; i < d.rows; ++i) d.y.push_back(std::int32_t(i % 3));
  const auto stats = probe_model(m, d, d.rows);
  ASSERT_EQ(stats.size(), 3u);  // 2 hidden + output
  auto loss = [&] {
    const nn::Tensor& logits = m.forward(d.x.data(), std::int64_t(d.rows), nn::Ctx{});
    return nn::softmax_cross_entropy(logits, d.y.data(), nullptr);
  };
  // The weight matrices in forward order (biases and the like excluded).
  std::vector<nn::Tensor*> weights;
  for (auto& p : m.params())
    if (p.decay) weights.push_back(p.w);
  ASSERT_EQ(weights.size(), 3u);
  for (std::size_t l = 0; l < 3; ++l) {
    // Central differences in float32: eps = 1e-2 keeps the rounding error
    // (~6e-8 |loss| / eps) and the O(eps^2) truncation below 1e-4 for this
    // O(1) loss; the norm is then within 1% of the analytic one.
    double sq = 0;
    for (auto& w : weights[l]->v) {
      const float old = w;
      w = old + 1e-2f;
      const double lp = loss();
      w = old - 1e-2f;
      const double lm = loss();
      w = old;
      const double gfd = (lp - lm) / 2e-2;
      sq += gfd * gfd;
    }
    EXPECT_NEAR(stats[l].weight_grad_norm, std::sqrt(sq), 0.01 * std::sqrt(sq) + 1e-6) << "layer " << l;
    EXPECT_GT(stats[l].weight_grad_norm, 0);
  }
  EXPECT_EQ(stats[0].act, "tanh");
  EXPECT_EQ(stats[2].name, "output");
}
