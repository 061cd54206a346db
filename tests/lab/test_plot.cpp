// The figure module writes real, non-blank PNG and SVG images, atomically,
// and rejects bad requests without leaving files behind.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <thread>

#include "actlab/core/error.hpp"
#include "actlab/lab/plot.hpp"
#include "support/image_check.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using namespace actlab;
using namespace actlab::lab;
using actlab::test::slurp;

namespace {

Figure line_figure() {
  LinePanel p;
  p.title = "sin and cos";
  p.xlabel = "x";
  p.ylabel = "f(x)";
  for (int k = 0; k < 2; ++k) {
    Series s;
    s.label = k ? "cos #1" : "sin";
    s.dashed = k == 1;
    for (int i = 0; i <= 100; ++i) {
      const double x = i * 0.1;
      s.x.push_back(x);
      s.y.push_back(k ? std::cos(x) : std::sin(x));
      s.band_lo.push_back(s.y.back() - 0.2);
      s.band_hi.push_back(s.y.back() + 0.2);
    }
    p.series.push_back(s);
  }
  LinePanel q = p;
  q.title = "log";
  q.log_y = true;
  for (auto& s : q.series)
    for (auto* v : {&s.y, &s.band_lo, &s.band_hi})
      for (auto& y : *v) y = std::exp(y * 3);
  Figure f;
  f.title = "test figure";
  f.panels = {p, q};
  f.cols = 2;
  f.width = 640;
  f.height = 320;
  return f;
}

Figure heat_figure(int classes) {
  HeatPanel h;
  h.title = classes ? "regions" : "fractions";
  h.nx = 20;
  h.ny = 10;
  for (int iy = 0; iy < h.ny; ++iy)
    for (int ix = 0; ix < h.nx; ++ix)
      h.z.push_back(classes ? ((ix + iy) / 6) % classes : ix * 0.05 + iy * 0.01);
  h.classes = classes;
  h.colorbar_label = "fraction";
  if (classes) {
    h.points.x = {0.1, 0.5, 0.9};
    h.points.y = {0.2, 0.5, 0.8};
    h.points.cls = {0, 1, 2};
  } else {
    for (int i = 0; i < h.nx; ++i) h.xticks.push_back(std::to_string(i));
    for (int i = 0; i < h.ny; ++i) h.yticks.push_back("act" + std::to_string(i));
  }
  BarPanel b;
  b.title = "bars";
  b.categories = {"a", "b", "c"};
  b.groups = {{"g1", {1, 2, 3}, {0.1, 0.2, 0.3}}, {"g2", {2, 1, 0.5}, {}}};
  Figure f;
  f.panels = {h, b};
  f.cols = 2;
  f.width = 500;
  f.height = 250;
  return f;
}

}  // namespace

TEST(Plot, PngHasSignatureDimensionsAndDrawnPixels) {
  const auto dir = actlab::test::scratch_dir("plot_png");
  const auto path = dir / "f.png";
  save_figure(line_figure(), path.string());
  const std::string bytes = slurp(path);
  auto info = actlab::test::png_info(bytes);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.width, 640u);
  EXPECT_EQ(info.height, 320u);
  auto px = actlab::test::decode_png(bytes);
  // Background is white; lines, bands, text and the palette colours must
  // give many colours and a fair share of non-white pixels.
  EXPECT_GT(actlab::test::distinct_colours(px, 0, 0, px.width, px.height), 20u);
  const double ink = actlab::test::non_background(px, 0xffffff, 0, 0, px.width, px.height);
  EXPECT_GT(ink, 0.03);
  EXPECT_LT(ink, 0.9);
  // Nothing else left in the directory (no temporary files).
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
}

TEST(Plot, SvgIsXmlWithPaths) {
  const auto dir = actlab::test::scratch_dir("plot_svg");
  const auto path = dir / "f.svg";
  save_figure(line_figure(), path.string());
  const std::string s = slurp(path);
  std::string why;
  EXPECT_TRUE(actlab::test::looks_like_svg(s, &why)) << why;
  EXPECT_NE(s.find("<?xml"), std::string::npos);
}

TEST(Plot, HeatMapsAndBarsRender) {
  const auto dir = actlab::test::scratch_dir("plot_heat");
  for (int classes : {0, 3}) {
    const auto path = dir / ("h" + std::to_string(classes) + ".png");
    save_figure(heat_figure(classes), path.string());
    const std::string bytes = slurp(path);
    auto px = actlab::test::decode_png(bytes);
    EXPECT_EQ(px.width, 500u);
    // The middle of the left panel holds the image: coloured, not white.
    EXPECT_GT(actlab::test::non_background(px, 0xffffff, px.width * 3 / 20, px.height / 4, px.width / 4,
                                           px.height * 3 / 4),
              0.95);
    EXPECT_GE(actlab::test::distinct_colours(px, 0, 0, px.width / 2, px.height), size_t(classes ? 3 : 10));
  }
  save_figure(heat_figure(0), (dir / "h.svg").string());
  EXPECT_TRUE(actlab::test::looks_like_svg(slurp(dir / "h.svg")));
}

TEST(Plot, BadExtensionIsAUsageErrorAndWritesNothing) {
  const auto dir = actlab::test::scratch_dir("plot_bad_ext");
  EXPECT_THROW(save_figure(line_figure(), (dir / "f.jpg").string()), UsageError);
  EXPECT_THROW(save_figure(Figure{}, (dir / "f.png").string()), UsageError);
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(Plot, UnwritableDirectoryIsADataError) {
  try {
    save_figure(line_figure(), "/nonexistent-dir/x/f.png");
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/x/f.png"), std::string::npos) << e.what();
  }
}

TEST(Plot, MismatchedHeatMapLeavesNoFile) {
  const auto dir = actlab::test::scratch_dir("plot_bad_heat");
  Figure f = heat_figure(0);
  std::get<HeatPanel>(f.panels[0]).z.pop_back();
  EXPECT_THROW(save_figure(f, (dir / "f.png").string()), UsageError);
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(Plot, ConcurrentCallsAreSerialisedAndAllComplete) {
  const auto dir = actlab::test::scratch_dir("plot_threads");
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&, i] { save_figure(line_figure(), (dir / ("t" + std::to_string(i) + ".png")).string()); });
  for (auto& t : ts) t.join();
  for (int i = 0; i < 4; ++i) {
    auto info = actlab::test::png_info(slurp(dir / ("t" + std::to_string(i) + ".png")));
    EXPECT_TRUE(info.ok) << i;
  }
}

TEST(Plot, EscapesPlplotControlCharacter) { EXPECT_EQ(plplot_escape("a#b"), "a##b"); }
