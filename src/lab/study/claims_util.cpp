#include "src/lab/study/claims_util.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

namespace actlab::lab::claims {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Hidden layers: every probed layer but the output (the last).
std::vector<const LayerStats*> hidden(const EpochProbe& e) {
  std::vector<const LayerStats*> h;
  for (std::size_t i = 0; i + 1 < e.layers.size(); ++i) h.push_back(&e.layers[i]);
  return h;
}

double mean_hidden(const EpochProbe& e, double LayerStats::*f) {
  const auto h = hidden(e);
  if (h.empty()) return kNaN;
  double s = 0;
  for (auto* l : h) s += l->*f;
  return s / double(h.size());
}

std::vector<double> per_hidden(const EpochProbe& e, double LayerStats::*f) {
  std::vector<double> v;
  for (auto* l : hidden(e)) v.push_back(l->*f);
  return v;
}

void finish(Finding& f) {
  if (f.equivalence) {
    const double m = f.threshold;
    if (!(std::isfinite(f.effect.lo) && std::isfinite(f.effect.hi))) f.verdict = stats::Verdict::inconclusive;
    else if (f.effect.lo > -m && f.effect.hi < m) f.verdict = stats::Verdict::supported;
    else if (f.effect.lo > m || f.effect.hi < -m) f.verdict = stats::Verdict::contradicted;
    else f.verdict = stats::Verdict::inconclusive;
  } else {
    f.verdict = stats::decide(f.effect, f.threshold, f.higher_supports);
  }
  if (f.verdict == stats::Verdict::inconclusive && !f.equivalence)
    f.seeds_to_decide = stats::seeds_to_decide(f.effect, f.threshold);
}

std::string label_or(const std::string& axis, const Cell& c) {
  auto it = c.at.find(axis);
  return it == c.at.end() ? "" : it->second;
}

double to_x(const std::string& label, std::size_t index) {
  char* end = nullptr;
  const double v = std::strtod(label.c_str(), &end);
  return (end && *end == '\0' && !label.empty()) ? v : double(index);
}

// Mean and CI at each index over seeds (sequences of unequal length: per index).
void band(const std::vector<std::vector<double>>& runs, std::vector<double>& mean, std::vector<double>& lo,
          std::vector<double>& hi, std::vector<int>& n) {
  std::size_t len = 0;
  for (auto& r : runs) len = std::max(len, r.size());
  mean.assign(len, kNaN);
  lo.assign(len, kNaN);
  hi.assign(len, kNaN);
  n.assign(len, 0);
  for (std::size_t i = 0; i < len; ++i) {
    std::vector<double> col;
    for (auto& r : runs)
      if (i < r.size() && std::isfinite(r[i])) col.push_back(r[i]);
    if (col.empty()) continue;
    const auto ci = stats::mean_ci(col);
    mean[i] = ci.mean;
    lo[i] = std::isfinite(ci.lo) ? ci.lo : ci.mean;
    hi[i] = std::isfinite(ci.hi) ? ci.hi : ci.mean;
    n[i] = int(col.size());
  }
}

std::vector<std::vector<double>> seqs(const CellRuns& c, const Series& s) {
  std::vector<std::vector<double>> out;
  for (auto* r : c.seeds)
    if (r) out.push_back(s(*r));
  return out;
}

std::string cell_name(const Cell& c, const std::vector<std::string>& skip = {}) {
  std::string s;
  for (const auto& [k, v] : c.at) {
    if (std::find(skip.begin(), skip.end(), k) != skip.end()) continue;
    s += (s.empty() ? "" : ", ") + k + "=" + v;
  }
  return s.empty() ? "all" : s;
}

std::vector<std::string> csv_band_header() { return {"panel", "series", "x", "mean", "ci_lo", "ci_hi", "n"}; }

void add_band_rows(FigureOut& fo, const std::string& panel, const std::string& series, const std::vector<double>& x,
                   const std::vector<double>& m, const std::vector<double>& lo, const std::vector<double>& hi,
                   const std::vector<int>& n) {
  for (std::size_t i = 0; i < x.size() && i < m.size(); ++i)
    fo.csv_rows.push_back({panel, series, num(x[i], 6), num(m[i], 6), num(lo[i], 6), num(hi[i], 6), std::to_string(n[i])});
}

void layout(FigureOut& fo) {
  const int np = int(fo.fig.panels.size());
  fo.fig.cols = np <= 1 ? 1 : np <= 4 ? 2 : np <= 9 ? 3 : 4;
  const int rows = (np + fo.fig.cols - 1) / std::max(1, fo.fig.cols);
  // Two panels side by side each keep room for an outside legend.
  fo.fig.width = fo.fig.cols == 1 ? 1000 : (fo.fig.cols == 2 ? 620 : 440) * fo.fig.cols;
  fo.fig.height = std::max(420, 340 * rows);
}

}  // namespace

