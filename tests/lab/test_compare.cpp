// compare's orchestration with a fake trainer: summaries, ranking, files,
// resuming after a kill, and the generated readings.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "actlab/lab/compare.hpp"
#include "support/image_check.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using namespace actlab;
using namespace actlab::lab;
using actlab::test::slurp;

namespace {

nn::ActSpec spec(const char* n) {
  const act::Act a = *act::find(n);
  return {a, act::defaults(a)};
}

// What run_one would record for `spec`: accuracy grows by `rate` per epoch;
// relu loses units, sigmoid saturates.
RunRecord fake_run(const RunSpec& spec) {
  const nn::ActSpec& a = spec.model.acts.front();
  const std::uint64_t seed = spec.seed;
  RunRecord r;
  r.key = spec.key();
  r.hash = spec.hash();
  const bool sig = a.act == act::Act::sigmoid;
  const double rate = sig ? 0.1 : 0.2;
  for (int e = 0; e <= spec.epochs; ++e) {
    EpochProbe ep;
    ep.epoch = e;
    ep.test_acc = std::min(0.95, 0.1 + rate * e) + 0.01 * double(seed);
    ep.train_acc = ep.test_acc + 0.02;
    ep.test_loss = 2.0 / (1 + e);
    ep.train_loss = ep.test_loss;
    ep.seconds = e ? 1.5 : 0;
    ep.steps = std::uint64_t(e) * 10;
    for (int l = 0; l < 3; ++l) {
      LayerStats s;
      s.name = l == 2 ? "output" : "hidden" + std::to_string(l + 1);
      s.units = 10;
      s.weight_grad_norm = sig ? std::pow(10.0, l - 2) : 1.0;  // sigmoid: first layer 1/100 of last
      s.dead_fraction = a.act == act::Act::relu && l < 2 ? 0.2 : 0.0;
      s.saturation_fraction = sig && l < 2 ? 0.3 : 0.0;
      s.post_mean = sig ? 0.5 : 0.3;
      s.post_std = 0.5;
      s.pre_hist.assign(kHistBins, 1.0 / kHistBins);
      ep.layers.push_back(s);
    }
    r.epochs.push_back(ep);
  }
  return r;
}

CompareConfig config(const fs::path& out) {
  CompareConfig c;
  c.acts = {spec("relu"), spec("sigmoid"), spec("tanh")};
  c.seeds = 2;
  c.out = out.string();
  c.progress = false;
  c.jobs = 1;  // the fakes count their calls
  c.run.model = nn::parse_model_spec("mlp:128,64");
  c.run.epochs = 3;
  c.target_acc = 0.45;
  return c;
}

}  // namespace

