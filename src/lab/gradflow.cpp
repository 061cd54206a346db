#include "actlab/lab/gradflow.hpp"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/lab/plot.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/nn/train.hpp"

namespace actlab::lab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

}  // namespace

std::vector<nn::ActSpec> default_gradflow_acts() {
  return catalogue_acts({"sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "silu", "softplus"});
}

RunSpec gradflow_spec(const GradflowConfig& c, const std::string& variant, const nn::ActSpec& a,
                      const data::Split& split) {
  if (c.depth < 1 || c.width < 1) throw UsageError("--depth and --width must be >= 1");
  if (c.steps < 0) throw UsageError("--steps " + std::to_string(c.steps) + ": must be >= 0");
  if (c.run.batch < 1) throw UsageError("--batch " + std::to_string(c.run.batch) + ": must be >= 1");
  if (split.train.rows == 0) throw DataError("--data " + c.run.data.name + ": no training rows");
  RunSpec s = c.run;
  s.model.arch = "mlp";
  s.model.widths.assign(std::size_t(c.depth), c.width);
  s.model.depth = 0;
  s.model.acts = {a};
  s.model.batchnorm = variant == "batchnorm";
  s.model.residual = variant == "residual";
  s.measure.probe_rows = 0;  // the hook measures; no per-epoch probes
  // Step 0 is measured on the initial weights, so `steps` updates need
  // steps + 1 backward passes.
  s.max_steps = std::uint64_t(c.steps) + 1;
  const std::uint64_t per_epoch = (split.train.rows + std::size_t(s.batch) - 1) / std::size_t(s.batch);
  const std::uint64_t epochs = (s.max_steps + per_epoch - 1) / per_epoch;
  constexpr std::uint64_t kMaxEpochs = 10000;
  if (epochs > kMaxEpochs)
    throw UsageError("--steps " + std::to_string(c.steps) + ": " + std::to_string(epochs) + " epochs of " +
                     std::to_string(per_epoch) + " batches; at most " + std::to_string(kMaxEpochs) +
                     " (use more training rows or a smaller --batch)");
  s.epochs = int(epochs);
  return s;
}

std::vector<GradflowRun> run_gradflow(const GradflowConfig& c, const data::Split& split) {
  for (const auto& v : c.variants)
    if (v != "plain" && v != "batchnorm" && v != "residual")
      throw UsageError("--variants: unknown variant '" + v + "'; choose plain, batchnorm, residual");
  std::vector<GradflowRun> out;
  for (const auto& variant : c.variants)
    for (const auto& a : c.acts) {
      const RunSpec spec = gradflow_spec(c, variant, a, split);
      GradflowRun r;
      r.act = act_label(a);
      r.variant = variant;
      r.init = nn::init_text(spec.model.init == nn::InitKind::recommended ? nn::recommended_init(a.act)
                                                                          : spec.model.init);
      // The loss of a step's batch: nn::train's running mean after the step
      // (on_step) minus the epoch's sums before it (after_backward).
      double sum_before = 0;
      std::size_t seen_before = 0, rows = 0;
      RunHooks hooks;
      hooks.after_backward = [&](nn::Model& m, const nn::RunState& st) {
        std::vector<double> wg, pg;
        const auto probes = m.probes();
        for (const auto& p : probes) {
          wg.push_back(p.weight_grad ? l2_norm(p.weight_grad->data(), p.weight_grad->size()) : NAN);
          pg.push_back(p.grad_pre ? l2_norm(p.grad_pre->data(), p.grad_pre->size()) : NAN);
        }
        r.weight_grad.push_back(std::move(wg));
        r.preact_grad.push_back(std::move(pg));
        rows = !probes.empty() && probes.front().pre ? std::size_t(probes.front().pre->rows()) : 0;
        sum_before = st.sum_loss;
        seen_before = st.seen;
      };
      hooks.on_step = [&](const nn::StepInfo& s) {
        r.loss.push_back(rows ? (s.loss * double(seen_before + rows) - sum_before) / double(rows) : NAN);
      };
      const RunRecord rec = run_one(spec, split, {}, {}, hooks);
      if (rec.diverged) r.note = rec.note;
      out.push_back(std::move(r));
    }
  return out;
}

std::vector<std::string> write_gradflow(const GradflowConfig& c, const std::vector<GradflowRun>& runs) {
  std::error_code ec;
  fs::create_directories(c.out, ec);
  if (ec) throw DataError("output folder '" + c.out + "' cannot be created: " + ec.message());
  json j;
  j["config"] = {{"depth", c.depth},          {"width", c.width},       {"steps", c.steps},
                 {"data", c.run.data.name},   {"batch", c.run.batch},   {"optimizer", c.run.opt.name},
                 {"lr", c.run.opt.lr},        {"seed", c.run.seed},     {"variants", c.variants}};
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
    const double first = r.weight_grad.empty() ? NAN : r.weight_grad.front().front(),
                 last = r.weight_grad.empty() ? NAN : r.weight_grad.front().back();
    j["runs"].push_back({{"act", r.act},
                         {"variant", r.variant},
                         {"init", r.init},
                         {"note", r.note},
                         {"first_layer_grad_init", num(first)},
                         {"last_layer_grad_init", num(last)},
                         {"first_last_ratio_init", num(last > 0 ? first / last : NAN)},
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
        if (r.variant != c.variants[vi] || r.weight_grad.empty()) continue;
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
