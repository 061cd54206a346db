// actlab train --head / --model linear / --init torch end to end: the head is
// stored in the checkpoint and used by evaluate; metrics carry the ECE; a bad
// --head is a usage error naming the flag and the choices.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "actlab/nn/loss.hpp"
#include "support/run_cli.hpp"

using actlab::test::run_actlab;
using actlab::test::scratch_dir;
using actlab::test::sh_quote;
namespace fs = std::filesystem;

namespace {

TEST(CliTrainHeads, SigmoidBceTrainsSavesAndEvaluates) {
  const auto dir = scratch_dir("cli_train_heads");
  const auto ck = (dir / "m.ck").string(), m = (dir / "m.json").string();
  auto r = run_actlab("train --data moons --model mlp:16 --head sigmoid_bce --epochs 2 --quiet --save " +
                          sh_quote(ck) + " --metrics " + sh_quote(m),
                      "train_heads");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(actlab::test::slurp(m));
  EXPECT_NE(j["model"].get<std::string>().find("head=sigmoid_bce"), std::string::npos) << j["model"];
  EXPECT_EQ(j["params"].get<int>(), 2 * 16 + 16 + 16 + 1) << "one output unit for 2 classes";
  ASSERT_EQ(j["epochs"].size(), 2u);
  const double ece = j["epochs"][1]["test_ece"], acc = j["epochs"][1]["test_acc"];
  EXPECT_GE(ece, 0.0);
  EXPECT_LE(ece, 1.0);
  EXPECT_GE(j["epochs"][1]["val_ece"].get<double>(), 0.0);
  auto e = run_actlab("evaluate --model-file " + sh_quote(ck), "evaluate_heads");
  ASSERT_EQ(e.rc, 0) << e.err;
  char want[64];
  std::snprintf(want, sizeof want, "test_acc=%.6f ", acc);
  EXPECT_EQ(e.out.rfind(want, 0), 0u) << e.out;
  EXPECT_NE(e.out.find("head=sigmoid_bce"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("test_ece="), std::string::npos) << e.out;
}

TEST(CliTrainHeads, LinearModelWithTorchInit) {
  auto r = run_actlab("train --data moons --model linear --init torch --head sigmoid_mse --epochs 1 --quiet",
                      "train_linear");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.rfind("epoch=1 ", 0), 0u) << r.out;
}

TEST(CliTrainHeads, BadHeadIsAUsageErrorNamingTheFlagAndChoices) {
  const auto dir = scratch_dir("cli_train_heads_bad");
  const auto m = (dir / "m.json").string();
  auto r = run_actlab("train --data moons --model mlp:16 --head bogus --epochs 1 --quiet --metrics " + sh_quote(m),
                      "train_heads_bad");
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_NE(r.err.find("--head"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bogus"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(actlab::nn::head_names()), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(m));
}

}  // namespace
