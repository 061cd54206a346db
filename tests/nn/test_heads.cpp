// Output heads (loss.hpp: Head, head_loss, head_probs, top_label) and the
// expected calibration error: finite-difference gradients of every head
// (K = 4 units and the one-unit K = 2 sigmoid), hand-computed values,
// PyTorch 1.13 values (tests/nn/fixtures/torch_heads.json from
// tools/torch_fixtures.py heads), ECE on constructed examples, whole-model
// gradients, training and checkpoints with a non-default head.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "actlab/lab/batch_source.hpp"
#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"
#include "actlab/nn/checkpoint.hpp"
#include "actlab/nn/loss.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/nn/train.hpp"
#include "gradcheck.hpp"

namespace actlab::nn {
namespace {

std::vector<Head> all_heads() {
  std::vector<Head> v;
  for (std::size_t i = 0; i < kNumHeads; ++i) v.push_back(static_cast<Head>(i));
  return v;
}
bool sigmoid_head(Head h) { return h == Head::sigmoid_bce || h == Head::sigmoid_mse; }

Tensor logits(std::int64_t n, std::int64_t u, std::vector<float> v) {
  Tensor t({n, u});
  t.v = std::move(v);
  return t;
}

TEST(Head, NamesRoundTripAndBadNamesNameTheFlag) {
  for (Head h : all_heads()) {
    EXPECT_EQ(parse_head(head_text(h)), h);
    EXPECT_NE(head_names().find(head_text(h)), std::string::npos);
  }
  try {
    parse_head("bogus");
    FAIL();
  } catch (const UsageError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("--head 'bogus'"), std::string::npos) << m;
    EXPECT_NE(m.find(head_names()), std::string::npos) << m;
  }
  EXPECT_EQ(head_units(Head::softmax_ce, 2), 2);
  EXPECT_EQ(head_units(Head::softmax_mse, 2), 2);
  EXPECT_EQ(head_units(Head::sigmoid_bce, 2), 1);
  EXPECT_EQ(head_units(Head::sigmoid_mse, 2), 1);
  EXPECT_EQ(head_units(Head::sigmoid_bce, 5), 5);
}

// Tolerance: the losses are computed in double from float32 logits, so the
// central difference carries no float32 rounding of the loss; its error is
// the O(eps^2) truncation plus the rounding of the perturbed logit itself
// (float(z + eps) - z differs from eps by up to ulp(|z| <= 8) / 2 = 5e-7,
// i.e. 5e-4 relative at eps = 1e-3), and the analytic gradient is rounded to
// float32 (6e-8 relative). rtol 2e-3 + atol 1e-6 bounds that; a wrong
// gradient (a missing s(1 - s) or softmax Jacobian term, a 1/N instead of
// 1/(N K)) is off by 25 % or more.
TEST(HeadGrad, EveryHeadMatchesFiniteDifferences) {
  for (Head h : all_heads()) {
    for (std::int64_t u : {4, 1}) {
      if (u == 1 && !sigmoid_head(h)) continue;
      Tensor z = test::random_tensor({6, u}, 40 + u, 2.f);
      const std::int64_t k = u == 1 ? 2 : u;
      std::vector<std::int32_t> y;
      for (int i = 0; i < 6; ++i) y.push_back(static_cast<std::int32_t>((i * 7 + 1) % k));
      Tensor dz;
      head_loss(h, z, y.data(), &dz);
      ASSERT_EQ(dz.shape, z.shape);
      test::check_grad(std::string(head_text(h)) + " units=" + std::to_string(u), z.data(), dz.v,
                       [&] { return head_loss(h, z, y.data(), nullptr); }, 1e-3, 30, 1e-6, 2e-3);
    }
  }
}

TEST(HeadLoss, SoftmaxCeIsSoftmaxCrossEntropyBitForBit) {
  Tensor z = test::random_tensor({9, 5}, 3, 4.f);
  std::vector<std::int32_t> y{0, 1, 2, 3, 4, 0, 1, 2, 3};
  Tensor d1, d2;
  std::size_t c1 = 0, c2 = 0;
  Calibration cal;
  const double l1 = softmax_cross_entropy(z, y.data(), &d1, &c1);
  const double l2 = head_loss(Head::softmax_ce, z, y.data(), &d2, &c2, &cal);
  EXPECT_EQ(l1, l2);
  EXPECT_EQ(d1.v, d2.v);
  EXPECT_EQ(c1, c2);
  EXPECT_EQ(cal.rows, 9u);
}

TEST(HeadLoss, HandComputedValues) {
  const std::vector<std::int32_t> y4{0, 1, 2, 3};
  const Tensor z0 = logits(4, 4, std::vector<float>(16, 0.f));
  EXPECT_NEAR(head_loss(Head::softmax_ce, z0, y4.data(), nullptr), std::log(4.0), 1e-15);
  EXPECT_NEAR(head_loss(Head::sigmoid_bce, z0, y4.data(), nullptr), std::log(2.0), 1e-15);
  EXPECT_NEAR(head_loss(Head::sigmoid_mse, z0, y4.data(), nullptr), 0.25, 1e-15);
  // softmax_mse, p = 1/4: per row (3/4)^2 + 3 (1/4)^2 = 3/4, mean over 4 values = 3/16.
  EXPECT_NEAR(head_loss(Head::softmax_mse, z0, y4.data(), nullptr), 0.1875, 1e-15);

  // One sigmoid unit (K = 2): t is the label.
  const std::int32_t one = 1, zero = 0;
  const Tensor z2 = logits(1, 1, {2.f});
  EXPECT_NEAR(head_loss(Head::sigmoid_bce, z2, &one, nullptr), std::log1p(std::exp(-2.0)), 1e-15);
  EXPECT_NEAR(head_loss(Head::sigmoid_bce, z2, &zero, nullptr), 2 + std::log1p(std::exp(-2.0)), 1e-15);
  // sigmoid(ln 3) = 3/4: MSE against 0 is 9/16, dL/dz = 2 p p (1 - p) = 9/32.
  const Tensor zl3 = logits(1, 1, {static_cast<float>(std::log(3.0))});
  Tensor d;
  EXPECT_NEAR(head_loss(Head::sigmoid_mse, zl3, &zero, &d), 0.5625, 1e-7);
  EXPECT_NEAR(d.v[0], 0.28125, 1e-7);
  // softmax_mse on (0, ln 3): p = (1/4, 3/4), y = 1: ((1/4)^2 + (1/4)^2) / 2 = 1/16;
  // g = (p - t) = (1/4, -1/4), sum g p = -1/8, dz = p (g + 1/8) = (3/32, -3/32).
  const Tensor zs = logits(1, 2, {0.f, static_cast<float>(std::log(3.0))});
  EXPECT_NEAR(head_loss(Head::softmax_mse, zs, &one, &d), 0.0625, 1e-7);
  EXPECT_NEAR(d.v[0], 0.09375, 1e-7);
  EXPECT_NEAR(d.v[1], -0.09375, 1e-7);

  // Prediction: one unit predicts class 1 iff z > 0 (p > 0.5; z = 0 is class 0).
  const Tensor zp = logits(3, 1, {0.1f, -0.1f, 0.f});
  const std::int32_t yp[3] = {1, 0, 0};
  std::size_t c = 0;
  head_loss(Head::sigmoid_bce, zp, yp, nullptr, &c);
  EXPECT_EQ(c, 3u);
  const std::int32_t bad = 2;  // one unit: K = 2, labels 0 and 1
  EXPECT_THROW(head_loss(Head::sigmoid_bce, z2, &bad, nullptr), DataError);
  const std::vector<std::int32_t> bad4{0, 1, 2, 4};
  for (Head h : all_heads()) EXPECT_THROW(head_loss(h, z0, bad4.data(), nullptr), DataError);
}

TEST(HeadLoss, StableForHugeLogits) {
  for (Head h : all_heads()) {
    const Tensor z = logits(2, 3, {1000.f, 0.f, -1000.f, -1000.f, 1000.f, 0.f});
    const std::int32_t y[2] = {2, 1};
    Tensor d;
    const double l = head_loss(h, z, y, &d);
    EXPECT_TRUE(std::isfinite(l)) << head_text(h);
    for (float v : d.v) EXPECT_TRUE(std::isfinite(v)) << head_text(h);
  }
  const Tensor z = logits(1, 1, {200.f});
  const std::int32_t zero = 0;
  EXPECT_NEAR(head_loss(Head::sigmoid_bce, z, &zero, nullptr), 200.0, 1e-12);
  EXPECT_NEAR(head_loss(Head::sigmoid_mse, z, &zero, nullptr), 1.0, 1e-12);
  // softmax_mse, p = (1, 0, 0) against class 1: (1 + 1) / 3.
  const Tensor zm = logits(1, 3, {1000.f, 0.f, 0.f});
  const std::int32_t one = 1;
  EXPECT_NEAR(head_loss(Head::softmax_mse, zm, &one, nullptr), 2.0 / 3.0, 1e-12);
}

nlohmann::json fixture(const std::string& name) {
  std::ifstream f(std::string(ACTLAB_SOURCE_DIR) + "/tests/nn/fixtures/" + name + ".json");
  EXPECT_TRUE(f.good()) << name << ": run /usr/bin/python3 tools/torch_fixtures.py heads";
  return nlohmann::json::parse(f);
}

// PyTorch computes in float64 from the same float32 logits, as head_loss
// does: the losses agree to double rounding (summation order: 1e-12
// relative); the gradients to one float32 rounding (6e-8 relative).
TEST(HeadLoss, MatchesPyTorch) {
  const auto fx = fixture("torch_heads");
  ASSERT_EQ(fx["cases"].size(), 6u);
  for (const auto& c : fx["cases"]) {
    const Head h = parse_head(c["head"]);
    const std::int64_t u = c["units"];
    const auto y = c["y"].get<std::vector<std::int32_t>>();
    const Tensor z = logits(static_cast<std::int64_t>(y.size()), u, c["logits"].get<std::vector<float>>());
    ASSERT_EQ(head_units(h, c["classes"]), u);
    Tensor d;
    const double l = head_loss(h, z, y.data(), &d);
    const double want = c["loss"];
    const std::string what = std::string(head_text(h)) + " units=" + std::to_string(u);
    EXPECT_NEAR(l, want, 1e-12 * std::fabs(want)) << what;
    const auto g = c["grad"].get<std::vector<double>>();
    ASSERT_EQ(g.size(), d.size());
    for (std::size_t i = 0; i < g.size(); ++i)
      EXPECT_NEAR(d.v[i], g[i], 1.2e-7 * std::fabs(g[i]) + 1e-12) << what << " [" << i << "]";
  }
}

TEST(Calibration, ConstructedExampleWithKnownEce) {
  // One sigmoid unit: three rows at p = 0.9 (predicted 1; labels 1, 1, 0) and
  // one at p = 0.3 (predicted 0, confidence 0.7, label 0).
  //   bin 13 (0.867, 0.933]: 3 rows, acc 2/3, conf 0.9 -> |2/3 - 0.9| = 7/30
  //   bin 10 (0.667, 0.733]: 1 row, acc 1, conf 0.7 -> 0.3
  //   ECE = 3/4 * 7/30 + 1/4 * 0.3 = 0.25
  const float a = static_cast<float>(std::log(9.0)), b = static_cast<float>(std::log(0.3 / 0.7));
  const Tensor z = logits(4, 1, {a, a, a, b});
  const std::int32_t y[4] = {1, 1, 0, 0};
  for (Head h : {Head::sigmoid_bce, Head::sigmoid_mse}) {
    Calibration cal;
    std::size_t c = 0;
    head_loss(h, z, y, nullptr, &c, &cal);
    EXPECT_EQ(c, 3u);
    EXPECT_NEAR(cal.ece(), 0.25, 1e-7) << head_text(h);
    EXPECT_EQ(cal.count[13], 3u);
    EXPECT_EQ(cal.count[10], 1u);
  }
  // Softmax with all-equal logits over 3 classes: confidence 1/3, predicted
  // class 0; one row in three correct: perfectly calibrated.
  const Tensor z3 = logits(3, 3, std::vector<float>(9, 0.f));
  const std::int32_t y3[3] = {0, 1, 2};
  for (Head h : {Head::softmax_ce, Head::softmax_mse}) {
    Calibration cal;
    head_loss(h, z3, y3, nullptr, nullptr, &cal);
    EXPECT_NEAR(cal.ece(), 0.0, 1e-15) << head_text(h);
    EXPECT_EQ(cal.count[4], 3u);  // 1/3 lies in (4/15, 5/15]
  }
  // K one-vs-rest sigmoids: the confidence is the largest sigmoid (0.8 for
  // z = ln 4), not renormalised; the row is wrong: ECE = 0.8.
  const Tensor zk = logits(1, 3, {static_cast<float>(std::log(4.0)), 0.f, -1.f});
  const std::int32_t yk = 1;
  Calibration ck;
  head_loss(Head::sigmoid_bce, zk, &yk, nullptr, nullptr, &ck);
  EXPECT_NEAR(ck.ece(), 0.8, 1e-7);
  // Bin edges: (b/15, (b+1)/15]; 0 in bin 0, 1 in bin 14.
  Calibration e;
  e.add(0.0, false);
  e.add(1.0, true);
  e.add(0.5, true);
  EXPECT_EQ(e.count[0], 1u);
  EXPECT_EQ(e.count[14], 1u);
  EXPECT_EQ(e.count[7], 1u);
  EXPECT_NEAR(e.ece(), (0 + 0 + 0.5) / 3, 1e-15);
  EXPECT_EQ(Calibration{}.ece(), 0.0);
  e.add(NAN, true);
  EXPECT_TRUE(std::isnan(e.ece()));
}

data::Split synthetic(const char* name, std::uint64_t seed = 1, double noise = 0.1) {
  data::LoadOptions o;
  o.seed = seed;
  o.noise = noise;
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

RunState fit(Model& m, const data::Split& s, int epochs, float lr = 0.01f) {
  OptConfig oc;
  oc.lr = lr;
  Optimizer opt(oc);
  Source src(s.train, 64, 1);
  TrainConfig cfg;
  cfg.epochs = epochs;
  RunState st;
  EXPECT_FALSE(train(m, opt, src, es(s.test), es(s.val), st, cfg).diverged);
  return st;
}

TEST(ModelHead, OutputUnitsFollowTheHead) {
  for (Head h : all_heads())
    for (int k : {2, 3}) {
      ModelSpec s = parse_model_spec("mlp:4", "tanh");
      s.head = h;
      Model m(s, {2, 0, 0, 0, k}, 1);
      const float x[2] = {0.5f, -1.f};
      EXPECT_EQ(m.forward(x, 1, Ctx{}).cols(), head_units(h, k)) << head_text(h) << " k=" << k;
      EXPECT_EQ(m.units(), head_units(h, k));
    }
}

// Whole-model gradients through every head (including the one-unit sigmoid):
// as check_model in test_model.cpp, loss ~1 and eps 1e-3.
TEST(ModelHead, WholeModelGradientsThroughEveryHead) {
  for (Head h : all_heads())
    for (int k : {2, 3}) {
      ModelSpec s = parse_model_spec("mlp:5,4", "tanh,gelu");
      s.head = h;
      Model m(s, {3, 0, 0, 0, k}, 5);
      Rng r(12);
      std::vector<float> x(6 * 3);
      for (auto& v : x) v = static_cast<float>(r.normal());
      std::vector<std::int32_t> y;
      for (int i = 0; i < 6; ++i) y.push_back(i % k);
      Tensor dz;
      head_loss(h, m.forward(x.data(), 6, Ctx{true}), y.data(), &dz);
      m.backward(dz);
      auto loss = [&] { return head_loss(h, m.forward(x.data(), 6, Ctx{true}), y.data(), nullptr); };
      for (auto& p : m.params()) {
        const std::vector<float> g = p.g->v;
        test::check_grad(std::string(head_text(h)) + " k=" + std::to_string(k) + " " + p.name,
                         p.w->data(), g, loss, 1e-3, 8, 2e-4, 2e-2);
      }
    }
}

TEST(ModelHead, SigmoidBceTrainsMoonsAndEvaluateAgreesWithHeadProbs) {
  const auto s = synthetic("moons");
  ModelSpec sp = parse_model_spec("mlp:16", "tanh");
  sp.head = Head::sigmoid_bce;
  Model m(sp, geom(s.train), 1);
  const RunState st = fit(m, s, 20);
  const auto& last = st.history.back();
  EXPECT_GE(last.test_acc, 0.95);
  EXPECT_GE(last.test_ece, 0.0);
  EXPECT_LE(last.test_ece, 0.2);
  EXPECT_GE(last.val_ece, 0.0);
  // evaluate (batches of 100) = ECE and accuracy recomputed from head_probs:
  // row max = confidence, arg-max = prediction.
  const EvalResult r = evaluate(m, es(s.test), 100);
  EXPECT_EQ(r.ece, last.test_ece);  // the same rows added in the same order
  Tensor p;
  head_probs(sp.head, m.forward(s.test.x.data(), static_cast<std::int64_t>(s.test.rows), Ctx{}), p);
  ASSERT_EQ(p.cols(), 2);
  Calibration cal;
  std::size_t ok = 0;
  for (std::size_t i = 0; i < s.test.rows; ++i) {
    const float* row = p.data() + i * 2;
    EXPECT_NEAR(row[0] + row[1], 1.f, 1e-6);
    const int pred = row[1] > row[0] ? 1 : 0;
    ok += pred == s.test.y[i];
    cal.add(std::max(row[0], row[1]), pred == s.test.y[i]);
  }
  EXPECT_NEAR(r.acc, static_cast<double>(ok) / s.test.rows, 1e-12);
  EXPECT_NEAR(r.ece, cal.ece(), 1e-6);  // float32 probabilities vs double confidences
}

std::vector<float> weights(Model& m) {
  std::vector<float> w;
  for (auto& p : m.params()) w.insert(w.end(), p.w->v.begin(), p.w->v.end());
  return w;
}

std::string tmp(const std::string& name) {
  std::filesystem::create_directories(ACTLAB_TEST_TMP);
  return (std::filesystem::path(ACTLAB_TEST_TMP) / name).string();
}

TEST(ModelHead, CheckpointRoundTripOfASigmoidBceModel) {
  const auto s = synthetic("moons", 2);
  ModelSpec sp = parse_model_spec("mlp:8", "relu");
  sp.head = Head::sigmoid_bce;
  Model m(sp, geom(s.train), 3);
  OptConfig oc;
  Optimizer opt(oc);
  Source src(s.train, 64, 3);
  TrainConfig cfg;
  cfg.epochs = 2;
  RunState st;
  train(m, opt, src, es(s.test), es(s.val), st, cfg);
  const std::string path = tmp("sigmoid_bce.ck");
  save_checkpoint(path, m, opt, st, 3);
  auto ck = load_checkpoint(path);
  EXPECT_EQ(ck.model->spec().head, Head::sigmoid_bce);
  EXPECT_EQ(ck.model->units(), 1);
  EXPECT_EQ(weights(m), weights(*ck.model));
  const auto a = evaluate(m, es(s.test)), b = evaluate(*ck.model, es(s.test));
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.acc, b.acc);
  EXPECT_EQ(a.ece, b.ece);
  ASSERT_EQ(ck.state.history.size(), 2u);
  EXPECT_EQ(ck.state.history[1].test_ece, st.history[1].test_ece);
  EXPECT_EQ(ck.state.history[1].val_ece, st.history[1].val_ece);
}

TEST(ModelHead, SpecTextStoresTheHeadAndOldTextsLoadAsSoftmaxCe) {
  ModelSpec sp = parse_model_spec("mlp:8,4", "relu");
  sp.head = Head::softmax_mse;
  const std::string t = to_text(sp);
  EXPECT_NE(t.find(" head=softmax_mse"), std::string::npos) << t;
  EXPECT_EQ(from_text(t).head, Head::softmax_mse);
  EXPECT_EQ(to_text(from_text(t)), t);
  // A text written before the field existed.
  const std::string old = "mlp:8,4 acts=relu batchnorm=0 layernorm=0 residual=0 dropout=0 init=recommended "
                          "prelu_per_channel=0";
  EXPECT_EQ(from_text(old).head, Head::softmax_ce);
  // A stored bad head is a data error naming the spec.
  try {
    from_text(old + " head=bogus");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("bogus"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("model spec"), std::string::npos) << e.what();
  }
}

// CRC-32 (zlib's polynomial), to forge a checkpoint with a valid checksum.
std::string with_crc(const std::string& body) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char ch : body) {
    c ^= ch;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  c ^= 0xFFFFFFFFu;
  std::string out = body;
  out.append(reinterpret_cast<const char*>(&c), 4);
  return out;
}

