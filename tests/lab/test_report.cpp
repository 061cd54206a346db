// The report writer: Markdown and self-contained HTML, and the HTML really
// renders (table and plot) in headless Chromium.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "actlab/core/error.hpp"
#include "actlab/lab/curves.hpp"
#include "actlab/lab/plot.hpp"
#include "actlab/lab/report.hpp"
#include "support/image_check.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using namespace actlab;
using namespace actlab::lab;
using actlab::test::slurp;

namespace {

Report sample_report(const fs::path& dir) {
  const std::string png = (dir / "curves.png").string();
  save_figure(curves_figure({{act::Act::relu, act::defaults(act::Act::relu), ""},
                             {act::Act::tanh, act::defaults(act::Act::tanh), ""},
                             {act::Act::sigmoid, act::defaults(act::Act::sigmoid), ""}},
                            -5, 5),
              png);
  Report r;
  r.title = "actlab test report <&>";
  r.intro = {"A report written by the test suite."};
  ReportSection s;
  s.heading = "Ranking";
  ReportTable t;
  t.caption = "Final test accuracy";
  t.header = {"rank", "activation", "test acc", "gap"};
  const char* names[] = {"relu", "gelu", "tanh", "sigmoid", "step", "identity"};
  for (int i = 0; i < 6; ++i)
    t.rows.push_back({std::to_string(i + 1), names[i], std::to_string(0.9 - 0.05 * i), "0.01 | x"});
  t.highlight = {true, false, false, false, false, false};
  s.tables.push_back(t);
  s.readings.push_back({"sigmoid gradients vanish", "confirmed", "first-layer gradient 1/340 of last layer"});
  s.figures.push_back({"curves", png, ""});
  r.sections.push_back(s);
  return r;
}

}  // namespace

TEST(Report, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\xff\x00\x80", 3)), "/wCA");
}

TEST(Report, MarkdownAndHtmlCarryTableReadingAndEmbeddedPlot) {
  const auto dir = actlab::test::scratch_dir("report_files");
  const Report r = sample_report(dir);
  write_report(r, dir.string());
  const std::string md = slurp(dir / "report.md");
  EXPECT_NE(md.find("| rank | activation | test acc | gap |"), std::string::npos) << md;
  EXPECT_NE(md.find("0.01 \\| x"), std::string::npos);  // pipes escaped inside cells
  EXPECT_NE(md.find("](curves.png)"), std::string::npos);  // relative path
  EXPECT_NE(md.find("**sigmoid gradients vanish**"), std::string::npos);
  const std::string html = slurp(dir / "report.html");
  EXPECT_NE(html.find("<table>"), std::string::npos);
  EXPECT_NE(html.find("actlab test report &lt;&amp;&gt;"), std::string::npos);
  EXPECT_NE(html.find("data:image/png;base64," + base64(slurp(dir / "curves.png"))), std::string::npos);
  // Self-contained: no external references at all.
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("curves.png\""), std::string::npos);
}

TEST(Report, MissingFigureIsADataErrorAndWritesNothing) {
  const auto dir = actlab::test::scratch_dir("report_missing");
  Report r;
  r.title = "x";
  r.sections.push_back({"s", {}, {}, {}, {{"gone", (dir / "gone.png").string(), ""}}});
  EXPECT_THROW(write_report(r, dir.string()), DataError);
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(Report, HtmlRendersTableAndPlotInHeadlessChromium) {
  const char* chromium = "/usr/bin/chromium";
  if (!fs::exists(chromium)) GTEST_SKIP() << "chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)";
  const auto dir = actlab::test::scratch_dir("report_chromium");
  write_report(sample_report(dir), dir.string());
  // Only the HTML goes to the browser: the PNG next to it is removed to
  // prove the page does not need it (embedded data URI).
  fs::remove(dir / "curves.png");
  const auto shot = dir / "shot.png";
  const std::string cmd = std::string("timeout 120 ") + chromium +
                          " --headless --no-sandbox --disable-gpu --disable-background-networking"
                          " --disable-component-update --disable-sync --no-first-run --user-data-dir=" +
                          actlab::test::sh_quote((dir / "profile").string()) +
                          " --screenshot=" + actlab::test::sh_quote(shot.string()) +
                          " --window-size=1200,1100 " + actlab::test::sh_quote("file://" + (dir / "report.html").string()) +
                          " >" + actlab::test::sh_quote((dir / "chromium.log").string()) + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(dir / "chromium.log");
  const auto px = actlab::test::decode_png(slurp(shot));
  ASSERT_EQ(px.width, 1200u);
  // The table header (#1f4e79 cells) forms a band many pixels tall; the h1
  // underline in the same colour is only 3 px, so count rows, not pixels.
  int header_rows = 0, stripe_rows = 0;
  std::size_t plot_blue = 0, plot_orange = 0;
  auto near = [](std::uint32_t c, int r, int g, int b) {
    return std::abs(int(c >> 16) - r) <= 8 && std::abs(int((c >> 8) & 255) - g) <= 8 && std::abs(int(c & 255) - b) <= 8;
  };
  for (std::uint32_t y = 0; y < px.height; ++y) {
    int hdr = 0, stripe = 0;
    for (std::uint32_t x = 0; x < px.width; ++x) {
      const std::uint32_t c = px.at(x, y);
      hdr += c == 0x1f4e79;
      stripe += c == 0xf1f4f8;
      plot_blue += near(c, 31, 119, 180);
      plot_orange += near(c, 255, 127, 14);
    }
    header_rows += hdr > 150;
    stripe_rows += stripe > 150;
  }
  EXPECT_GE(header_rows, 15) << "table header not visible in " << shot;
  EXPECT_GE(stripe_rows, 30) << "striped table rows not visible in " << shot;
  // The embedded plot's relu (blue) and tanh (orange) curves and legend.
  EXPECT_GT(plot_blue, 300u) << "plot not visible in " << shot;
  EXPECT_GT(plot_orange, 300u) << "plot not visible in " << shot;
}
