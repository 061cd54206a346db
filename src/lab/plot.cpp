// PLplot back end of the figure API (include/actlab/lab/plot.hpp).
//
// Layout is done by hand in normalised device coordinates (one page, one
// viewport per panel) so that a figure title, legends outside the plot area
// and colour bars all fit without PLplot's sub-page machinery.
#include "actlab/lab/plot.hpp"

#include <plplot/plstream.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <type_traits>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"

namespace actlab::lab {
namespace {

namespace fs = std::filesystem;

// cmap0 layout: 0 background, 1 foreground, 2 grid, then the series
// palette, then the same palette with alpha (for bands and bars' fill).
constexpr int kBg = 0, kFg = 1, kGrid = 2, kFirst = 3;

std::mutex& plplot_mutex() {
  static std::mutex m;
  return m;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool ok() const { return lo <= hi; }
  // Pads a range so lines do not touch the frame and a flat series still
  // gets a non-empty window.
  void pad(double frac) {
    if (!ok()) lo = 0, hi = 1;
    double d = hi - lo;
    if (d <= 0) d = std::max(std::fabs(lo), 1.0) * 0.1;
    lo -= d * frac;
    hi += d * frac;
  }
};

class Renderer {
 public:
  Renderer(const Figure& fig, const std::string& device, const std::string& file) : fig_(fig) {
    pls_ = std::make_unique<plstream>();
    pls_->sdev(device.c_str());
    pls_->sfnam(file.c_str());
    pls_->spage(0, 0, fig.width, fig.height, 0, 0);
    const auto& pal = palette();
    ncolors_ = static_cast<int>(pal.size());
    pls_->scmap0n(kFirst + 2 * ncolors_);
    pls_->scol0(kBg, 255, 255, 255);
    pls_->scol0(kFg, 30, 30, 30);
    pls_->scol0(kGrid, 225, 225, 225);
    for (int i = 0; i < ncolors_; ++i) {
      pls_->scol0(kFirst + i, pal[i].r, pal[i].g, pal[i].b);
      pls_->scol0a(kFirst + ncolors_ + i, pal[i].r, pal[i].g, pal[i].b, 0.22);
    }
    pls_->init();
    pls_->adv(0);
    pls_->schr(0, 0.75);
  }

  void draw() {
    const int n = static_cast<int>(fig_.panels.size());
    const int cols = std::max(1, std::min(fig_.cols, n));
    const int rows = (n + cols - 1) / cols;
    // PLplot's character size follows the page size, so shrink it when a
    // page holds several rows or narrow columns of panels.
    base_chr_ = 0.75 * std::min(1.0, 1.0 / std::sqrt(double(rows))) *
                std::clamp(double(fig_.width) / cols / 450.0, 0.7, 1.0);
    pls_->schr(0, base_chr_);
    const double top = fig_.title.empty() ? 1.0 : 0.94;
    if (!fig_.title.empty()) {
      pls_->vpor(0, 1, top, 1);
      pls_->wind(0, 1, 0, 1);
      pls_->col0(kFg);
      pls_->schr(0, base_chr_ * 4 / 3);
      pls_->mtex("t", -1.6, 0.5, 0.5, plplot_escape(fig_.title).c_str());
      pls_->schr(0, base_chr_);
    }
    for (int i = 0; i < n; ++i) {
      const int r = i / cols, c = i % cols;
      Cell cell{double(c) / cols, double(c + 1) / cols, top - top * (r + 1) / rows, top - top * r / rows};
      std::visit([&](const auto& p) { panel(p, cell); }, fig_.panels[i]);
    }
  }

 private:
  struct Cell {
    double x0, x1, y0, y1;
  };

  int series_color(int requested, int index) const {
    const int k = requested >= 0 ? requested : index;
    return kFirst + (k % ncolors_);
  }
  int alpha_color(int solid) const { return solid + ncolors_; }

  // Sets the viewport inside a cell, leaving room for labels, and for a
  // legend or colour bar on the right when `right_room`.
  void viewport(const Cell& c, bool right_room, std::size_t legend_chars = 12) {
    const double w = c.x1 - c.x0, h = c.y1 - c.y0;
    const double left = std::min(0.1, 0.085 / w * 0.9) * w + 0.045;
    // Room for an outside legend: its longest label at ~14 px per character
    // at the default size, plus the line sample.
    const double legend_px = double(legend_chars) * 14.0 * base_chr_ / 0.75 + 90.0;
    const double right = right_room ? std::min(0.45 * w, legend_px / fig_.width) : 0.025;
    pls_->vpor(c.x0 + std::min(left, 0.45 * w), c.x1 - right, c.y0 + std::min(0.11, 0.3 * h),
               c.y1 - std::min(0.08, 0.2 * h));
  }

