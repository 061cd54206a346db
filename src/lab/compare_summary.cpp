// compare's summary of one activation's runs over seeds, and the ranking.
#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>

#include "actlab/lab/compare.hpp"

namespace actlab::lab {
namespace {

using nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// JSON has no NaN: non-finite numbers are written as null and read back as NaN.
json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

Stat stat(const std::vector<double>& v) {
  Stat s;
  std::vector<double> f;
  for (double x : v)
    if (std::isfinite(x)) f.push_back(x);
  s.n = int(f.size());
  if (f.empty()) return {kNaN, kNaN, 0};
  s.mean = std::accumulate(f.begin(), f.end(), 0.0) / double(f.size());
  if (f.size() < 2) {
    s.std = kNaN;
    return s;
  }
  double q = 0;
  for (double x : f) q += (x - s.mean) * (x - s.mean);
  s.std = std::sqrt(q / double(f.size() - 1));
  return s;
}

json stat_json(const Stat& s) { return {{"mean", num(s.mean)}, {"std", num(s.std)}, {"n", s.n}}; }

// Mean over hidden layers (every probed layer but the output layer).
double hidden_mean(const EpochProbe& e, double LayerStats::*field) {
  if (e.layers.size() < 2) return kNaN;
  double s = 0;
  for (std::size_t i = 0; i + 1 < e.layers.size(); ++i) s += e.layers[i].*field;
  return s / double(e.layers.size() - 1);
}

// Mean learned PReLU slope over the layers that have one (NaN if none).
double mean_slope(const EpochProbe& e) {
  double s = 0;
  std::size_t n = 0;
  for (const auto& l : e.layers)
    for (double v : l.prelu_slopes) s += v, ++n;
  return n ? s / double(n) : kNaN;
}

// First-layer / last-layer weight-gradient norm (last = output layer).
double grad_ratio(const EpochProbe& e) {
  if (e.layers.size() < 2) return kNaN;
  const double last = e.layers.back().weight_grad_norm;
  return last > 0 ? e.layers.front().weight_grad_norm / last : kNaN;
}

// Per index i, `field` (mean or std) of the i-th entries of the rows that have one.
std::vector<double> per_index(const std::vector<std::vector<double>>& rows, double Stat::*field) {
  std::size_t n = 0;
  for (auto& r : rows) n = std::max(n, r.size());
  std::vector<double> out(n, kNaN);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> col;
    for (auto& r : rows)
      if (i < r.size()) col.push_back(r[i]);
    out[i] = stat(col).*field;
  }
  return out;
}

std::vector<double> mean_over(const std::vector<std::vector<double>>& rows) { return per_index(rows, &Stat::mean); }
std::vector<double> std_over(const std::vector<std::vector<double>>& rows) { return per_index(rows, &Stat::std); }

json vec(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(num(x));
  return a;
}

}  // namespace