// --------------------------------------------------------------------------
ClaimResult start(const ExperimentRuns& e, const std::string& claim) {
  ClaimResult c;
  c.experiment = e.exp->name;
  c.claim = claim;
  if (const ClaimDef* d = find_claim(claim)) {
    c.title = d->title;
    c.statement = d->statement;
  }
  if (!e.exp->title.empty() && e.exp->title != e.exp->name) c.title = e.exp->title;
  // Set-up: the grid and the settings of the first cell.
  std::string s = "Grid: ";
  for (std::size_t i = 0; i < e.exp->axes.size(); ++i) {
    s += (i ? " × " : "") + e.exp->axes[i] + " {";
    for (std::size_t k = 0; k < e.exp->labels[i].size(); ++k) s += (k ? ", " : "") + e.exp->labels[i][k];
    s += "}";
  }
  if (e.exp->axes.empty()) s += "one cell";
  s += "; " + std::to_string(e.exp->seeds) + " seeds per cell.";
  if (!e.exp->cells.empty() && find_claim(claim) && find_claim(claim)->needs_runs) {
    const RunSpec& r = e.exp->cells[0].spec;
    char b[512];
    std::snprintf(b, sizeof b,
                  " First cell: data %s (%s training rows, %s test rows), model %s, optimizer %s lr %g%s, %d epochs, "
                  "batch %d.",
                  r.data.name.c_str(), r.data.train_rows ? std::to_string(r.data.train_rows).c_str() : "all",
                  r.data.test_rows ? std::to_string(r.data.test_rows).c_str() : "all", nn::to_text(r.model).c_str(),
                  r.opt.name.c_str(), double(r.opt.lr),
                  r.opt.momentum > 0 ? (" momentum " + num(r.opt.momentum, 2)).c_str() : "", r.epochs, r.batch);
    s += b;
  }
  c.setup = s;
  return c;
}

double param(const ExperimentRuns& e, const std::string& key, double dflt) {
  const auto& p = e.exp->params;
  if (!p.is_object() || !p.contains(key) || !p.at(key).is_number()) return dflt;
  return p.at(key).get<double>();
}

std::string param_s(const ExperimentRuns& e, const std::string& key, const std::string& dflt) {
  const auto& p = e.exp->params;
  if (!p.is_object() || !p.contains(key) || !p.at(key).is_string()) return dflt;
  return p.at(key).get<std::string>();
}