  // xtick > 0: major ticks every xtick units with no minor ticks (whole
  // numbers for layers and epochs); 0: PLplot's automatic spacing.
  void frame(double x0, double x1, double y0, double y1, bool log_y, bool grid, const char* xopt = "bcnst",
             double xtick = 0) {
    pls_->wind(x0, x1, y0, y1);
    const PLINT nxsub = xtick > 0 ? 1 : 0;
    if (grid) {
      pls_->col0(kGrid);
      pls_->width(0.5);
      pls_->box("g", xtick, nxsub, log_y ? "gl" : "g", 0, 0);
    }
    pls_->col0(kFg);
    pls_->width(1.0);
    const double decades = log_y ? y1 - y0 : 0;
    if (decades <= 7) {
      pls_->box(xopt, xtick, nxsub, log_y ? "bcnstvl" : "bcnstv", 0, 0);
      return;
    }
    // PLplot labels every decade of a log axis, which overprints over many
    // decades: label every k-th decade by hand.
    pls_->box(xopt, xtick, nxsub, "bc", 0, 0);
    const int k = int(std::ceil(decades / 6));
    for (int e = int(std::ceil(y0)); e <= int(std::floor(y1)); ++e) {
      if (e % k) continue;
      const double pos = (e - y0) / (y1 - y0);
      pls_->join(x0, e, x0 + (x1 - x0) * 0.015, e);
      pls_->join(x1, e, x1 - (x1 - x0) * 0.015, e);
      pls_->mtex("lv", 0.5, pos, 1.0, ("10#u" + std::to_string(e) + "#d").c_str());
    }
  }

  void labels(const std::string& x, const std::string& y, const std::string& t) {
    pls_->col0(kFg);
    pls_->lab(plplot_escape(x).c_str(), plplot_escape(y).c_str(), plplot_escape(t).c_str());
  }

  void panel(const LinePanel& p, const Cell& cell) {
    const bool outside = p.legend && p.legend_outside;
    std::size_t chars = 0;
    for (const auto& s : p.series) chars = std::max(chars, s.label.size());
    viewport(cell, outside, chars);
    auto ty = [&](double v) { return p.log_y ? (v > 0 ? std::log10(v) : NAN) : v; };
    Range xr, yr;
    for (const auto& s : p.series) {
      for (double v : s.x) xr.add(v);
      for (double v : s.y) yr.add(ty(v));
      for (double v : s.band_lo) yr.add(ty(v));
      for (double v : s.band_hi) yr.add(ty(v));
    }
    if (p.xmin < p.xmax) xr = {p.xmin, p.xmax};
    else xr.pad(0.0);
    if (p.ymin < p.ymax) yr = {ty(p.ymin), ty(p.ymax)};
    else yr.pad(0.05);
    if (!xr.ok() || xr.lo == xr.hi) xr.pad(0.05);
    const double xtick = p.integer_x ? std::max(1.0, std::ceil((xr.hi - xr.lo) / 10)) : 0;
    frame(xr.lo, xr.hi, yr.lo, yr.hi, p.log_y, true, "bcnst", xtick);
    if (p.zero_line && !p.log_y && yr.lo < 0 && yr.hi > 0) {
      pls_->col0(kFg);
      pls_->width(0.5);
      pls_->join(xr.lo, 0, xr.hi, 0);
    }
    // Bands first, so every line stays visible on top of them.
    for (std::size_t i = 0; i < p.series.size(); ++i) {
      const auto& s = p.series[i];
      if (s.band_lo.size() != s.x.size() || s.band_hi.size() != s.x.size() || s.x.empty()) continue;
      std::vector<PLFLT> bx, by;
      for (std::size_t k = 0; k < s.x.size(); ++k)
        if (std::isfinite(ty(s.band_hi[k]))) bx.push_back(s.x[k]), by.push_back(ty(s.band_hi[k]));
      for (std::size_t k = s.x.size(); k-- > 0;)
        if (std::isfinite(ty(s.band_lo[k]))) bx.push_back(s.x[k]), by.push_back(ty(s.band_lo[k]));
      if (bx.size() < 3) continue;
      pls_->col0(alpha_color(series_color(s.color, int(i))));
      pls_->fill(int(bx.size()), bx.data(), by.data());
    }
    for (std::size_t i = 0; i < p.series.size(); ++i) {
      const auto& s = p.series[i];
      pls_->col0(series_color(s.color, int(i)));
      pls_->lsty(s.dashed ? 2 : 1);
      pls_->width(2.0);
      // Non-finite points (or y <= 0 on a log axis) break the line.
      std::vector<PLFLT> lx, ly;
      auto flush = [&] {
        if (lx.size() >= 2) pls_->line(int(lx.size()), lx.data(), ly.data());
        if (s.markers || lx.size() == 1) pls_->poin(int(lx.size()), lx.data(), ly.data(), 17);
        lx.clear();
        ly.clear();
      };
      const std::size_t n = std::min(s.x.size(), s.y.size());
      for (std::size_t k = 0; k < n; ++k) {
        const double y = ty(s.y[k]);
        if (std::isfinite(y) && std::isfinite(s.x[k])) {
          lx.push_back(s.x[k]);
          ly.push_back(y);
        } else {
          flush();
        }
      }
      flush();
    }
    pls_->lsty(1);
    pls_->width(1.0);
    labels(p.xlabel, p.ylabel, p.title);
    if (p.legend) legend(p, outside);
  }

