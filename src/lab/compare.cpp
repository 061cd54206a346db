// actlab compare: the runs (through the study runner), results files and the report.
#include "actlab/lab/compare.hpp"

#include "actlab/lab/stats.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/nn/model.hpp"
#include "src/lab/compare_plots.hpp"

namespace actlab::lab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string f3(double v, int prec = 3) {
  if (!std::isfinite(v)) return "-";
  char b[48];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
}

// mean ± half-width of the 95% Student-t interval over the n values.
std::string pm(const Stat& s, int prec = 3) {
  if (s.n == 0) return "-";
  if (!std::isfinite(s.std) || s.n < 2) return f3(s.mean, prec);
  const double half = stats::t_quantile(0.975, double(s.n - 1)) * s.std / std::sqrt(double(s.n));
  return f3(s.mean, prec) + " ± " + f3(half, prec);
}

std::string sci(double v) {
  if (!std::isfinite(v)) return "-";
  char b[48];
  std::snprintf(b, sizeof b, "%.2g", v);
  return b;
}

std::string csv_num(double v) {
  if (!std::isfinite(v)) return "";
  char b[48];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

std::string results_csv(const std::vector<CompareRun>& runs) {
  std::ostringstream os;
  os << "act,seed,diverged,epoch,train_loss,train_acc,test_loss,test_acc,epoch_seconds,layer,layer_act,units,"
        "weight_grad_norm,preact_grad_norm,dead_fraction,saturation_fraction,pre_mean,pre_std,post_mean,"
        "post_std,prelu_slope_mean\n";
  for (const auto& r : runs)
    for (const auto& e : r.record.epochs)
      for (const auto& l : e.layers) {
        double slope = NAN;
        if (!l.prelu_slopes.empty()) {
          slope = 0;
          for (double s : l.prelu_slopes) slope += s;
          slope /= double(l.prelu_slopes.size());
        }
        // Activation texts may contain commas ("hardtanh(min_val=-1,max_val=1)").
        os << '"' << r.act << '"' << ',' << r.seed << ',' << (r.record.diverged ? 1 : 0) << ',' << e.epoch << ','
           << csv_num(e.train_loss) << ',' << csv_num(e.train_acc) << ',' << csv_num(e.test_loss) << ','
           << csv_num(e.test_acc) << ',' << csv_num(e.seconds) << ',' << l.name << ',' << '"' << l.act << '"'
           << ',' << l.units << ',' << csv_num(l.weight_grad_norm) << ',' << csv_num(l.preact_grad_norm) << ','
           << csv_num(l.dead_fraction) << ',' << csv_num(l.saturation_fraction) << ',' << csv_num(l.pre_mean)
           << ',' << csv_num(l.pre_std) << ',' << csv_num(l.post_mean) << ',' << csv_num(l.post_std) << ','
           << csv_num(slope) << '\n';
      }
  return os.str();
}

ReportTable ranking_table(const std::vector<ActSummary>& s, double target_acc) {
  ReportTable t;
  t.caption = "Ranking by final test accuracy (mean ± 95% CI half-width over seeds; 'actlab study' adds "
              "Holm-corrected ties)";
  t.header = {"rank",
              "activation",
              "final test acc",
              "best test acc",
              "epoch-1 test acc",
              "epochs to " + f3(target_acc, 2),
              "s to " + f3(target_acc, 2),
              "gen. gap",
              "dead units",
              "saturated",
              "grad first/last (init)",
              "s / epoch",
              "diverged"};
  const auto order = ranking(s);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto& a = s[order[k]];
    const std::string ept = a.epochs_to_target.n == 0 ? "never" : pm(a.epochs_to_target, 1) +
                            (a.epochs_to_target.n < a.runs ? " (" + std::to_string(a.epochs_to_target.n) + "/" +
                                                                std::to_string(a.runs) + " runs)" : "");
    t.rows.push_back({std::to_string(k + 1), a.act, pm(a.final_test_acc), pm(a.best_test_acc),
                      pm(a.first_epoch_test_acc), ept, a.seconds_to_target.n ? pm(a.seconds_to_target, 1) : "-",
                      pm(a.gen_gap), pm(a.dead_fraction), pm(a.saturation_fraction), sci(a.grad_ratio_init.mean),
                      pm(a.seconds_per_epoch, 2), std::to_string(a.diverged) + "/" + std::to_string(a.runs)});
    t.highlight.push_back(k == 0);
  }
  return t;
}

}  // namespace

std::vector<nn::ActSpec> default_compare_acts() {
  return catalogue_acts({"sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "selu", "gelu", "silu", "mish",
                         "softplus"});
}

std::vector<RunSpec> compare_specs(const CompareConfig& c) {
  if (c.acts.empty()) throw UsageError("--acts: no activation to compare");
  if (c.seeds < 1) throw UsageError("--seeds " + std::to_string(c.seeds) + ": need at least 1 seed");
  std::vector<RunSpec> specs;
  DataSpec data = c.run.data;
  fingerprint_user_data(data);  // an edited csv:/npy: file is never matched to old runs
  for (const auto& a : c.acts)
    for (int k = 1; k <= c.seeds; ++k) {
      RunSpec s = c.run;
      s.data = data;
      s.model.acts = {a};
      s.seed = std::uint64_t(k);
      s.validate();  // before anything trains: a bad flag fails at once
      specs.push_back(std::move(s));
    }
  return specs;
}