// --------------------------------------------------------------------------
double final_acc(const RunRecord& r) { return r.epochs.empty() ? kNaN : r.epochs.back().test_acc; }
double best_acc(const RunRecord& r) {
  double b = kNaN;
  for (std::size_t i = 1; i < r.epochs.size(); ++i)
    if (!(b >= r.epochs[i].test_acc)) b = r.epochs[i].test_acc;
  return b;
}
double init_acc(const RunRecord& r) { return r.epochs.empty() ? kNaN : r.epochs.front().test_acc; }
double final_train_acc(const RunRecord& r) { return r.epochs.empty() ? kNaN : r.epochs.back().train_acc; }
double gen_gap(const RunRecord& r) { return final_train_acc(r) - final_acc(r); }
double final_ece(const RunRecord& r) { return r.epochs.empty() ? kNaN : r.epochs.back().test_ece; }
double epoch_acc(const RunRecord& r, int epoch) {
  return epoch >= 0 && std::size_t(epoch) < r.epochs.size() ? r.epochs[std::size_t(epoch)].test_acc : final_acc(r);
}
double dead_final(const RunRecord& r) { return r.epochs.empty() ? kNaN : mean_hidden(r.epochs.back(), &LayerStats::dead_fraction); }
double zero_final(const RunRecord& r) { return r.epochs.empty() ? kNaN : mean_hidden(r.epochs.back(), &LayerStats::zero_fraction); }
double saturation_final(const RunRecord& r) {
  return r.epochs.empty() ? kNaN : mean_hidden(r.epochs.back(), &LayerStats::saturation_fraction);
}
double max_hidden_grad(const RunRecord& r) {
  if (r.epochs.empty()) return kNaN;
  double m = 0;
  for (auto* l : hidden(r.epochs.back())) m = std::max(m, l->preact_grad_norm);
  return m;
}
double log10_grad_ratio_init(const RunRecord& r) {
  if (r.epochs.empty()) return kNaN;
  const auto h = hidden(r.epochs.front());
  if (h.size() < 2) return 0;
  const double a = h.front()->preact_grad_norm, b = h.back()->preact_grad_norm;
  if (!(b > 0)) return kNaN;
  // A gradient that underflowed to 0 is reported as 10^-30 (below any threshold).
  return std::log10(std::max(a, 1e-30 * b) / b);
}
double steps_to(const RunRecord& r, double target) {
  std::uint64_t last = 0, gap = 1;
  for (std::size_t i = 0; i < r.curve.size(); ++i) {
    if (r.curve[i].test_acc >= target) return double(r.curve[i].step);
    if (i) gap = r.curve[i].step - r.curve[i - 1].step;
    last = r.curve[i].step;
  }
  if (r.curve.empty()) {  // per-epoch records only
    for (const auto& e : r.epochs)
      if (e.epoch > 0 && e.test_acc >= target) return double(e.steps);
    return r.epochs.empty() ? kNaN : double(r.epochs.back().steps) * 1.1 + 1;
  }
  return double(last + gap);
}
double mean_abs_slope_change(const RunRecord& r, double init) {
  if (r.epochs.empty()) return kNaN;
  double s = 0;
  std::size_t n = 0;
  for (auto* l : hidden(r.epochs.back()))
    for (double v : l->prelu_slopes) {  // one per layer, or one per channel
      s += std::fabs(v - init);
      ++n;
    }
  return n ? s / double(n) : kNaN;
}
double selu_deviation_init(const RunRecord& r) {
  if (r.epochs.empty()) return kNaN;
  const auto h = hidden(r.epochs.front());
  if (h.empty()) return kNaN;
  return std::max(std::fabs(h.back()->post_mean), std::fabs(h.back()->post_std - 1));
}
double abs_mean_last_init(const RunRecord& r) { return std::fabs(mean_last_init(r)); }
double centredness_last_init(const RunRecord& r) {
  const double s = std_last_init(r);
  return s > 0 ? std::fabs(mean_last_init(r)) / s : kNaN;
}
double mean_last_init(const RunRecord& r) {
  if (r.epochs.empty()) return kNaN;
  const auto h = hidden(r.epochs.front());
  return h.empty() ? kNaN : h.back()->post_mean;
}
double std_last_init(const RunRecord& r) {
  if (r.epochs.empty()) return kNaN;
  const auto h = hidden(r.epochs.front());
  return h.empty() ? kNaN : h.back()->post_std;
}
double abs_mean_hidden_final(const RunRecord& r) {
  if (r.epochs.empty()) return kNaN;
  const auto h = hidden(r.epochs.back());
  if (h.empty()) return kNaN;
  double s = 0;
  for (auto* l : h) s += std::fabs(l->post_mean);
  return s / double(h.size());
}
std::vector<double> final_acc_curve(const RunRecord& r) {
  std::vector<double> v;
  for (const auto& e : r.epochs) v.push_back(e.test_acc);
  return v;
}
std::vector<double> slope_per_layer(const RunRecord& r) {
  std::vector<double> v;
  if (r.epochs.empty()) return v;
  for (auto* l : hidden(r.epochs.back())) {
    double m = 0;
    for (double s : l->prelu_slopes) m += s;
    v.push_back(l->prelu_slopes.empty() ? kNaN : m / double(l->prelu_slopes.size()));
  }
  return v;
}
std::vector<double> post_mean_per_layer_init(const RunRecord& r) {
  return r.epochs.empty() ? std::vector<double>{} : per_hidden(r.epochs.front(), &LayerStats::post_mean);
}
std::vector<double> post_std_per_layer_init(const RunRecord& r) {
  return r.epochs.empty() ? std::vector<double>{} : per_hidden(r.epochs.front(), &LayerStats::post_std);
}
std::vector<double> post_std_per_layer_final(const RunRecord& r) {
  return r.epochs.empty() ? std::vector<double>{} : per_hidden(r.epochs.back(), &LayerStats::post_std);
}
std::vector<double> grad_per_layer_init(const RunRecord& r) {
  std::vector<double> v = r.epochs.empty() ? std::vector<double>{} : per_hidden(r.epochs.front(), &LayerStats::preact_grad_norm);
  for (auto& x : v) x = x > 0 ? std::log10(x) : -30;
  return v;
}
std::vector<double> zero_per_layer_final(const RunRecord& r) {
  return r.epochs.empty() ? std::vector<double>{} : per_hidden(r.epochs.back(), &LayerStats::zero_fraction);
}

std::vector<double> vals(const CellRuns& c, const Metric& m) {
  std::vector<double> v;
  for (auto* r : c.seeds) {
    if (!r) continue;
    const double x = m(*r);
    if (std::isfinite(x)) v.push_back(x);
  }
  return v;
}

double mean_of(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  double s = 0;
  for (double x : v) s += x;
  return s / double(v.size());
}

// --------------------------------------------------------------------------
Finding one_sample(const std::string& label, const std::string& effect, const std::vector<double>& v, double thr,
                   bool higher_supports) {
  Finding f;
  f.label = label;
  f.effect_name = effect;
  f.threshold = thr;
  f.higher_supports = higher_supports;
  if (!v.empty()) f.effect = stats::auto_ci(v);
  if (v.size() >= 2 && f.effect.sd > 0) f.effect_size = (f.effect.mean - thr) / f.effect.sd;
  finish(f);
  return f;
}