TEST(Compare, SummariesRankingAndFiles) {
  const auto dir = actlab::test::scratch_dir("compare_fake");
  int calls = 0;
  auto o = run_compare(config(dir), [&](const RunSpec& s, const StepProgress&) {
    ++calls;
    return fake_run(s);
  });
  EXPECT_EQ(calls, 6);
  EXPECT_EQ(o.trained, 6);
  ASSERT_EQ(o.summaries.size(), 3u);
  const auto& relu = o.summaries[0];
  EXPECT_EQ(relu.act, "relu");
  EXPECT_NEAR(relu.final_test_acc.mean, 0.7 + 0.015, 1e-12);  // seeds 1 and 2: +0.01, +0.02
  EXPECT_NEAR(relu.final_test_acc.std, std::sqrt(0.00005), 1e-12);
  EXPECT_NEAR(relu.epochs_to_target.mean, 2.0, 1e-12);  // 0.1 + 0.2 e + 0.01 s >= 0.45 at e = 2
  EXPECT_NEAR(relu.seconds_to_target.mean, 3.0, 1e-12);
  EXPECT_NEAR(relu.dead_fraction.mean, 0.2, 1e-12);
  EXPECT_NEAR(relu.gen_gap.mean, 0.02, 1e-12);
  const auto& sig = o.summaries[1];
  EXPECT_NEAR(sig.grad_ratio_init.mean, 0.01, 1e-12);
  EXPECT_NEAR(sig.saturation_fraction.mean, 0.3, 1e-12);
  // sigmoid: 0.1 + 0.1 e + 0.01 s reaches 0.45 at e = 4 > 3 epochs: never.
  EXPECT_EQ(sig.epochs_to_target.n, 0);
  const auto order = ranking(o.summaries);
  EXPECT_EQ(o.summaries[order.back()].act, "sigmoid");
  for (const char* f : {"results.json", "results.csv", "report.md", "report.html", "curves.png", "accuracy.png",
                        "gradients.png", "dead_saturation.png", "distributions.png", "accuracy.svg"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  const auto j = nlohmann::json::parse(slurp(dir / "results.json"));
  for (const char* k : {"config", "acts", "summary", "ranking", "runs"}) EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["runs"].size(), 6u);
  for (const char* k : {"final_test_acc", "best_test_acc", "epochs_to_target", "seconds_to_target",
                        "generalisation_gap", "dead_fraction", "saturation_fraction", "grad_ratio_first_last_init",
                        "seconds_per_epoch"})
    EXPECT_TRUE(j["summary"][0].contains(k)) << k;
  EXPECT_EQ(j["ranking"][0], "relu");
  // CSV: header + one row per run x epoch x layer.
  const std::string csv = slurp(dir / "results.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 6 * 4 * 3);
  const std::string md = slurp(dir / "report.md");
  EXPECT_NE(md.find("vanishing gradient confirmed"), std::string::npos) << md;
  EXPECT_NE(md.find("ReLU units can die** — *confirmed*"), std::string::npos) << md;
}

TEST(Compare, KilledCompareResumesWithoutRedoingFinishedRuns) {
  const auto dir = actlab::test::scratch_dir("compare_resume");
  int calls = 0;
  struct Killed {};
  EXPECT_THROW(run_compare(config(dir),
                           [&](const RunSpec& s, const StepProgress&) {
                             if (++calls == 4) throw Killed{};
                             return fake_run(s);
                           }),
               Killed);
  // Three finished runs are on disk, nothing half-written.
  std::size_t files = 0;
  for (auto& e : fs::directory_iterator(dir / "runs")) {
    ++files;
    EXPECT_EQ(e.path().extension(), ".json") << e.path();
  }
  EXPECT_EQ(files, 3u);
  calls = 0;
  auto o = run_compare(config(dir), [&](const RunSpec& s, const StepProgress&) {
    ++calls;
    return fake_run(s);
  });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(o.reused, 3);
  EXPECT_EQ(o.trained, 3);
  // Same arguments again: everything reused. Another config: nothing reused.
  o = run_compare(config(dir), [&](const RunSpec& s, const StepProgress&) { return fake_run(s); });
  EXPECT_EQ(o.reused, 6);
  auto c = config(dir);
  c.run.opt.lr = 0.5f;
  o = run_compare(c, [&](const RunSpec& s, const StepProgress&) { return fake_run(s); });
  EXPECT_EQ(o.reused, 0);
}

TEST(Compare, DivergedRunsAreKeptAndMarked) {
  const auto dir = actlab::test::scratch_dir("compare_diverged");
  auto c = config(dir);
  c.seeds = 1;
  auto o = run_compare(c, [&](const RunSpec& s, const StepProgress&) {
    RunRecord r = fake_run(s);
    if (s.model.acts.front().act == act::Act::tanh) {
      r.diverged = true;
      r.note = "loss became non-finite in epoch 2";
      r.epochs.resize(2);
    }
    return r;
  });
  const auto j = nlohmann::json::parse(slurp(dir / "results.json"));
  bool found = false;
  for (auto& r : j["runs"])
    if (r["act"] == "tanh") {
      found = true;
      EXPECT_TRUE(r["diverged"].get<bool>());
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(o.summaries[2].diverged, 1);
  EXPECT_EQ(j["ranking"].back(), "tanh");
}

TEST(Compare, RunsAreCachedUnderTheHashOfTheirRunSpec) {
  const auto dir = actlab::test::scratch_dir("compare_cache_names");
  auto c = config(dir);
  c.acts = {spec("relu"), nn::parse_act_spec("leaky_relu(negative_slope=0.2)")};
  const auto specs = compare_specs(c);
  ASSERT_EQ(specs.size(), 4u);
  // Activation-major, seeds 1..2, the activation travelling as the value.
  EXPECT_EQ(specs[2].model.acts.size(), 1u);
  EXPECT_EQ(specs[2].model.acts[0].act, act::Act::leaky_relu);
  EXPECT_FLOAT_EQ(specs[2].model.acts[0].params.v[0], 0.2f);
  EXPECT_EQ(specs[2].seed, 1u);
  EXPECT_EQ(specs[3].seed, 2u);
  const auto o = run_compare(c, [&](const RunSpec& s, const StepProgress&) { return fake_run(s); });
  ASSERT_EQ(o.runs.size(), 4u);
  EXPECT_EQ(o.runs[2].act, "leaky_relu(negative_slope=0.2)");
  std::set<std::string> expect, found;
  for (const auto& s : specs) expect.insert(s.hash() + ".json");
  for (auto& e : fs::directory_iterator(dir / "runs")) found.insert(e.path().filename().string());
  EXPECT_EQ(found, expect);
  const auto j = nlohmann::json::parse(slurp(dir / "results.json"));
  EXPECT_EQ(j["runs"][2]["key"], specs[2].key());
  EXPECT_EQ(j["runs"][2]["seed"], 1);
}