  void legend(const LinePanel& p, bool outside) {
    std::vector<std::string> text;
    std::vector<PLINT> opts, tcol, lcol, lsty;
    std::vector<PLFLT> lw;
    for (std::size_t i = 0; i < p.series.size(); ++i) {
      const auto& s = p.series[i];
      if (s.label.empty()) continue;
      text.push_back(plplot_escape(s.label));
      opts.push_back(PL_LEGEND_LINE);
      tcol.push_back(kFg);
      lcol.push_back(series_color(s.color, int(i)));
      lsty.push_back(s.dashed ? 2 : 1);
      lw.push_back(2.0);
    }
    if (text.empty()) return;
    std::vector<const char*> ctext;
    for (auto& t : text) ctext.push_back(t.c_str());
    PLFLT w = 0, h = 0;
    const PLINT pos = outside ? (PL_POSITION_OUTSIDE | PL_POSITION_RIGHT)
                              : (PL_POSITION_INSIDE | PL_POSITION_TOP | PL_POSITION_LEFT);
    pls_->legend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, pos, 0.02, 0.02, 0.07, kBg, kGrid,
                 1, 0, 0, PLINT(text.size()), opts.data(), 0.8, 0.8 * base_chr_ / 0.75, 1.9, 0.0, tcol.data(), ctext.data(),
                 nullptr, nullptr, nullptr, nullptr, lcol.data(), lsty.data(), lw.data(), nullptr, nullptr,
                 nullptr, nullptr);
  }