Finding paired(const std::string& label, const std::string& effect, const std::vector<double>& a,
               const std::vector<double>& b, double thr, bool higher_supports) {
  Finding f;
  f.label = label;
  f.effect_name = effect;
  f.threshold = thr;
  f.higher_supports = higher_supports;
  if (!a.empty() && !b.empty()) {
    const bool pair = a.size() == b.size();
    f.effect = pair ? stats::paired_diff_ci(a, b) : stats::welch_diff_ci(a, b);
    if (a.size() >= 2 && b.size() >= 2) {
      const double d = pair ? stats::cohens_dz(a, b) : stats::cohens_d(a, b);
      if (std::isfinite(d)) f.effect_size = d;
    }
  }
  finish(f);
  return f;
}

Finding equivalent(const std::string& label, const std::string& effect, const std::vector<double>& a,
                   const std::vector<double>& b, double margin) {
  Finding f = paired(label, effect, a, b, margin, true);
  f.equivalence = true;
  f.seeds_to_decide = -1;
  finish(f);
  return f;
}

stats::Verdict all_of(const std::vector<Finding>& fs) {
  if (fs.empty()) return stats::Verdict::inconclusive;
  bool all = true;
  for (const auto& f : fs) {
    if (f.verdict == stats::Verdict::contradicted) return stats::Verdict::contradicted;
    all = all && f.verdict == stats::Verdict::supported;
  }
  return all ? stats::Verdict::supported : stats::Verdict::inconclusive;
}

stats::Verdict decide_by(ClaimResult& c, const std::vector<Finding>& deciding) {
  for (auto& f : c.findings) {
    f.deciding = false;
    for (const auto& d : deciding) f.deciding = f.deciding || d.label == f.label;
  }
  return all_of(deciding);
}

std::string change_text(const ClaimResult& c) {
  std::string s;
  for (const auto& f : c.findings) {
    if (!f.deciding) continue;
    std::string part;
    if (!std::isfinite(f.effect.lo) || !std::isfinite(f.effect.hi)) {
      part = f.label + ": too few seeds for an interval (run with --seeds 3 or more)";
    } else if (f.verdict == stats::Verdict::inconclusive) {
      if (f.equivalence)
        part = f.label + ": the CI [" + num(f.effect.lo) + ", " + num(f.effect.hi) + "] crosses ±" + num(f.threshold) +
               "; more seeds would narrow it";
      else if (f.seeds_to_decide > 1000)
        part = f.label + ": the mean " + num(f.effect.mean) + " is too close to " + num(f.threshold) +
               " for any practical number of seeds to decide it";
      else if (f.seeds_to_decide > 0)
        part = f.label + ": the CI straddles " + num(f.threshold) + "; with this spread about " +
               std::to_string(f.seeds_to_decide) + " seeds would decide it (--seeds " + std::to_string(f.seeds_to_decide) + ")";
    } else {
      const double margin = f.equivalence ? std::min(f.threshold - std::fabs(f.effect.hi), f.threshold - std::fabs(f.effect.lo))
                                          : (f.higher_supports == (f.verdict == stats::Verdict::supported)
                                                 ? f.effect.lo - f.threshold
                                                 : f.threshold - f.effect.hi);
      part = f.label + ": the CI clears " + (f.equivalence ? "±" : "") + num(f.threshold) + " by " +
             num(std::fabs(margin)) + "; a threshold that much " +
             ((f.higher_supports == (f.verdict == stats::Verdict::supported)) ? "higher" : "lower") +
             " would make it inconclusive";
    }
    if (!part.empty()) s += (s.empty() ? "" : "; ") + part;
  }
  return s.empty() ? "" : "What would change the verdict — " + s + ".";
}

std::string verdict_sentence(const ClaimResult& c) {
  if (c.findings.empty()) return "Inconclusive: no finding could be computed (missing runs or cells).";
  std::string s;
  const auto side = [](const Finding& f) {
    return (f.equivalence ? "within ±" : f.higher_supports ? "above " : "below ") + num(f.threshold);
  };
  if (c.verdict == stats::Verdict::supported) {
    s = "Supported: every deciding finding's 95% CI lies " + std::string("on the claim's side (");
    bool first = true;
    for (const auto& f : c.findings)
      if (f.deciding && f.verdict == stats::Verdict::supported) {
        s += (first ? "" : "; ") + f.label + " " + ci_text(f.effect) + ", " + side(f);
        first = false;
      }
    return s + ").";
  }
  for (const auto& f : c.findings)
    if (f.deciding && f.verdict == c.verdict) {
      if (c.verdict == stats::Verdict::contradicted)
        return "Contradicted: " + f.label + " is " + ci_text(f.effect) + ", entirely on the other side of the "
               "threshold (the claim needs it " + side(f) + ").";
      return "Inconclusive: " + f.label + " is " + ci_text(f.effect) + ", which straddles the threshold (" + side(f) + ").";
    }
  return std::string(stats::verdict_name(c.verdict)) + ".";
}

