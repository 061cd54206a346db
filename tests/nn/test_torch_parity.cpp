// Parity with PyTorch 1.13 on identical weights and inputs: logits, loss,
// every parameter gradient (and BatchNorm running statistics) of a small MLP,
// an MLP with BatchNorm + PReLU and a small CNN; and the MLP's parameters
// after 3 steps of AdamW, Adam (L2), RMSprop and SGD-Nesterov. Fixtures: tools/torch_fixtures.py.
//
// Tolerance: both sides compute in float32 but sum in different orders
// (oneDNN vs MKL-DNN/ATen blocking; our loss and BN statistics accumulate in
// double), so values agree to a few float32 ulps of the largest term:
// |a - b| <= 1e-5 + 1e-4 |b|. A wrong gradient (missing factor, transposed
// weight, wrong BN term) is off by > 1e-2.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "actlab/nn/loss.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/nn/optim.hpp"

namespace actlab::nn {
namespace {

nlohmann::json fixture(const std::string& name) {
  std::ifstream f(std::string(ACTLAB_SOURCE_DIR) + "/tests/nn/fixtures/" + name + ".json");
  EXPECT_TRUE(f.good()) << name << ": run /usr/bin/python3 tools/torch_fixtures.py";
  return nlohmann::json::parse(f);
}

void expect_close(const std::string& what, const float* a, const std::vector<float>& b) {
  int bad = 0;
  for (std::size_t i = 0; i < b.size(); ++i)
    if (!(std::fabs(a[i] - b[i]) <= 1e-5 + 1e-4 * std::fabs(b[i])) && ++bad <= 3)
      ADD_FAILURE() << what << "[" << i << "]: actlab " << a[i] << " vs torch " << b[i];
  EXPECT_EQ(bad, 0) << what;
}

// PyTorch layout -> actlab layout: nn.Linear stores [out, in], Dense [in, out].
std::vector<float> to_ours(const Param& p, const std::vector<float>& v) {
  if (p.name.find("dense.W") == std::string::npos) return v;
  const auto in = p.w->dim(0), out = p.w->dim(1);
  std::vector<float> t(v.size());
  for (std::int64_t i = 0; i < in; ++i)
    for (std::int64_t j = 0; j < out; ++j) t[i * out + j] = v[j * in + i];
  return t;
}

struct Loaded {
  std::unique_ptr<Model> m;
  nlohmann::json fx;
};

Loaded load(const std::string& name, bool batchnorm = false) {
  Loaded l;
  l.fx = fixture(name);
  ModelSpec s = parse_model_spec(l.fx["spec"], l.fx["acts"]);
  s.batchnorm = batchnorm;
  const auto g = l.fx["geom"];
  l.m = std::make_unique<Model>(s, InputGeom{g[0], g[1], g[2], g[3], g[4]}, 1);
  auto ps = l.m->params();
  EXPECT_EQ(ps.size(), l.fx["params"].size());
  for (std::size_t k = 0; k < ps.size(); ++k) {
    const auto v = to_ours(ps[k], l.fx["params"][k]["value"].get<std::vector<float>>());
    EXPECT_EQ(v.size(), ps[k].w->size()) << ps[k].name;
    std::copy(v.begin(), v.end(), ps[k].w->v.begin());
  }
  return l;
}

void check_forward_backward(const std::string& name, bool batchnorm = false) {
  auto l = load(name, batchnorm);
  const auto x = l.fx["x"].get<std::vector<float>>();
  const auto y = l.fx["y"].get<std::vector<std::int32_t>>();
  const Tensor& z = l.m->forward(x.data(), static_cast<std::int64_t>(y.size()), Ctx{true});
  expect_close(name + " logits", z.data(), l.fx["logits"].get<std::vector<float>>());
  Tensor dz;
  const double loss = softmax_cross_entropy(z, y.data(), &dz);
  EXPECT_NEAR(loss, l.fx["loss"].get<double>(), 1e-5 * std::fabs(loss)) << name;
  l.m->backward(dz);
  auto ps = l.m->params();
  for (std::size_t k = 0; k < ps.size(); ++k)
    expect_close(name + " grad " + ps[k].name + " (torch " + l.fx["params"][k]["name"].get<std::string>() + ")",
                 ps[k].g->data(), to_ours(ps[k], l.fx["params"][k]["grad"].get<std::vector<float>>()));
  auto bs = l.m->buffers();
  ASSERT_EQ(bs.size(), l.fx["buffers_after"].size());
  for (std::size_t k = 0; k < bs.size(); ++k)
    expect_close(name + " " + bs[k].first, bs[k].second->data(),
                 l.fx["buffers_after"][k]["value"].get<std::vector<float>>());
}

TEST(TorchParity, Mlp) { check_forward_backward("torch_mlp"); }
TEST(TorchParity, MlpBatchNormPReLU) { check_forward_backward("torch_mlp_bn_prelu", true); }
TEST(TorchParity, Cnn) { check_forward_backward("torch_cnn"); }

TEST(TorchParity, OptimizerSteps) {
  for (const std::string oname : {"adamw", "sgd_nesterov", "adam", "rmsprop"}) {
    auto l = load("torch_mlp");
    OptConfig c;
    c.weight_decay = 0.1f;
    if (oname == "adamw" || oname == "adam" || oname == "rmsprop") {
      c.name = oname;
      c.lr = 0.01f;
    } else {
      c.name = "sgd";
      c.lr = 0.05f;
      c.momentum = 0.9f;
      c.nesterov = true;
    }
    Optimizer opt(c);
    const auto x = l.fx["x"].get<std::vector<float>>();
    const auto y = l.fx["y"].get<std::vector<std::int32_t>>();
    auto ps = l.m->params();
    for (int s = 0; s < 3; ++s) {
      const Tensor& z = l.m->forward(x.data(), static_cast<std::int64_t>(y.size()), Ctx{true});
      Tensor dz;
      softmax_cross_entropy(z, y.data(), &dz);
      l.m->backward(dz);
      opt.step(ps, c.lr);
    }
    const auto& want = l.fx["after_" + oname];
    for (std::size_t k = 0; k < ps.size(); ++k)
      expect_close(oname + " " + ps[k].name, ps[k].w->data(), to_ours(ps[k], want[k].get<std::vector<float>>()));
  }
}

}  // namespace
}  // namespace actlab::nn
