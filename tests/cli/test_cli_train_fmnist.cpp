// A short real run: the MLP 784-256-128-100-10 (ReLU, Adam 1e-3, batch 128)
// reaches >= 85% test accuracy on Fashion-MNIST in 2 epochs (about 5 s on
// one thread). Needs Debian's dataset-fashion-mnist (scripts/setup.sh).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"

TEST(CliTrainFashionMnist, MlpReaches85PercentIn2Epochs) {
  const auto dir = actlab::test::scratch_dir("cli_train_fmnist");
  const auto m = (dir / "m.json").string();
  auto r = actlab::test::run_actlab(
      "train --data fashion-mnist --model mlp:256,128,100 --act relu --optimizer adam --lr 1e-3 "
      "--batch 128 --epochs 2 --threads 1 --quiet --metrics " + actlab::test::sh_quote(m),
      "fmnist");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(actlab::test::slurp(m));
  ASSERT_EQ(j["epochs"].size(), 2u);
  EXPECT_GE(j["epochs"][1]["test_acc"].get<double>(), 0.85) << r.out;
}