  void panel(const BarPanel& p, const Cell& cell) {
    const bool outside = p.groups.size() > 1;
    viewport(cell, outside);
    const int nc = int(p.categories.size());
    const int ng = std::max<int>(1, int(p.groups.size()));
    auto ty = [&](double v) { return p.log_y ? (v > 0 ? std::log10(v) : NAN) : v; };
    Range yr;
    if (!p.log_y && !p.zoom) yr.add(0);
    for (const auto& g : p.groups)
      for (std::size_t k = 0; k < g.values.size(); ++k) {
        const double e = k < g.err.size() ? g.err[k] : 0;
        yr.add(ty(g.values[k] + e));
        yr.add(ty(g.values[k] - e));
        yr.add(ty(g.values[k]));
      }
    yr.pad(0.05);
    if (!p.log_y && yr.lo < 0 && yr.hi > 0 && yr.lo > -0.06 * (yr.hi - yr.lo) && yr.lo >= -1e-12) yr.lo = 0;
    frame(0, std::max(1, nc), yr.lo, yr.hi, p.log_y, true, "bc");
    const double base = (p.log_y || p.zoom) ? yr.lo : std::max(yr.lo, 0.0);
    const double bw = 0.8 / ng;
    for (int g = 0; g < int(p.groups.size()); ++g) {
      const auto& grp = p.groups[g];
      const int col = series_color(-1, g);
      for (int k = 0; k < nc && k < int(grp.values.size()); ++k) {
        const double v = ty(grp.values[k]);
        if (!std::isfinite(v)) continue;
        const double x0 = k + 0.1 + g * bw, x1 = x0 + bw;
        PLFLT bx[4] = {x0, x0, x1, x1}, by[4] = {base, v, v, base};
        pls_->col0(col);
        pls_->fill(4, bx, by);
        pls_->col0(kFg);
        pls_->width(0.5);
        PLFLT ox[5] = {x0, x0, x1, x1, x0}, oy[5] = {base, v, v, base, base};
        pls_->line(5, ox, oy);
        if (k < int(grp.err.size()) && grp.err[k] > 0) {
          const double xm = 0.5 * (x0 + x1);
          pls_->width(1.0);
          pls_->join(xm, ty(grp.values[k] - grp.err[k]), xm, ty(grp.values[k] + grp.err[k]));
        }
      }
    }
    pls_->col0(kFg);
    // Many categories: alternate two label rows so neighbours do not overprint.
    for (int k = 0; k < nc; ++k)
      pls_->mtex("b", nc > 6 && k % 2 ? 2.4 : 1.2, (k + 0.5) / std::max(1, nc), 0.5,
                 plplot_escape(p.categories[k]).c_str());
    labels("", p.ylabel, p.title);
    if (!p.xlabel.empty()) pls_->mtex("b", nc > 6 ? 3.8 : 2.8, 0.5, 0.5, plplot_escape(p.xlabel).c_str());
    if (outside) {
      LinePanel lp;
      for (int g = 0; g < int(p.groups.size()); ++g) {
        Series s;
        s.label = p.groups[g].label;
        lp.series.push_back(s);
      }
      legend(lp, true);
    }
  }

  void panel(const HeatPanel& p, const Cell& cell) {
    const bool bar = p.classes == 0 && p.colorbar;
    viewport(cell, bar);
    if (p.nx <= 0 || p.ny <= 0 || p.z.size() != std::size_t(p.nx) * std::size_t(p.ny))
      throw UsageError("heat map '" + p.title + "': z has " + std::to_string(p.z.size()) +
                       " values, expected nx * ny = " + std::to_string(p.nx * p.ny));
    double zmin = p.zmin, zmax = p.zmax;
    if (p.classes > 0) {
      zmin = -0.5;
      zmax = p.classes - 0.5;
      set_categorical_cmap1(p.classes);
    } else {
      if (!(zmin < zmax)) {
        Range zr;
        for (double v : p.z) zr.add(v);
        if (!zr.ok()) zr = {0, 1};
        if (zr.lo == zr.hi) zr.pad(0.5);
        zmin = zr.lo;
        zmax = zr.hi;
      }
      set_viridis_cmap1();
    }
    // PLplot's image wants data[ix][iy].
    std::vector<std::vector<PLFLT>> cols(p.nx, std::vector<PLFLT>(p.ny));
    for (int iy = 0; iy < p.ny; ++iy)
      for (int ix = 0; ix < p.nx; ++ix) {
        const double v = p.z[std::size_t(iy) * p.nx + ix];
        cols[ix][iy] = std::isfinite(v) ? std::clamp(v, zmin, zmax) : zmin;
      }
    std::vector<const PLFLT*> ptrs(p.nx);
    for (int ix = 0; ix < p.nx; ++ix) ptrs[ix] = cols[ix].data();
    const bool ticks = !p.xticks.empty() || !p.yticks.empty();
    pls_->wind(p.xmin, p.xmax, p.ymin, p.ymax);
    // imagefr, not image: plimage scales colours to the data's own min/max,
    // which would make a uniform 0.05 map look like a uniform 1.0 one.
    pls_->imagefr(ptrs.data(), p.nx, p.ny, p.xmin, p.xmax, p.ymin, p.ymax, zmin, zmax, zmin, zmax, nullptr,
                  nullptr);
    if (!p.points.x.empty()) {
      const std::size_t n = std::min(p.points.x.size(), p.points.y.size());
      for (std::size_t k = 0; k < n; ++k) {
        const int c = k < p.points.cls.size() ? p.points.cls[k] : 0;
        pls_->col0(series_color(-1, c));
        PLFLT x = p.points.x[k], y = p.points.y[k];
        pls_->ssym(0, 0.9);
        pls_->poin(1, &x, &y, 17);
        pls_->ssym(0, 1.0);
      }
    }
    pls_->col0(kFg);
    pls_->width(1.0);
    pls_->box(ticks ? "bc" : "bcnst", 0, 0, ticks ? "bc" : "bcnstv", 0, 0);
    for (std::size_t k = 0; k < p.xticks.size(); ++k)
      pls_->mtex("b", 1.2, (k + 0.5) / p.xticks.size(), 0.5, plplot_escape(p.xticks[k]).c_str());
    for (std::size_t k = 0; k < p.yticks.size(); ++k)
      pls_->mtex("lv", 0.6, (k + 0.5) / p.yticks.size(), 1.0, plplot_escape(p.yticks[k]).c_str());
    if (ticks) {
      pls_->mtex("t", 1.2, 0.5, 0.5, plplot_escape(p.title).c_str());
      if (!p.xlabel.empty()) pls_->mtex("b", 2.6, 0.5, 0.5, plplot_escape(p.xlabel).c_str());
      if (!p.ylabel.empty() && p.yticks.empty()) pls_->mtex("l", 3.0, 0.5, 0.5, plplot_escape(p.ylabel).c_str());
    } else {
      labels(p.xlabel, p.ylabel, p.title);
    }
    if (bar) colorbar(zmin, zmax, p.colorbar_label);
  }

