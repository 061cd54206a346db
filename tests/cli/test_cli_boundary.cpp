// actlab boundary end to end on a tiny configuration.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/image_check.hpp"
#include "support/run_cli.hpp"

using actlab::test::run_actlab;
using actlab::test::sh_quote;
using actlab::test::slurp;

TEST(CliBoundary, WritesJsonAndImage) {
  const auto dir = actlab::test::scratch_dir("cli_boundary") / "b";
  auto r = run_actlab("boundary --acts identity,step,relu --data xor --rows 300 --epochs 5 --grid 30 --out " +
                          sh_quote(dir.string()),
                      "boundary");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(slurp(dir / "boundary.json"));
  ASSERT_EQ(j["runs"].size(), 3u);
  EXPECT_EQ(j["runs"][1]["act"], "step");
  for (auto& run : j["runs"]) EXPECT_TRUE(run.contains("test_acc"));
  const auto px = actlab::test::decode_png(slurp(dir / "boundary.png"));
  EXPECT_EQ(px.width, 1260u);
  EXPECT_GT(actlab::test::distinct_colours(px, 0, 0, px.width, px.height), 8u);
  EXPECT_TRUE(actlab::test::looks_like_svg(slurp(dir / "boundary.svg")));
}

TEST(CliBoundary, ImageDataIsAUsageError) {
  auto r = run_actlab("boundary --data fashion-mnist", "boundary_bad");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("2-D"), std::string::npos) << r.err;
}