// --------------------------------------------------------------------------
std::string num(double v, int digits) {
  if (!std::isfinite(v)) return std::isnan(v) ? "-" : (v > 0 ? "inf" : "-inf");
  char b[48];
  const double a = std::fabs(v);
  if (a != 0 && (a < 1e-3 || a >= 1e6)) std::snprintf(b, sizeof b, "%.*g", digits, v);
  else std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

std::string ci_text(const stats::Interval& i, int digits) {
  if (i.n == 0) return "-";
  if (!std::isfinite(i.lo)) return num(i.mean, digits) + " (n=" + std::to_string(i.n) + ")";
  return num(i.mean, digits) + " [" + num(i.lo, digits) + ", " + num(i.hi, digits) + "]";
}

// --------------------------------------------------------------------------
ReportTable cell_table(const ExperimentRuns& e, const std::vector<std::pair<std::string, Metric>>& cols) {
  ReportTable t;
  t.caption = "Per grid point: mean [95% CI] over seeds";
  for (const auto& a : e.exp->axes) t.header.push_back(a);
  t.header.push_back("runs");
  for (const auto& [name, m] : cols) t.header.push_back(name);
  t.header.push_back("diverged");
  for (const auto& c : e.cells) {
    std::vector<std::string> row;
    for (const auto& a : e.exp->axes) row.push_back(label_or(a, *c.cell));
    int n = 0, div = 0;
    for (auto* r : c.seeds)
      if (r) {
        ++n;
        div += r->diverged;
      }
    row.push_back(std::to_string(n));
    for (const auto& [name, m] : cols) {
      const auto v = vals(c, m);
      row.push_back(v.empty() ? "-" : ci_text(stats::mean_ci(v)));
    }
    row.push_back(std::to_string(div));
    t.rows.push_back(row);
  }
  return t;
}

ReportTable findings_table(const std::vector<Finding>& fs) {
  ReportTable t;
  t.caption = "Findings: effect, mean [95% CI] over seeds, against the threshold; effect size: Cohen's d_z "
              "for paired differences (mean / sd of the differences), d for unpaired, (mean − threshold) / sd "
              "for one sample";
  t.header = {"finding", "role", "effect", "mean [95% CI]", "effect size", "threshold", "verdict"};
  for (const auto& f : fs) {
    t.rows.push_back({f.label, f.deciding ? "decides" : "contrast", f.effect_name, ci_text(f.effect),
                      std::isfinite(f.effect_size) ? num(f.effect_size, 2) : "-",
                      (f.equivalence ? "within ±" : f.higher_supports ? "> " : "< ") + num(f.threshold),
                      stats::verdict_name(f.verdict)});
    t.highlight.push_back(f.verdict == stats::Verdict::supported);
  }
  return t;
}

ReportTable matrix_table(const ExperimentRuns& e, const std::string& row_axis, const std::string& col_axis,
                         const Metric& m, const std::string& what) {
  ReportTable t;
  t.caption = what + ", mean [95% CI] over seeds: " + row_axis + " × " + col_axis;
  t.header = {row_axis};
  for (const auto& cv : e.values(col_axis)) t.header.push_back(cv);
  for (const auto& rv : e.values(row_axis)) {
    std::vector<std::string> row{rv};
    for (const auto& cv : e.values(col_axis)) {
      const auto* c = e.find({{row_axis, rv}, {col_axis, cv}});
      const auto v = c ? vals(*c, m) : std::vector<double>{};
      row.push_back(v.empty() ? "-" : ci_text(stats::mean_ci(v)));
    }
    t.rows.push_back(row);
  }
  return t;
}

ReportTable rank_table(const ExperimentRuns& e, const std::string& axis, const Metric& m, const std::string& what) {
  ReportTable t;
  const auto labels = e.values(axis);
  std::vector<std::vector<double>> s;
  std::vector<std::string> names;
  for (const auto& l : labels) {
    // With several axes, the first cell of each value (the others fixed at their first value).
    const CellRuns* c = e.find({{axis, l}});
    if (!c) continue;
    s.push_back(vals(*c, m));
    names.push_back(l);
  }
  t.caption = "Ranking by " + what + ": mean [95% CI]; items sharing a letter are not significantly different "
              "(pairwise paired t-tests, Holm-corrected, alpha 0.05)";
  t.header = {"rank", axis, what, "group", "tied with best", "n"};
  bool ok = s.size() >= 2;
  for (auto& v : s) ok = ok && v.size() >= 2;
  if (!ok) {
    for (std::size_t i = 0; i < s.size(); ++i)
      t.rows.push_back({"-", names[i], s[i].empty() ? "-" : ci_text(stats::mean_ci(s[i])), "-", "-", std::to_string(s[i].size())});
    return t;
  }
  bool same = true;
  for (auto& v : s) same = same && v.size() == s[0].size();
  const auto rk = stats::rank_with_ties(s, 0.05, same);
  for (std::size_t k = 0; k < rk.order.size(); ++k) {
    const std::size_t i = rk.order[k];
    t.rows.push_back({std::to_string(k + 1), names[i], ci_text(stats::mean_ci(s[i])), rk.letters[i],
                      rk.tied_with_best[i] ? "yes" : "no", std::to_string(s[i].size())});
    t.highlight.push_back(rk.tied_with_best[i] != 0);
  }
  return t;
}

ReportTable layer_table(const CellRuns& c, const Series& s, const std::string& what) {
  ReportTable t;
  t.caption = what + " per hidden layer, mean [95% CI] over seeds";
  t.header = {"layer", what};
  std::vector<double> m, lo, hi;
  std::vector<int> n;
  band(seqs(c, s), m, lo, hi, n);
  for (std::size_t i = 0; i < m.size(); ++i) t.rows.push_back({std::to_string(i + 1), num(m[i]) + " [" + num(lo[i]) + ", " + num(hi[i]) + "]"});
  return t;
}

// --------------------------------------------------------------------------
FigureOut bars(const ExperimentRuns& e, const std::string& category_axis, const std::string& group_axis,
               const Metric& m, const std::string& ylabel, const std::string& caption) {
  FigureOut fo;
  fo.caption = caption + " (mean, error bar: 95% CI)";
  fo.csv_header = {"category", "group", "mean", "ci_lo", "ci_hi", "n"};
  BarPanel p;
  p.ylabel = ylabel;
  p.categories = e.values(category_axis);
  std::vector<std::string> groups = group_axis.empty() ? std::vector<std::string>{""} : e.values(group_axis);
  if (groups.empty()) groups = {""};
  for (const auto& g : groups) {
    BarPanel::Group grp{g.empty() ? ylabel : g, {}, {}};
    for (const auto& cat : p.categories) {
      std::map<std::string, std::string> at{{category_axis, cat}};
      if (!g.empty()) at[group_axis] = g;
      const auto* c = e.find(at);
      const auto v = c ? vals(*c, m) : std::vector<double>{};
      const auto ci = v.empty() ? stats::Interval{} : stats::mean_ci(v);
      grp.values.push_back(std::isfinite(ci.mean) ? ci.mean : 0);
      grp.err.push_back(std::isfinite(ci.hi) ? ci.hi - ci.mean : 0);
      fo.csv_rows.push_back({cat, g, num(ci.mean, 6), num(ci.lo, 6), num(ci.hi, 6), std::to_string(ci.n)});
    }
    p.groups.push_back(grp);
  }
  fo.fig.panels.push_back(p);
  fo.fig.width = 1000;
  fo.fig.height = 480;
  return fo;
}

FigureOut rank_bars(const ExperimentRuns& e, const std::string& axis, const Metric& m, const std::string& ylabel,
                    const std::string& caption) {
  FigureOut fo;
  fo.caption = caption;
  fo.csv_header = {"rank", axis, "mean", "ci_lo", "ci_hi", "group", "n"};
  const ReportTable t = rank_table(e, axis, m, ylabel);
  BarPanel p;
  p.ylabel = ylabel;
  p.zoom = true;  // the differences are small against the accuracy itself
  BarPanel::Group g{ylabel, {}, {}};
  for (const auto& row : t.rows) {
    const auto* c = e.find({{axis, row[1]}});
    const auto v = c ? vals(*c, m) : std::vector<double>{};
    const auto ci = v.empty() ? stats::Interval{} : stats::mean_ci(v);
    p.categories.push_back(row[1] + (row[3] == "-" ? "" : " (" + row[3] + ")"));
    g.values.push_back(std::isfinite(ci.mean) ? ci.mean : 0);
    g.err.push_back(std::isfinite(ci.hi) ? ci.hi - ci.mean : 0);
    fo.csv_rows.push_back({row[0], row[1], num(ci.mean, 6), num(ci.lo, 6), num(ci.hi, 6), row[3], std::to_string(ci.n)});
  }
  p.groups.push_back(g);
  fo.fig.panels.push_back(p);
  fo.fig.width = 1100;
  fo.fig.height = 480;
  return fo;
}

FigureOut lines(const ExperimentRuns& e, const std::string& x_axis, const std::string& series_axis,
                const std::string& panel_axis, const Metric& m, const std::string& ylabel, const std::string& caption,
                bool log_x) {
  FigureOut fo;
  fo.caption = caption + " (mean over seeds, band: 95% CI)";
  fo.csv_header = csv_band_header();
  std::vector<std::string> panels = e.values(panel_axis);
  if (panels.empty()) panels = {""};
  const auto xs = e.values(x_axis);
  for (const auto& pv : panels) {
    LinePanel lp;
    lp.title = pv.empty() ? "" : panel_axis + " = " + pv;
    lp.xlabel = x_axis + (log_x ? " (log10)" : "");
    lp.integer_x = log_x;  // decades: fractional ticks of a log10 axis crowd a small panel
    lp.ylabel = ylabel;
    lp.legend_outside = true;
    for (const auto& sv : e.values(series_axis)) {
      lab::Series s;
      s.label = sv;
      s.markers = true;
      std::vector<double> x, mm, lo, hi;
      std::vector<int> n;
      for (std::size_t i = 0; i < xs.size(); ++i) {
        std::map<std::string, std::string> at{{x_axis, xs[i]}, {series_axis, sv}};
        if (!pv.empty()) at[panel_axis] = pv;
        const auto* c = e.find(at);
        if (!c) continue;
        const auto v = vals(*c, m);
        if (v.empty()) continue;
        const auto ci = stats::mean_ci(v);
        double xv = to_x(xs[i], i);
        if (log_x) xv = xv > 0 ? std::log10(xv) : xv;
        x.push_back(xv);
        mm.push_back(ci.mean);
        lo.push_back(std::isfinite(ci.lo) ? ci.lo : ci.mean);
        hi.push_back(std::isfinite(ci.hi) ? ci.hi : ci.mean);
        n.push_back(ci.n);
      }
      add_band_rows(fo, pv, sv, x, mm, lo, hi, n);
      s.x = x;
      s.y = mm;
      s.band_lo = lo;
      s.band_hi = hi;
      lp.series.push_back(s);
    }
    fo.fig.panels.push_back(lp);
  }
  layout(fo);
  return fo;
}

FigureOut curves(const ExperimentRuns& e, const std::string& series_axis, const Series& sf, const std::string& ylabel,
                 const std::string& caption) {
  FigureOut fo;
  fo.caption = caption + " (mean over seeds, band: 95% CI)";
  fo.csv_header = csv_band_header();
  LinePanel lp;
  lp.xlabel = "epoch";
  lp.ylabel = ylabel;
  lp.legend_outside = true;
  lp.integer_x = true;
  for (const auto& sv : e.values(series_axis)) {
    const auto* c = e.find({{series_axis, sv}});
    if (!c) continue;
    std::vector<double> m, lo, hi;
    std::vector<int> n;
    band(seqs(*c, sf), m, lo, hi, n);
    lab::Series s;
    s.label = sv;
    s.markers = true;
    for (std::size_t i = 0; i < m.size(); ++i) s.x.push_back(double(i));
    s.y = m;
    s.band_lo = lo;
    s.band_hi = hi;
    add_band_rows(fo, "", sv, s.x, m, lo, hi, n);
    lp.series.push_back(s);
  }
  fo.fig.panels.push_back(lp);
  fo.fig.width = 1000;
  fo.fig.height = 480;
  return fo;
}

FigureOut small_multiples(const ExperimentRuns& e, const std::string& axis, const Series& sf, const std::string& ylabel,
                          const std::string& caption) {
  FigureOut fo;
  fo.caption = caption + " (band: 95% CI over seeds)";
  fo.csv_header = csv_band_header();
  struct Line {
    std::string name;
    std::vector<double> x, m, lo, hi;
  };
  std::vector<Line> all;
  double ymin = 1e300, ymax = -1e300;
  for (const auto& v : e.values(axis)) {
    const auto* c = e.find({{axis, v}});
    if (!c) continue;
    Line l;
    l.name = v;
    std::vector<int> n;
    band(seqs(*c, sf), l.m, l.lo, l.hi, n);
    for (std::size_t i = 0; i < l.m.size(); ++i) l.x.push_back(double(i));
    add_band_rows(fo, v, v, l.x, l.m, l.lo, l.hi, n);
    // The y range leaves out epoch 0 (chance), so the trained epochs are readable.
    for (std::size_t i = 1; i < l.m.size(); ++i)
      if (std::isfinite(l.lo[i]) && std::isfinite(l.hi[i])) {
        ymin = std::min(ymin, l.lo[i]);
        ymax = std::max(ymax, l.hi[i]);
      }
    all.push_back(l);
  }
  for (std::size_t k = 0; k < all.size(); ++k) {
    LinePanel lp;
    lp.title = all[k].name;
    lp.xlabel = "epoch";
    lp.ylabel = ylabel;
    lp.legend = false;
    if (ymax > ymin) {
      lp.ymin = ymin - 0.1 * (ymax - ymin);
      lp.ymax = ymax + 0.1 * (ymax - ymin);
      lp.xmin = 1;
      lp.xmax = all[k].x.empty() ? 1 : all[k].x.back();
      if (lp.xmax <= lp.xmin) lp.xmax = lp.xmin + 1;
    }
    for (std::size_t j = 0; j < all.size(); ++j) {
      if (j == k) continue;
      lab::Series s;
      s.x = all[j].x;
      s.y = all[j].m;
      s.color = 7;  // grey context lines (palette() index 7 is grey)
      lp.series.push_back(s);
    }
    lab::Series s;
    s.label = all[k].name;
    s.x = all[k].x;
    s.y = all[k].m;
    s.band_lo = all[k].lo;
    s.band_hi = all[k].hi;
    s.color = 0;
    s.markers = true;
    lp.series.push_back(s);
    lp.integer_x = true;
    fo.fig.panels.push_back(lp);
  }
  layout(fo);
  return fo;
}

FigureOut step_curves(const ExperimentRuns& e, const std::string& series_axis, const std::string& panel_axis,
                      const std::string& caption) {
  FigureOut fo;
  fo.caption = caption + " (mean over seeds, band: 95% CI)";
  fo.csv_header = csv_band_header();
  std::vector<std::string> panels = e.values(panel_axis);
  if (panels.empty()) panels = {""};
  for (const auto& pv : panels) {
    LinePanel lp;
    lp.title = pv.empty() ? "" : panel_axis + " = " + pv;
    lp.xlabel = "optimisation step";
    lp.ylabel = "test accuracy";
    lp.legend_outside = true;
    for (const auto& sv : e.values(series_axis)) {
      std::map<std::string, std::string> at{{series_axis, sv}};
      if (!pv.empty()) at[panel_axis] = pv;
      const auto* c = e.find(at);
      if (!c) continue;
      std::vector<std::vector<double>> acc;
      std::vector<double> steps;
      for (auto* r : c->seeds) {
        if (!r) continue;
        std::vector<double> a;
        for (const auto& p : r->curve) a.push_back(p.test_acc);
        if (steps.empty())
          for (const auto& p : r->curve) steps.push_back(double(p.step));
        acc.push_back(a);
      }
      std::vector<double> m, lo, hi;
      std::vector<int> n;
      band(acc, m, lo, hi, n);
      m.resize(std::min(m.size(), steps.size()));
      lo.resize(m.size());
      hi.resize(m.size());
      std::vector<double> x(steps.begin(), steps.begin() + std::ptrdiff_t(m.size()));
      add_band_rows(fo, pv, sv, x, m, lo, hi, n);
      lab::Series s;
      s.label = sv;
      s.x = x;
      s.y = m;
      s.band_lo = lo;
      s.band_hi = hi;
      lp.series.push_back(s);
    }
    fo.fig.panels.push_back(lp);
  }
  layout(fo);
  return fo;
}

FigureOut per_layer(const CellRuns& c, const Series& sf, const std::string& ylabel, const std::string& caption) {
  FigureOut fo;
  fo.caption = caption + " (mean over seeds, band: 95% CI)";
  fo.csv_header = csv_band_header();
  LinePanel lp;
  lp.xlabel = "hidden layer";
  lp.ylabel = ylabel;
  lp.legend = false;
  std::vector<double> m, lo, hi;
  std::vector<int> n;
  band(seqs(c, sf), m, lo, hi, n);
  lab::Series s;
  for (std::size_t i = 0; i < m.size(); ++i) s.x.push_back(double(i + 1));
  s.y = m;
  s.band_lo = lo;
  s.band_hi = hi;
  s.markers = true;
  add_band_rows(fo, "", "", s.x, m, lo, hi, n);
  lp.series.push_back(s);
  lp.xmin = 0.5;
  lp.xmax = double(m.size()) + 0.5;
  lp.integer_x = true;
  fo.fig.panels.push_back(lp);
  fo.fig.width = 900;
  fo.fig.height = 450;
  return fo;
}

FigureOut per_layer_cells(const ExperimentRuns& e, const std::string& series_axis, const Series& sf,
                          const std::string& ylabel, const std::string& caption, const std::string& panel_axis,
                          bool log_y) {
  FigureOut fo;
  fo.caption = caption + " (mean over seeds, band: 95% CI)";
  fo.csv_header = csv_band_header();
  std::vector<std::string> panels = panel_axis.empty() ? std::vector<std::string>{""} : e.values(panel_axis);
  if (panels.empty()) panels = {""};
  for (const auto& pv : panels) {
    LinePanel lp;
    lp.title = pv.empty() ? "" : panel_axis + " = " + pv;
    lp.xlabel = "hidden layer";
    lp.ylabel = ylabel;
    lp.legend_outside = true;
    (void)log_y;  // values are already log10 where asked (the series functions say so)
    std::size_t layers = 0;
    for (const auto& sv : e.values(series_axis)) {
      std::map<std::string, std::string> at{{series_axis, sv}};
      if (!pv.empty()) at[panel_axis] = pv;
      const auto* c = e.find(at);
      if (!c) continue;
      std::vector<double> m, lo, hi;
      std::vector<int> n;
      band(seqs(*c, sf), m, lo, hi, n);
      lab::Series s;
      s.label = sv;
      s.markers = true;
      for (std::size_t i = 0; i < m.size(); ++i) s.x.push_back(double(i + 1));
      s.y = m;
      s.band_lo = lo;
      s.band_hi = hi;
      layers = std::max(layers, m.size());
      add_band_rows(fo, pv, sv, s.x, m, lo, hi, n);
      lp.series.push_back(s);
    }
    lp.xmin = 0.5;
    lp.xmax = double(layers) + 0.5;
    lp.integer_x = true;
    fo.fig.panels.push_back(lp);
  }
  layout(fo);
  return fo;
}

}  // namespace actlab::lab::claims