  void colorbar(double zmin, double zmax, const std::string& label) {
    std::vector<PLFLT> values(64);
    for (int i = 0; i < 64; ++i) values[i] = zmin + (zmax - zmin) * i / 63.0;
    PLINT n_values[1] = {64};
    const PLFLT* vptr[1] = {values.data()};
    const std::string lab = plplot_escape(label);
    const char* labels[1] = {lab.c_str()};
    PLINT label_opts[1] = {PL_COLORBAR_LABEL_RIGHT};
    const char* axis_opts[1] = {"bcvtn"};
    PLFLT ticks[1] = {0};
    PLINT sub[1] = {0};
    PLFLT w = 0, h = 0;
    pls_->col0(kFg);
    pls_->colorbar(&w, &h, PL_COLORBAR_IMAGE, PL_POSITION_OUTSIDE | PL_POSITION_RIGHT, 0.03, 0, 0.04, 0.9, kBg,
                   kFg, 1, 0, 0, 0, 0, label.empty() ? 0 : 1, label_opts, labels, 1, axis_opts, ticks, sub,
                   n_values, vptr);
  }

  void set_viridis_cmap1() {
    // Viridis control points (matplotlib), linear in RGB.
    PLFLT pos[5] = {0, 0.25, 0.5, 0.75, 1};
    PLFLT r[5] = {0.267, 0.231, 0.128, 0.369, 0.993};
    PLFLT g[5] = {0.005, 0.322, 0.567, 0.789, 0.906};
    PLFLT b[5] = {0.329, 0.546, 0.551, 0.383, 0.144};
    pls_->scmap1n(256);
    pls_->scmap1l(true, 5, pos, r, g, b, nullptr);
  }

  void set_categorical_cmap1(int classes) {
    // Light tints of the series palette, constant within each class's slice
    // of [0, 1], so class k's region matches the colour of its points.
    const auto& pal = palette();
    std::vector<PLINT> r(256), g(256), b(256);
    for (int i = 0; i < 256; ++i) {
      const int k = std::min(classes - 1, i * classes / 256);
      const Rgb c = pal[k % pal.size()];
      r[i] = 255 - (255 - c.r) * 35 / 100;
      g[i] = 255 - (255 - c.g) * 35 / 100;
      b[i] = 255 - (255 - c.b) * 35 / 100;
    }
    pls_->scmap1n(256);
    pls_->scmap1(r.data(), g.data(), b.data(), 256);
  }

  const Figure& fig_;
  std::unique_ptr<plstream> pls_;
  int ncolors_ = 0;
  double base_chr_ = 0.75;
};

std::string lower_ext(const std::string& path) {
  std::string e = fs::path(path).extension().string();
  for (auto& ch : e) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return e;
}

struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "actlab-plot-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw DataError("cannot create a temporary directory under " +
                                                 fs::temp_directory_path().string() + " for rendering plots");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// What reaches PLplot is checked first: PLplot copies text into fixed-size
// buffers (a 1026-character title segfaulted inside plmtex), and its
// drivers choke on control characters and broken UTF-8.
constexpr std::size_t kMaxPlotText = 256;