ActSummary summarise(const std::string& act, const std::vector<const RunRecord*>& runs, double target_acc) {
  ActSummary s;
  s.act = act;
  std::vector<double> fin, best, floss, ept, spt, gap, dead, sat, gri, grf, spe, first, sli, slf;
  std::vector<std::vector<double>> acc_curves, loss_curves, g_init, g_final, d_final, s_final, pm, ps, pmi, psi, fh, lh;
  for (const RunRecord* rp : runs) {
    const RunRecord& r = *rp;
    ++s.runs;
    s.diverged += r.diverged;
    if (r.epochs.empty()) continue;
    const EpochProbe& init = r.epochs.front();
    const EpochProbe& last = r.epochs.back();
    // A diverged run keeps its recorded epochs, but its final accuracy is
    // that of a failed run: chance is what it would deliver.
    fin.push_back(r.diverged ? kNaN : last.test_acc);
    floss.push_back(r.diverged ? kNaN : last.test_loss);
    double b = kNaN, secs = 0, epochs_hit = kNaN, secs_hit = kNaN, train_secs = 0;
    std::vector<double> ac, lc;
    for (const auto& e : r.epochs) {
      secs += e.seconds;
      if (e.epoch > 0) train_secs += e.seconds;
      if (!(b >= e.test_acc)) b = e.test_acc;
      if (e.epoch > 0 && std::isnan(epochs_hit) && e.test_acc >= target_acc) {
        epochs_hit = e.epoch;
        secs_hit = secs;
      }
      ac.push_back(e.test_acc);
      lc.push_back(e.test_loss);
    }
    best.push_back(b);
    ept.push_back(epochs_hit);
    spt.push_back(secs_hit);
    gap.push_back(last.train_acc - last.test_acc);
    dead.push_back(hidden_mean(last, &LayerStats::dead_fraction));
    sat.push_back(hidden_mean(last, &LayerStats::saturation_fraction));
    sli.push_back(mean_slope(init));
    slf.push_back(mean_slope(last));
    gri.push_back(grad_ratio(init));
    grf.push_back(grad_ratio(last));
    spe.push_back(r.epochs.size() > 1 ? train_secs / double(r.epochs.size() - 1) : kNaN);
    first.push_back(r.epochs.size() > 1 ? r.epochs[1].test_acc : kNaN);
    acc_curves.push_back(ac);
    loss_curves.push_back(lc);
    std::vector<double> gi, gf, df, sf, m, sd;
    std::vector<double> mi, si;
    for (auto& l : init.layers) {
      gi.push_back(l.weight_grad_norm);
      mi.push_back(l.post_mean);
      si.push_back(l.post_std);
    }
    pmi.push_back(mi);
    psi.push_back(si);
    for (auto& l : last.layers) {
      gf.push_back(l.weight_grad_norm);
      df.push_back(l.dead_fraction);
      sf.push_back(l.saturation_fraction);
      m.push_back(l.post_mean);
      sd.push_back(l.post_std);
    }
    g_init.push_back(gi);
    g_final.push_back(gf);
    d_final.push_back(df);
    s_final.push_back(sf);
    pm.push_back(m);
    ps.push_back(sd);
    if (last.layers.size() >= 2) {
      fh.push_back(last.layers.front().pre_hist);
      lh.push_back(last.layers[last.layers.size() - 2].pre_hist);
    }
  }
  s.final_test_acc = stat(fin);
  s.best_test_acc = stat(best);
  s.final_test_loss = stat(floss);
  s.epochs_to_target = stat(ept);
  s.seconds_to_target = stat(spt);
  s.gen_gap = stat(gap);
  s.dead_fraction = stat(dead);
  s.saturation_fraction = stat(sat);
  s.grad_ratio_init = stat(gri);
  s.grad_ratio_final = stat(grf);
  s.seconds_per_epoch = stat(spe);
  s.first_epoch_test_acc = stat(first);
  s.prelu_slope_init = stat(sli);
  s.prelu_slope_final = stat(slf);
  s.test_acc_mean = mean_over(acc_curves);
  s.test_acc_std = std_over(acc_curves);
  s.test_loss_mean = mean_over(loss_curves);
  s.test_loss_std = std_over(loss_curves);
  s.layer_grad_init = mean_over(g_init);
  s.layer_grad_final = mean_over(g_final);
  s.layer_dead_final = mean_over(d_final);
  s.layer_sat_final = mean_over(s_final);
  s.layer_post_mean_final = mean_over(pm);
  s.layer_post_std_final = mean_over(ps);
  s.layer_post_mean_init = mean_over(pmi);
  s.layer_post_std_init = mean_over(psi);
  s.first_pre_hist = mean_over(fh);
  s.last_pre_hist = mean_over(lh);
  return s;
}

json to_json(const ActSummary& s) {
  return {{"act", s.act},
          {"runs", s.runs},
          {"diverged_runs", s.diverged},
          {"final_test_acc", stat_json(s.final_test_acc)},
          {"best_test_acc", stat_json(s.best_test_acc)},
          {"final_test_loss", stat_json(s.final_test_loss)},
          {"epochs_to_target", stat_json(s.epochs_to_target)},
          {"seconds_to_target", stat_json(s.seconds_to_target)},
          {"generalisation_gap", stat_json(s.gen_gap)},
          {"dead_fraction", stat_json(s.dead_fraction)},
          {"saturation_fraction", stat_json(s.saturation_fraction)},
          {"grad_ratio_first_last_init", stat_json(s.grad_ratio_init)},
          {"grad_ratio_first_last_final", stat_json(s.grad_ratio_final)},
          {"seconds_per_epoch", stat_json(s.seconds_per_epoch)},
          {"first_epoch_test_acc", stat_json(s.first_epoch_test_acc)},
          {"prelu_slope_init", stat_json(s.prelu_slope_init)},
          {"prelu_slope_final", stat_json(s.prelu_slope_final)},
          {"test_acc_per_epoch_mean", vec(s.test_acc_mean)},
          {"test_acc_per_epoch_std", vec(s.test_acc_std)},
          {"test_loss_per_epoch_mean", vec(s.test_loss_mean)},
          {"layer_weight_grad_norm_init", vec(s.layer_grad_init)},
          {"layer_weight_grad_norm_final", vec(s.layer_grad_final)},
          {"layer_dead_fraction_final", vec(s.layer_dead_final)},
          {"layer_saturation_fraction_final", vec(s.layer_sat_final)},
          {"layer_post_mean_final", vec(s.layer_post_mean_final)},
          {"layer_post_std_final", vec(s.layer_post_std_final)},
          {"layer_post_mean_init", vec(s.layer_post_mean_init)},
          {"layer_post_std_init", vec(s.layer_post_std_init)}};
}

std::vector<std::size_t> ranking(const std::vector<ActSummary>& s) {
  std::vector<std::size_t> idx(s.size());
  std::iota(idx.begin(), idx.end(), 0);
  auto key = [&](std::size_t i) { return s[i].final_test_acc.n > 0 ? s[i].final_test_acc.mean : -1.0; };
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  return idx;
}

}  // namespace actlab::lab