TEST(ModelHead, CheckpointWithoutEceOrHeadLoadsWithDefaults) {
  // A checkpoint as written before heads and ECE: no "head=" in the spec, no
  // test_ece / val_ece in the history.
  const auto s = synthetic("xor", 3);
  Model m(parse_model_spec("mlp:4", "tanh"), geom(s.train), 1);
  Optimizer opt(OptConfig{});
  RunState st;
  EpochRecord r;
  r.epoch = 1;
  r.test_ece = 0.125;
  st.history.push_back(r);
  st.epoch = 1;
  const std::string path = tmp("old_format.ck");
  save_checkpoint(path, m, opt, st, 1);
  std::ifstream f(path, std::ios::binary);
  std::string b{std::istreambuf_iterator<char>(f), {}};
  std::uint32_t mlen;
  std::memcpy(&mlen, b.data() + 12, 4);
  std::string meta = b.substr(16, mlen);
  const auto drop = [&](const std::string& needle) {  // one "key":value of every record
    const auto at = meta.find(needle);
    ASSERT_NE(at, std::string::npos) << needle << " in " << meta;
    auto end = at + needle.size();
    while (meta[end] != ',' && meta[end] != '}') ++end;
    if (meta[end] == ',') meta.erase(at, end + 1 - at);
    else meta.erase(at - 1, end - at + 1);  // the last key: drop the comma before it
  };
  drop("\"test_ece\":");
  drop("\"val_ece\":");
  const auto h = meta.find(" head=softmax_ce");
  ASSERT_NE(h, std::string::npos);
  meta.erase(h, std::string(" head=softmax_ce").size());
  const std::uint32_t nlen = static_cast<std::uint32_t>(meta.size());
  std::string body = b.substr(0, 12);
  body.append(reinterpret_cast<const char*>(&nlen), 4);
  body += meta + b.substr(16 + mlen, b.size() - 4 - 16 - mlen);
  { std::ofstream(path, std::ios::binary | std::ios::trunc) << with_crc(body); }
  auto ck = load_checkpoint(path);
  EXPECT_EQ(ck.model->spec().head, Head::softmax_ce);
  ASSERT_EQ(ck.state.history.size(), 1u);
  EXPECT_EQ(ck.state.history[0].test_ece, -1.0);
  EXPECT_EQ(ck.state.history[0].val_ece, -1.0);
}

// JSON has no NaN: a NaN evaluation metric is written as null and read back
// as NaN (it used to make the checkpoint unreadable).
TEST(ModelHead, CheckpointKeepsANaNMetric) {
  const auto s = synthetic("xor", 3);
  Model m(parse_model_spec("mlp:4", "tanh"), geom(s.train), 1);
  Optimizer opt(OptConfig{});
  RunState st;
  EpochRecord r;
  r.epoch = 1;
  r.test_loss = NAN;
  r.test_ece = NAN;
  st.history.push_back(r);
  const std::string path = tmp("nan_metric.ck");
  save_checkpoint(path, m, opt, st, 1);
  const auto ck = load_checkpoint(path);
  ASSERT_EQ(ck.state.history.size(), 1u);
  EXPECT_TRUE(std::isnan(ck.state.history[0].test_loss));
  EXPECT_TRUE(std::isnan(ck.state.history[0].test_ece));
  EXPECT_EQ(ck.state.history[0].val_ece, -1.0);
}

}  // namespace
}  // namespace actlab::nn
