// actlab plot: happy paths (PNG and SVG) and every bad-input case leaves no file.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/image_check.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using actlab::test::run_actlab;
using actlab::test::sh_quote;
using actlab::test::slurp;

TEST(CliPlot, WritesPngWithTwoPanels) {
  const auto dir = actlab::test::scratch_dir("cli_plot_png");
  const auto out = dir / "curves.png";
  auto r = run_actlab("plot relu,tanh,gelu,elu:alpha=0.5,softmax --range -4,4 --out " + sh_quote(out.string()),
                      "plot_png");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("curves.png"), std::string::npos);
  const auto px = actlab::test::decode_png(slurp(out));
  EXPECT_EQ(px.width, 1000u);
  EXPECT_EQ(px.height, 420u);
  // Both halves (f and f') hold drawn curves in several colours.
  EXPECT_GT(actlab::test::distinct_colours(px, 0, 0, px.width / 2, px.height), 20u);
  EXPECT_GT(actlab::test::distinct_colours(px, px.width / 2, 0, px.width, px.height), 20u);
}

TEST(CliPlot, WritesSvgWithParam) {
  const auto dir = actlab::test::scratch_dir("cli_plot_svg");
  const auto out = dir / "leaky.svg";
  auto r = run_actlab("plot leaky_relu,prelu --param negative_slope=0.2 --out " + sh_quote(out.string()),
                      "plot_svg");
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string s = slurp(out);
  std::string why;
  EXPECT_TRUE(actlab::test::looks_like_svg(s, &why)) << why;
}

TEST(CliPlot, BadInputsExitWithClearMessagesAndNoFile) {
  const auto dir = actlab::test::scratch_dir("cli_plot_bad");
  const std::string png = sh_quote((dir / "x.png").string());
  struct Case {
    std::string args;
    int rc;
    std::string needle;
  } cases[] = {
      {"plot nosuch --out " + png, 2, "nosuch"},
      {"plot relu --out " + sh_quote((dir / "x.jpg").string()), 2, ".jpg"},
      {"plot relu --range 3,1 --out " + png, 2, "--range"},
      {"plot relu --range a,b --out " + png, 2, "--range"},
      {"plot relu --param alpha=2 --out " + png, 2, "alpha=2"},
      {"plot elu:alpha=-1 --out " + png, 2, "alpha"},
      {"plot relu", 2, "--out"},
      {"plot relu --out " + sh_quote((dir / "missing" / "x.png").string()), 1, "missing"},
  };
  for (const auto& c : cases) {
    auto r = run_actlab(c.args, "plot_bad");
    EXPECT_EQ(r.rc, c.rc) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.needle), std::string::npos) << c.args << "\n" << r.err;
  }
  EXPECT_TRUE(fs::is_empty(dir));
}
