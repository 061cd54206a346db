// actlab compare: runs, resume, results files and the report.
#include "actlab/lab/compare.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/nn/model.hpp"
#include "src/lab/compare_plots.hpp"
#include "src/lab/progress.hpp"

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

std::string pm(const Stat& s, int prec = 3) {
  if (s.n == 0) return "-";
  if (!std::isfinite(s.std)) return f3(s.mean, prec);
  return f3(s.mean, prec) + " ± " + f3(s.std, prec);
}

std::string sci(double v) {
  if (!std::isfinite(v)) return "-";
  char b[48];
  std::snprintf(b, sizeof b, "%.2g", v);
  return b;
}

// Reads a finished run if it exists and was made with the same config.
bool load_run(const fs::path& p, const std::string& key, RunResult& out) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return false;
  try {
    std::ifstream f(p);
    const json j = json::parse(f);
    RunResult r = run_from_json(j);
    if (r.config_key != key) return false;
    out = std::move(r);
    return true;
  } catch (const std::exception&) {
    return false;  // a damaged record is simply redone
  }
}

std::string csv_num(double v) {
  if (!std::isfinite(v)) return "";
  char b[48];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

std::string results_csv(const std::vector<RunResult>& runs) {
  std::ostringstream os;
  os << "act,seed,diverged,epoch,train_loss,train_acc,test_loss,test_acc,epoch_seconds,layer,layer_act,units,"
        "weight_grad_norm,preact_grad_norm,dead_fraction,saturation_fraction,pre_mean,pre_std,post_mean,"
        "post_std,prelu_slope_mean\n";
  for (const auto& r : runs)
    for (const auto& e : r.epochs)
      for (const auto& l : e.layers) {
        double slope = NAN;
        if (!l.prelu_slopes.empty()) {
          slope = 0;
          for (double s : l.prelu_slopes) slope += s;
          slope /= double(l.prelu_slopes.size());
        }
        // Activation texts may contain commas ("hardtanh(min_val=-1,max_val=1)").
        os << '"' << r.act << '"' << ',' << r.seed << ',' << (r.diverged ? 1 : 0) << ',' << e.epoch << ','
           << csv_num(e.train_loss) << ',' << csv_num(e.train_acc) << ',' << csv_num(e.test_loss) << ','
           << csv_num(e.test_acc) << ',' << csv_num(e.seconds) << ',' << l.name << ',' << '"' << l.act << '"'
           << ',' << l.units << ',' << csv_num(l.weight_grad_norm) << ',' << csv_num(l.preact_grad_norm) << ','
           << csv_num(l.dead_fraction) << ',' << csv_num(l.saturation_fraction) << ',' << csv_num(l.pre_mean)
           << ',' << csv_num(l.pre_std) << ',' << csv_num(l.post_mean) << ',' << csv_num(l.post_std) << ','
           << csv_num(slope) << '\n';
      }
  return os.str();
}

ReportTable ranking_table(const std::vector<ActSummary>& s, const TrainConfig& c) {
  ReportTable t;
  t.caption = "Ranking by final test accuracy (mean ± std over seeds)";
  t.header = {"rank",
              "activation",
              "final test acc",
              "best test acc",
              "epoch-1 test acc",
              "epochs to " + f3(c.target_acc, 2),
              "s to " + f3(c.target_acc, 2),
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
  std::vector<nn::ActSpec> v;
  for (const char* n : {"sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "selu", "gelu", "silu", "mish",
                        "softplus"}) {
    const act::Act a = *act::find(n);
    v.push_back({a, act::defaults(a)});
  }
  return v;
}

std::string run_file_name(const std::string& act, std::uint64_t seed) {
  std::string s;
  for (char ch : act) {
    const bool ok = std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '=' || ch == '-';
    s += ok ? ch : '_';
  }
  while (!s.empty() && s.back() == '_') s.pop_back();
  return s + "_seed" + std::to_string(seed) + ".json";
}

CompareOutcome run_compare(const CompareConfig& c, Trainer trainer) {
  if (c.acts.empty()) throw UsageError("--acts: no activation to compare");
  if (c.seeds < 1) throw UsageError("--seeds " + std::to_string(c.seeds) + ": need at least 1 seed");
  const fs::path out(c.out), runs_dir = fs::path(c.out) / "runs";
  std::error_code ec;
  fs::create_directories(runs_dir, ec);
  if (ec) throw DataError("output folder '" + runs_dir.string() + "' cannot be created: " + ec.message() +
                          "; choose another --out");
  const std::string key = c.train.key();

  // Data is loaded lazily: a fully resumed compare does not touch it.
  std::unique_ptr<data::Split> split;
  if (!trainer)
    trainer = [&](const nn::ActSpec& a, std::uint64_t seed, const RunProgress& p) {
      if (!split) split = std::make_unique<data::Split>(load_data(c.train));
      return train_run(c.train, a, seed, *split, p);
    };

  CompareOutcome o;
  const int total = int(c.acts.size()) * c.seeds;
  ProgressBar bar(total, c.progress);
  int done = 0;
  for (const auto& a : c.acts) {
    const std::string text = act_label(a);
    for (int s = 1; s <= c.seeds; ++s) {
      const fs::path file = runs_dir / run_file_name(text, std::uint64_t(s));
      RunResult r;
      if (load_run(file, key, r)) {
        ++o.reused;
        ++done;
        o.runs.push_back(std::move(r));
        continue;
      }
      const std::string label = text + " seed " + std::to_string(s);
      r = trainer(a, std::uint64_t(s), [&](int e, int ne, std::size_t b, std::size_t nb) {
        const double frac = (double(e - 1) + double(b) / double(std::max<std::size_t>(nb, 1))) / double(std::max(ne, 1));
        bar.update(done, frac, label + " epoch " + std::to_string(e) + "/" + std::to_string(ne));
      });
      r.config_key = key;
      write_file_atomic(file.string(), to_json(r).dump() + "\n");
      ++o.trained;
      ++done;
      const double acc = r.epochs.empty() ? NAN : r.epochs.back().test_acc;
      bar.run_finished(done, label, r.diverged ? "DIVERGED (" + r.note + ")" : "test acc " + f3(acc));
      o.runs.push_back(std::move(r));
    }
  }
  bar.finish();

  for (const auto& a : c.acts) o.summaries.push_back(summarise(act_label(a), o.runs, c.train.target_acc));

  // results.json: config, every run in full, the summaries and the ranking.
  json j;
  j["config"] = {{"key", key},
                 {"data", c.train.data},
                 {"model", c.train.model},
                 {"epochs", c.train.epochs},
                 {"batch", c.train.batch},
                 {"optimizer", c.train.optimizer},
                 {"lr", c.train.lr},
                 {"seeds", c.seeds},
                 {"target_acc", c.train.target_acc},
                 {"limit_train", c.train.limit_train},
                 {"limit_test", c.train.limit_test},
                 {"threads", c.train.threads},
                 {"saturation_eps", kSaturationEps}};
  j["acts"] = json::array();
  for (const auto& a : c.acts) j["acts"].push_back(act_label(a));
  j["summary"] = json::array();
  for (const auto& s : o.summaries) j["summary"].push_back(to_json(s));
  j["ranking"] = json::array();
  for (std::size_t i : ranking(o.summaries)) j["ranking"].push_back(o.summaries[i].act);
  j["runs"] = json::array();
  for (const auto& r : o.runs) j["runs"].push_back(to_json(r));
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
  Report rep;
  rep.title = "actlab compare: " + std::to_string(c.acts.size()) + " activations on " + c.train.data;
  rep.intro = {"Model " + c.train.model + (c.train.batchnorm ? " + batch norm" : "") +
                   (c.train.residual ? " + residual" : "") + ", " + c.train.optimizer + " lr " + sci(c.train.lr) +
                   ", batch " + std::to_string(c.train.batch) + ", " + std::to_string(c.train.epochs) +
                   " epochs, " + std::to_string(c.seeds) + " seed(s) per activation; each activation with its "
                   "recommended initializer. Train rows: " +
                   (c.train.limit_train ? std::to_string(c.train.limit_train) : std::string("all")) +
                   ", test rows: " + (c.train.limit_test ? std::to_string(c.train.limit_test) : std::string("all")) +
                   ".",
               "Probes are taken on " + std::to_string(c.train.probe_rows) +
                   " training rows in evaluation mode after every epoch: dead unit = output or derivative exactly "
                   "0 on every probe sample; saturated = |f'(z)| < " + sci(kSaturationEps) +
                   "; fractions are means over hidden layers. All numbers are in results.json / results.csv."};
  ReportSection rank{"Ranking", {}, {ranking_table(o.summaries, c.train)}, {}, {}};
  ReportSection reads{"What the runs say about the claims", {}, {}, compare_readings(o.summaries, c.train), {}};
  ReportSection plots{"Plots", {}, {}, {}, figs};
  rep.sections = {rank, reads, plots};
  write_report(rep, out.string());
  o.files.push_back((out / "report.md").string());
  o.files.push_back((out / "report.html").string());
  return o;
}

}  // namespace actlab::lab
