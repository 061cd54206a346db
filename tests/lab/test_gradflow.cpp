// Gradient flow through depth: the claims the gradflow experiment exists for.
#include <gtest/gtest.h>

#include <cmath>

#include "actlab/core/error.hpp"
#include "actlab/lab/gradflow.hpp"

using namespace actlab;
using namespace actlab::lab;

namespace {

nn::ActSpec spec(const char* n) {
  const act::Act a = *act::find(n);
  return {a, act::defaults(a)};
}

const GradflowRun& find(const std::vector<GradflowRun>& rs, const std::string& act, const std::string& variant) {
  for (const auto& r : rs)
    if (r.act == act && r.variant == variant) return r;
  throw std::runtime_error("missing run " + act + "/" + variant);
}

GradflowConfig tiny_config() {
  nn::set_num_threads(1);  // a shared machine: spinning OpenMP threads slow small GEMMs down
  GradflowConfig c;
  c.acts = {spec("sigmoid"), spec("relu")};
  c.depth = 20;
  c.width = 64;
  c.steps = 2;
  c.run.data.name = "spiral";
  c.run.data.synthetic_rows = 256;
  c.run.batch = 128;
  return c;
}

}  // namespace

TEST(Gradflow, SigmoidFirstLayerGradientIs100xSmallerThanReluAtDepth20) {
  const GradflowConfig c = tiny_config();
  const auto split = load_run_data(c.run.data);
  const auto runs = run_gradflow(c, split);
  const auto& sig = find(runs, "sigmoid", "plain");
  const auto& relu = find(runs, "relu", "plain");
  EXPECT_EQ(sig.init, "xavier_uniform");
  EXPECT_EQ(relu.init, "he");
  ASSERT_EQ(sig.weight_grad.size(), 3u);          // init + 2 steps
  ASSERT_EQ(sig.weight_grad.front().size(), 21u);  // 20 hidden + output
  ASSERT_EQ(sig.loss.size(), 3u);                  // the loss of each measured step's batch
  for (double l : sig.loss) EXPECT_NEAR(l, std::log(3.0), 0.5) << "3 classes, barely trained";
  EXPECT_TRUE(sig.note.empty()) << sig.note;
  const double gs = sig.weight_grad.front().front(), gr = relu.weight_grad.front().front();
  EXPECT_GT(gr, 0);
  EXPECT_LE(gs * 100, gr) << "sigmoid " << gs << " vs relu " << gr;
  // Sigmoid's gradient shrinks layer by layer towards the input.
  const auto& g = sig.weight_grad.front();
  EXPECT_LT(g[0], g[10]);
  EXPECT_LT(g[10], g[19]);
}

TEST(Gradflow, BatchNormAndSkipConnectionsRestoreSigmoidGradients) {
  GradflowConfig c = tiny_config();
  c.acts = {spec("sigmoid")};
  c.steps = 0;
  const auto split = load_run_data(c.run.data);
  const auto runs = run_gradflow(c, split);
  const double plain = find(runs, "sigmoid", "plain").weight_grad[0][0];
  const double bn = find(runs, "sigmoid", "batchnorm").weight_grad[0][0];
  const double res = find(runs, "sigmoid", "residual").weight_grad[0][0];
  EXPECT_GT(bn, 100 * plain) << bn << " vs " << plain;
  EXPECT_GT(res, 100 * plain) << res << " vs " << plain;
}

TEST(Gradflow, UnknownVariantIsAUsageError) {
  GradflowConfig c = tiny_config();
  c.variants = {"plain", "dropout"};
  const auto split = load_run_data(c.run.data);
  EXPECT_THROW(run_gradflow(c, split), UsageError);
}