CompareOutcome run_compare(const CompareConfig& c, RunTrainer trainer) {
  const std::vector<RunSpec> specs = compare_specs(c);
  const fs::path out(c.out);
  RunnerOptions ro;
  ro.jobs = c.jobs;
  ro.cache_dir = (out / "runs").string();
  ro.progress = c.progress;
  const RunnerOutcome ran = run_specs(specs, ro, std::move(trainer));

  CompareOutcome o;
  o.reused = ran.reused;
  o.trained = ran.trained;
  o.invalid_cached = ran.invalid_cached;
  for (const auto& s : specs) o.runs.push_back({act_label(s.model.acts.front()), s.seed, ran.records.at(s.hash())});
  const std::size_t seeds = std::size_t(c.seeds);
  for (std::size_t i = 0; i < c.acts.size(); ++i) {
    std::vector<const RunRecord*> runs;
    for (std::size_t k = 0; k < seeds; ++k) runs.push_back(&o.runs[i * seeds + k].record);
    o.summaries.push_back(summarise(act_label(c.acts[i]), runs, c.target_acc));
  }

  // results.json: config, every run in full, the summaries and the ranking.
  const RunSpec& r = c.run;
  const std::string model = model_label(r.model);
  json j;
  j["config"] = {{"data", r.data.name},
                 {"model", model},
                 {"batchnorm", r.model.batchnorm},
                 {"residual", r.model.residual},
                 {"dropout", r.model.dropout},
                 {"init", nn::init_text(r.model.init)},
                 {"epochs", r.epochs},
                 {"batch", r.batch},
                 {"optimizer", r.opt.name},
                 {"lr", r.opt.lr},
                 {"seeds", c.seeds},
                 {"target_acc", c.target_acc},
                 {"limit_train", r.data.train_rows},
                 {"limit_test", r.data.test_rows},
                 {"probe_rows", r.measure.probe_rows},
                 {"saturation_eps", kSaturationEps}};
  j["acts"] = json::array();
  for (const auto& a : c.acts) j["acts"].push_back(act_label(a));
  j["summary"] = json::array();
  for (const auto& s : o.summaries) j["summary"].push_back(to_json(s));
  j["ranking"] = json::array();
  for (std::size_t i : ranking(o.summaries)) j["ranking"].push_back(o.summaries[i].act);
  j["runs"] = json::array();
  for (const auto& run : o.runs) {
    json jr = to_json(run.record);
    jr["act"] = run.act;
    jr["seed"] = run.seed;
    j["runs"].push_back(std::move(jr));
  }
  const std::string rj = (out / "results.json").string(), rc = (out / "results.csv").string();
  write_file_atomic(rj, j.dump(1) + "\n");
  write_file_atomic(rc, results_csv(o.runs));
  o.files = {rj, rc};

  // Plots, then the report that embeds them.
  const auto figs = write_compare_plots(c, o.summaries, out.string());
  for (const auto& f : figs) {
    o.files.push_back(f.png);
    if (!f.svg.empty()) o.files.push_back(f.svg);
  }
  const auto rows = [](std::size_t n) { return n ? std::to_string(n) : std::string("all"); };
  Report rep;
  rep.title = "actlab compare: " + std::to_string(c.acts.size()) + " activations on " + r.data.name;
  rep.intro = {"Model " + model + (r.model.batchnorm ? " + batch norm" : "") + (r.model.residual ? " + residual" : "") +
                   ", " + r.opt.name + " lr " + sci(r.opt.lr) + ", batch " + std::to_string(r.batch) + ", " +
                   std::to_string(r.epochs) + " epochs, " + std::to_string(c.seeds) +
                   " seed(s) per activation; " +
                   (r.model.init == nn::InitKind::recommended ? std::string("each activation with its recommended initializer")
                                                              : std::string("initializer ") + nn::init_text(r.model.init)) +
                   ". Train rows: " +
                   rows(r.data.train_rows) + ", test rows: " + rows(r.data.test_rows) + ".",
               "Probes are taken on " + std::to_string(r.measure.probe_rows) +
                   " training rows in evaluation mode after every epoch: dead unit = output or derivative exactly "
                   "0 on every probe sample; saturated = |f'(z)| < " + sci(kSaturationEps) +
                   "; fractions are means over hidden layers. All numbers are in results.json / results.csv."};
  rep.sections.resize(3);
  rep.sections[0].heading = "Ranking";
  rep.sections[0].tables = {ranking_table(o.summaries, c.target_acc)};
  rep.sections[1].heading = "What the runs say about the claims";
  rep.sections[1].readings = compare_readings(o.summaries, c.target_acc);
  rep.sections[2].heading = "Plots";
  rep.sections[2].figures = figs;
  write_report(rep, out.string());
  o.files.push_back((out / "report.md").string());
  o.files.push_back((out / "report.html").string());
  return o;
}

}  // namespace actlab::lab
