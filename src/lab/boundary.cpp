#include "actlab/lab/boundary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/lab/plot.hpp"
#include "actlab/nn/loss.hpp"
#include "actlab/nn/model.hpp"

namespace actlab::lab {
namespace {

namespace fs = std::filesystem;

}  // namespace

std::vector<nn::ActSpec> default_boundary_acts() {
  return catalogue_acts({"identity", "step", "relu", "tanh", "gelu", "sigmoid"});
}

std::vector<BoundaryResult> run_boundary(const BoundaryConfig& c, const data::Split& split) {
  if (split.train.features != 2)
    throw UsageError("--data " + c.run.data.name + ": decision boundaries need a 2-D data set (xor, spiral, moons, "
                     "circles); this one has " + std::to_string(split.train.features) + " features");
  if (c.grid < 8 || c.grid > 2000) throw UsageError("--grid " + std::to_string(c.grid) + ": choose 8..2000");
  // The plane shown: the training points plus a margin.
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (std::size_t i = 0; i < split.train.rows; ++i) {
    x0 = std::min<double>(x0, split.train.x[2 * i]);
    x1 = std::max<double>(x1, split.train.x[2 * i]);
    y0 = std::min<double>(y0, split.train.x[2 * i + 1]);
    y1 = std::max<double>(y1, split.train.x[2 * i + 1]);
  }
  const double px = 0.1 * (x1 - x0), py = 0.1 * (y1 - y0);
  x0 -= px, x1 += px, y0 -= py, y1 += py;
  std::vector<BoundaryResult> out;
  for (const auto& a : c.acts) {
    BoundaryResult b;
    b.act = act_label(a);
    b.nx = b.ny = c.grid;
    b.xmin = x0, b.xmax = x1, b.ymin = y0, b.ymax = y1;
    RunSpec spec = c.run;
    spec.model.acts = {a};
    b.run = run_one(spec, split, {}, [&](nn::Model& m, const data::Split&) {
      std::vector<float> pts(2 * std::size_t(b.nx));
      b.cls.resize(std::size_t(b.nx) * b.ny);
      for (int iy = 0; iy < b.ny; ++iy) {
        for (int ix = 0; ix < b.nx; ++ix) {
          pts[2 * ix] = float(x0 + (ix + 0.5) * (x1 - x0) / b.nx);
          pts[2 * ix + 1] = float(y0 + (iy + 0.5) * (y1 - y0) / b.ny);
        }
        const nn::Tensor& z = m.forward(pts.data(), b.nx, nn::Ctx{false});
        const std::int64_t units = z.cols();
        for (int ix = 0; ix < b.nx; ++ix)
          b.cls[std::size_t(iy) * b.nx + ix] = nn::top_label(m.spec().head, z.data() + ix * units, units).cls;
      }
    });
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<std::string> write_boundary(const BoundaryConfig& c, const data::Split& split,
                                        const std::vector<BoundaryResult>& rs) {
  std::error_code ec;
  fs::create_directories(c.out, ec);
  if (ec) throw DataError("output folder '" + c.out + "' cannot be created: " + ec.message());
  nlohmann::json j;
  const std::string model = model_label(c.run.model);
  j["config"] = {{"data", c.run.data.name}, {"model", model},          {"epochs", c.run.epochs},
                 {"lr", c.run.opt.lr},      {"seed", c.run.seed},      {"grid", c.grid}};
  j["runs"] = nlohmann::json::array();
  Figure f;
  f.cols = std::min<int>(3, int(rs.size()));
  const int rows = (int(rs.size()) + f.cols - 1) / f.cols;
  f.width = 420 * f.cols;
  f.height = 400 * rows + 50;
  f.title = "Decision boundaries on " + c.run.data.name + " (" + model + ", " + std::to_string(c.run.epochs) +
            " epochs)";
  // Test points drawn over each map: at most 300, evenly spaced.
  Scatter pts;
  const std::size_t n = split.test.rows, stride = std::max<std::size_t>(1, n / 300);
  for (std::size_t i = 0; i < n; i += stride) {
    pts.x.push_back(split.test.x[2 * i]);
    pts.y.push_back(split.test.x[2 * i + 1]);
    pts.cls.push_back(split.test.y[i]);
  }
  for (const auto& b : rs) {
    const auto& last = b.run.epochs.back();
    j["runs"].push_back({{"act", b.act},
                         {"train_acc", last.train_acc},
                         {"test_acc", last.test_acc},
                         {"diverged", b.run.diverged},
                         {"run", to_json(b.run)}});
    HeatPanel h;
    char title[160];
    std::snprintf(title, sizeof title, "%s: test acc %.3f", b.act.c_str(), last.test_acc);
    h.title = title;
    h.xlabel = "x1 (standardised)";
    h.ylabel = "x2";
    h.nx = b.nx;
    h.ny = b.ny;
    h.xmin = b.xmin, h.xmax = b.xmax, h.ymin = b.ymin, h.ymax = b.ymax;
    h.classes = split.train.classes;
    h.z.assign(b.cls.begin(), b.cls.end());
    h.points = pts;
    f.panels.push_back(h);
  }
  const std::string jp = (fs::path(c.out) / "boundary.json").string();
  write_file_atomic(jp, j.dump(1) + "\n");
  const std::string png = (fs::path(c.out) / "boundary.png").string(), svg = (fs::path(c.out) / "boundary.svg").string();
  save_figure(f, png);
  save_figure(f, svg);
  return {jp, png, svg};
}

}  // namespace actlab::lab
