// The `linear` architecture (no hidden layer: logistic / softmax regression)
// and PyTorch's default initialisation (InitKind::torch).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "actlab/lab/batch_source.hpp"
#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"
#include "actlab/nn/checkpoint.hpp"
#include "actlab/nn/init.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/nn/train.hpp"

namespace actlab::nn {
namespace {

data::Split synthetic(const char* name, std::uint64_t seed = 1) {
  data::LoadOptions o;
  o.seed = seed;
  auto s = data::make_synthetic(name, o);
  data::normalise(s);
  return s;
}

InputGeom geom(const data::Dataset& d) {
  return {static_cast<std::int64_t>(d.features), 0, 0, 0, d.classes};
}
EvalSet es(const data::Dataset& d) { return {d.x.data(), d.y.data(), d.rows}; }

// The engine reads batches through the lab's adapter of data::Batcher.
using Source = actlab::lab::BatcherSource;

double fit_test_acc(const ModelSpec& sp, const data::Split& s, int epochs) {
  Model m(sp, geom(s.train), 1);
  OptConfig oc;
  oc.lr = 0.05f;
  Optimizer opt(oc);
  Source src(s.train, 64, 1);
  TrainConfig cfg;
  cfg.epochs = epochs;
  RunState st;
  EXPECT_FALSE(train(m, opt, src, es(s.test), es(s.val), st, cfg).diverged);
  return st.history.back().test_acc;
}

TEST(Linear, ParsesPrintsAndBuildsOneDenseLayer) {
  const ModelSpec s = parse_model_spec("linear");
  EXPECT_EQ(s.arch, "linear");
  EXPECT_TRUE(s.widths.empty());
  EXPECT_EQ(s.hidden_layers(), 0);
  const std::string t = to_text(s);
  EXPECT_EQ(t.rfind("linear acts=", 0), 0u) << t;
  EXPECT_EQ(to_text(from_text(t)), t);
  EXPECT_THROW(parse_model_spec("linear:4"), UsageError);
  EXPECT_THROW(parse_model_spec("linear", "relu,tanh"), UsageError);
  for (Head h : {Head::softmax_ce, Head::sigmoid_bce}) {
    ModelSpec sh = s;
    sh.head = h;
    Model m(sh, {5, 0, 0, 0, 2}, 1);
    ASSERT_EQ(m.top().size(), 1u);
    auto* d = dynamic_cast<Dense*>(m.top()[0].get());
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->W.shape, (Shape{5, head_units(h, 2)}));
    EXPECT_EQ(m.num_params(), static_cast<std::size_t>(6 * head_units(h, 2)));
    EXPECT_EQ(m.probes().size(), 1u);  // the output layer only
  }
  // Image data: the pixels straight to the output layer.
  Model img(s, {64, 1, 8, 8, 10}, 1);
  std::vector<float> x(2 * 64, 0.1f);
  EXPECT_EQ(img.forward(x.data(), 2, Ctx{}).shape, (Shape{2, 10}));
}

TEST(Linear, XorStaysNearChanceMoonsGetsWellAbove) {
  // XOR is not linearly separable: a linear classifier stays near 1/2
  // (its best split gets ~2/3 of one class's quadrants at most); moons is
  // ~87 % linearly separable (scikit-learn's logistic regression).
  for (Head h : {Head::softmax_ce, Head::sigmoid_bce}) {
    ModelSpec sp = parse_model_spec("linear");
    sp.head = h;
    EXPECT_LT(fit_test_acc(sp, synthetic("xor"), 15), 0.65) << head_text(h);
    EXPECT_GT(fit_test_acc(sp, synthetic("moons"), 15), 0.82) << head_text(h);
  }
}

TEST(Linear, CheckpointRoundTrip) {
  const auto s = synthetic("moons", 4);
  ModelSpec sp = parse_model_spec("linear");
  sp.head = Head::sigmoid_bce;
  sp.init = InitKind::torch;
  Model m(sp, geom(s.train), 2);
  Optimizer opt(OptConfig{});
  std::filesystem::create_directories(ACTLAB_TEST_TMP);
  const std::string path = (std::filesystem::path(ACTLAB_TEST_TMP) / "linear.ck").string();
  save_checkpoint(path, m, opt, RunState{}, 2);
  auto ck = load_checkpoint(path);
  EXPECT_EQ(to_text(ck.model->spec()), to_text(sp));
  EXPECT_EQ(evaluate(m, es(s.test)).loss, evaluate(*ck.model, es(s.test)).loss);
}

TEST(TorchInit, ParsesAndRoundTrips) {
  EXPECT_EQ(parse_init("torch"), InitKind::torch);
  EXPECT_STREQ(init_text(InitKind::torch), "torch");
  ModelSpec s = parse_model_spec("mlp:4", "relu");
  s.init = InitKind::torch;
  EXPECT_EQ(from_text(to_text(s)).init, InitKind::torch);
}

// Every weight and bias within +-1/sqrt(fan_in); the weight variance close to
// 1/(3 fan_in) (uniform on [-b, b]). The sample variance of n uniform draws
// has a relative standard error of sqrt(0.8 / n) (excess kurtosis -1.2):
// 2.8 % for n >= 1000, so a 12 % band is > 4 sigma, while He (2/fan_in) or
// Xavier would be off by a factor of 2 or more.
TEST(TorchInit, BoundsAndVarianceForDenseAndConv) {
  ModelSpec s = parse_model_spec("cnn:4,16,32", "relu");
  s.init = InitKind::torch;
  Model m(s, {144, 1, 12, 12, 10}, 3);
  int dense = 0, conv = 0;
  for (Layer* l : m.layers()) {
    Tensor *W = nullptr, *b = nullptr;
    std::size_t fan_in = 0;
    if (auto* d = dynamic_cast<Dense*>(l)) W = &d->W, b = &d->b, fan_in = d->W.dim(0), ++dense;
    else if (auto* c = dynamic_cast<Conv2D*>(l))
      W = &c->W, b = &c->b, fan_in = c->W.dim(1) * c->W.dim(2) * c->W.dim(3), ++conv;
    else continue;
    const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
    double m2 = 0;
    for (float w : W->v) {
      ASSERT_LE(std::fabs(w), bound) << l->kind();
      m2 += static_cast<double>(w) * w;
    }
    bool nonzero = false;
    for (float v : b->v) {
      ASSERT_LE(std::fabs(v), bound) << l->kind();
      nonzero |= v != 0.f;
    }
    EXPECT_TRUE(nonzero) << l->kind() << ": torch biases are drawn, not 0";
    if (W->size() >= 1000) {
      const double var = m2 / static_cast<double>(W->size()), want = 1.0 / (3.0 * fan_in);
      EXPECT_NEAR(var / want, 1.0, 0.12) << l->kind() << " fan_in " << fan_in << " n " << W->size();
    }
  }
  EXPECT_EQ(dense, 2);
  EXPECT_EQ(conv, 2);
}

TEST(TorchInit, OtherKindsKeepZeroBiases) {
  for (InitKind k : {InitKind::recommended, InitKind::xavier_uniform, InitKind::xavier_normal,
                     InitKind::he, InitKind::lecun, InitKind::auto_gain}) {
    ModelSpec s = parse_model_spec("mlp:8,8", "tanh");
    s.init = k;
    Model m(s, {3, 0, 0, 0, 3}, 1);
    for (auto& p : m.params()) {
      if (p.decay) continue;  // weights
      for (float v : p.w->v) ASSERT_EQ(v, 0.f) << init_text(k) << " " << p.name;
    }
  }
}

}  // namespace
}  // namespace actlab::nn
