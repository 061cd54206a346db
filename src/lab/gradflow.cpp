#include "actlab/lab/gradflow.hpp"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/lab/plot.hpp"
#include "actlab/nn/loss.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/nn/optim.hpp"

namespace actlab::lab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

}  // namespace

std::vector<nn::ActSpec> default_gradflow_acts() {
  std::vector<nn::ActSpec> v;
  for (const char* n : {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "silu", "softplus"}) {
    const act::Act a = *act::find(n);
    v.push_back({a, act::defaults(a)});
  }
  return v;
}

std::vector<GradflowRun> run_gradflow(const GradflowConfig& c, const data::Split& split) {
  if (c.depth < 1 || c.width < 1) throw UsageError("--depth and --width must be >= 1");
  for (const auto& v : c.variants)
    if (v != "plain" && v != "batchnorm" && v != "residual")
      throw UsageError("--variants: unknown variant '" + v + "'; choose plain, batchnorm, residual");
  nn::set_num_threads(c.train.threads);
  std::string model = "mlp:";
  for (int i = 0; i < c.depth; ++i) model += (i ? "," : "") + std::to_string(c.width);
  nn::InputGeom g;
  g.features = std::int64_t(split.train.features);
  g.classes = split.train.classes;
  std::vector<GradflowRun> out;
  for (const auto& variant : c.variants)
    for (const auto& a : c.acts) {
      nn::ModelSpec spec = nn::parse_model_spec(model, nn::act_text(a));
      spec.acts = {a};
      spec.batchnorm = variant == "batchnorm";
      spec.residual = variant == "residual";
      spec.init = nn::parse_init(c.train.init);
      nn::Model m(spec, g, c.seed);
      nn::OptConfig oc;
      oc.name = c.train.optimizer;
      oc.lr = c.train.lr;
      nn::Optimizer opt(oc);
      data::Batcher batcher(split.train, std::size_t(c.train.batch), nn::hash_u64(c.seed, 0x9f10));
      GradflowRun r;
      r.act = act_label(a);
      r.variant = variant;
      r.init = nn::init_text(spec.init == nn::InitKind::recommended ? nn::recommended_init(a.act) : spec.init);
      std::vector<float> x;
      std::vector<std::int32_t> y;
      nn::Tensor dl;
      std::uint64_t epoch = 0;
      batcher.start_epoch(epoch);
      for (int step = 0; step <= c.steps; ++step) {
        std::size_t k = batcher.next(x, y);
        if (!k) {
          batcher.start_epoch(++epoch);
          k = batcher.next(x, y);
        }
        const nn::Tensor& logits = m.forward(x.data(), std::int64_t(k), nn::Ctx{true, c.seed, std::uint64_t(step)});
        dl.resize(logits.shape);
        r.loss.push_back(nn::softmax_cross_entropy(logits, y.data(), &dl));
        m.backward(dl);
        std::vector<double> wg, pg;
        for (const auto& p : m.probes()) {
          wg.push_back(p.weight_grad ? l2_norm(p.weight_grad->data(), p.weight_grad->size()) : NAN);
          pg.push_back(p.grad_pre ? l2_norm(p.grad_pre->data(), p.grad_pre->size()) : NAN);
        }
        r.weight_grad.push_back(std::move(wg));
        r.preact_grad.push_back(std::move(pg));
        if (step < c.steps && std::isfinite(r.loss.back())) opt.step(m.params(), oc.lr);
      }
      out.push_back(std::move(r));
    }
  return out;
}

std::vector<std::string> write_gradflow(const GradflowConfig& c, const std::vector<GradflowRun>& runs) {
  std::error_code ec;
  fs::create_directories(c.out, ec);
  if (ec) throw DataError("output folder '" + c.out + "' cannot be created: " + ec.message());
  json j;
  j["config"] = {{"depth", c.depth},          {"width", c.width},         {"steps", c.steps},
                 {"data", c.train.data},      {"batch", c.train.batch},   {"optimizer", c.train.optimizer},
                 {"lr", c.train.lr},          {"seed", c.seed},           {"variants", c.variants}};
  j["runs"] = json::array();
  for (const auto& r : runs) {
    json wg = json::array(), pg = json::array();
    for (auto& row : r.weight_grad) {
      json a = json::array();
      for (double v : row) a.push_back(num(v));
      wg.push_back(a);
    }
    for (auto& row : r.preact_grad) {
      json a = json::array();
      for (double v : row) a.push_back(num(v));
      pg.push_back(a);
    }
    json loss = json::array();
    for (double v : r.loss) loss.push_back(num(v));
    const auto& init = r.weight_grad.front();
    j["runs"].push_back({{"act", r.act},
                         {"variant", r.variant},
                         {"init", r.init},
                         {"first_layer_grad_init", num(init.front())},
                         {"last_layer_grad_init", num(init.back())},
                         {"first_last_ratio_init", num(init.back() > 0 ? init.front() / init.back() : NAN)},
                         {"weight_grad_norm", wg},
                         {"preact_grad_norm", pg},
                         {"loss", loss}});
  }
  const std::string jp = (fs::path(c.out) / "gradflow.json").string();
  write_file_atomic(jp, j.dump(1) + "\n");

  // One column per variant; top row at initialisation, bottom row after the
  // last step. Same colour for an activation everywhere.
  Figure f;
  f.cols = int(c.variants.size());
  f.width = 560 * f.cols + 160;
  f.height = 900;
  f.title = "Gradient flow through a " + std::to_string(c.depth) + " x " + std::to_string(c.width) +
            " MLP (each activation with its recommended initializer)";
  for (int row = 0; row < 2; ++row)
    for (std::size_t vi = 0; vi < c.variants.size(); ++vi) {
      LinePanel p;
      p.title = c.variants[vi] + (row == 0 ? ", at initialisation" : ", after " + std::to_string(c.steps) + " steps");
      p.xlabel = "layer (input side -> output layer)";
      p.ylabel = "||dL/dW||";
      p.log_y = true;
      p.legend = vi + 1 == c.variants.size();
      p.legend_outside = true;
      int color = 0;
      for (const auto& r : runs) {
        if (r.variant != c.variants[vi]) {
          continue;
        }
        Series s;
        std::string init = r.init;
        if (init.rfind("xavier", 0) == 0) init = "xavier";
        s.label = r.act + ", " + init;
        s.color = color++;
        const auto& norms = row == 0 ? r.weight_grad.front() : r.weight_grad.back();
        for (std::size_t l = 0; l < norms.size(); ++l) {
          s.x.push_back(double(l + 1));
          s.y.push_back(norms[l]);
        }
        p.series.push_back(s);
      }
      f.panels.push_back(p);
    }
  const std::string png = (fs::path(c.out) / "gradflow.png").string(), svg = (fs::path(c.out) / "gradflow.svg").string();
  save_figure(f, png);
  save_figure(f, svg);
  return {jp, png, svg};
}

}  // namespace actlab::lab
