// actlab gradflow end to end on a small configuration.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/image_check.hpp"
#include "support/run_cli.hpp"

using actlab::test::run_actlab;
using actlab::test::sh_quote;
using actlab::test::slurp;

TEST(CliGradflow, WritesJsonAndPlot) {
  const auto dir = actlab::test::scratch_dir("cli_gradflow") / "gf";
  auto r = run_actlab("gradflow --acts sigmoid,relu --depth 20 --steps 2 --data spiral --rows 256 --threads 1 "
                      "--out " + sh_quote(dir.string()), "gradflow");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("gradflow.json"), std::string::npos);
  const auto j = nlohmann::json::parse(slurp(dir / "gradflow.json"));
  EXPECT_EQ(j["config"]["depth"], 20);
  ASSERT_EQ(j["runs"].size(), 6u);  // 2 activations x 3 variants
  double sig = 0, relu = 0;
  for (auto& run : j["runs"]) {
    for (const char* k : {"act", "variant", "init", "first_layer_grad_init", "weight_grad_norm", "preact_grad_norm", "loss"})
      EXPECT_TRUE(run.contains(k)) << k;
    EXPECT_EQ(run["weight_grad_norm"].size(), 3u);
    EXPECT_EQ(run["weight_grad_norm"][0].size(), 21u);
    if (run["variant"] == "plain" && run["act"] == "sigmoid") sig = run["first_layer_grad_init"];
    if (run["variant"] == "plain" && run["act"] == "relu") relu = run["first_layer_grad_init"];
  }
  EXPECT_LE(sig * 100, relu);
  const auto info = actlab::test::png_info(slurp(dir / "gradflow.png"));
  EXPECT_TRUE(info.ok) << info.error;
  EXPECT_TRUE(actlab::test::looks_like_svg(slurp(dir / "gradflow.svg")));
}

TEST(CliGradflow, BadVariantIsAUsageError) {
  auto r = run_actlab("gradflow --variants plain,nope --data spiral", "gradflow_bad");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
}