void check_text(const std::string& path, const std::string& what, const std::string& t) {
  const auto bad = [&](const std::string& why) {
    return UsageError("plot file '" + path + "': " + what + " " + why);
  };
  if (t.size() > kMaxPlotText)
    throw bad("is " + std::to_string(t.size()) + " bytes long; at most " + std::to_string(kMaxPlotText) +
              " are accepted");
  for (std::size_t i = 0; i < t.size();) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (c < 0x20 || c == 0x7f) throw bad("contains a control character (byte " + std::to_string(c) + ")");
    const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > t.size()) throw bad("is not valid UTF-8");
    for (int k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(t[i + k]) >> 6) != 2) throw bad("is not valid UTF-8");
    i += static_cast<std::size_t>(len);
  }
}

void check_finite(const std::string& path, const std::string& what, double v) {
  if (!std::isfinite(v))
    throw UsageError("plot file '" + path + "': " + what + " is " + std::to_string(v) + ", not a finite number");
}

// Every string and axis limit of the figure, before PLplot sees any.
void check_figure(const Figure& fig, const std::string& path) {
  check_text(path, "the figure title", fig.title);
  for (std::size_t i = 0; i < fig.panels.size(); ++i) {
    const std::string at = "panel " + std::to_string(i + 1) + ": ";
    std::visit(
        [&](const auto& p) {
          check_text(path, at + "title", p.title);
          check_text(path, at + "x label", p.xlabel);
          check_text(path, at + "y label", p.ylabel);
          using P = std::decay_t<decltype(p)>;
          if constexpr (std::is_same_v<P, LinePanel>) {
            for (const auto& sr : p.series) check_text(path, at + "series label", sr.label);
            for (double v : {p.xmin, p.xmax, p.ymin, p.ymax}) check_finite(path, at + "an axis limit", v);
          } else if constexpr (std::is_same_v<P, BarPanel>) {
            for (const auto& c : p.categories) check_text(path, at + "category", c);
            for (const auto& g : p.groups) check_text(path, at + "group label", g.label);
          } else if constexpr (std::is_same_v<P, HeatPanel>) {
            check_text(path, at + "colour bar label", p.colorbar_label);
            for (const auto& t : p.xticks) check_text(path, at + "x tick", t);
            for (const auto& t : p.yticks) check_text(path, at + "y tick", t);
            for (double v : {p.xmin, p.xmax, p.ymin, p.ymax, p.zmin, p.zmax})
              check_finite(path, at + "an axis limit", v);
            if (!(p.xmin < p.xmax) || !(p.ymin < p.ymax))
              throw UsageError("plot file '" + path + "': " + at + "heat map axis limits are empty");
          }
        },
        fig.panels[i]);
  }
}

}  // namespace

const std::vector<Rgb>& palette() {
  // Tableau 10 plus two extra distinguishable colours (12 in all).
  static const std::vector<Rgb> p = {
      {31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},   {148, 103, 189}, {140, 86, 75},
      {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}, {0, 0, 128},     {128, 128, 0}};
  return p;
}

std::string plplot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '#') out += "##";
    else out += c;
  }
  return out;
}

void save_figure(const Figure& fig, const std::string& path) {
  const std::string ext = lower_ext(path);
  std::string device;
  if (ext == ".png") device = "pngcairo";
  else if (ext == ".svg") device = "svg";
  else
    throw UsageError("plot file '" + path + "': unsupported extension '" + ext +
                     "'; use a name ending in .png or .svg");
  if (fig.panels.empty()) throw UsageError("plot file '" + path + "': the figure has no panels");
  if (fig.width < 16 || fig.height < 16 || fig.width > 10000 || fig.height > 10000)
    throw UsageError("plot file '" + path + "': size " + std::to_string(fig.width) + "x" +
                     std::to_string(fig.height) + " is outside 16..10000 pixels");
  check_figure(fig, path);
  // Checked first so an unwritable target fails before any rendering; the
  // temporary file next to the target is created only after PLplot is done.
  check_output_file(path, "plot file");
  TempDir tmp;
  const std::string rendered = tmp.path + "/figure" + ext;
  {
    std::lock_guard<std::mutex> lock(plplot_mutex());
    Renderer r(fig, device, rendered);
    r.draw();
  }  // ~plstream ends the stream and closes the file
  const std::string bytes = read_file(rendered, "rendered plot");
  if (bytes.empty()) throw DataError("plot file '" + path + "': PLplot produced an empty file");
  AtomicFile out(path);
  out.write(bytes);
  out.commit();
}

}  // namespace actlab::lab
