#include "src/lab/compare_plots.hpp"

#include <cmath>
#include <filesystem>

#include "actlab/lab/curves.hpp"
#include "actlab/lab/plot.hpp"

namespace actlab::lab {
namespace {

namespace fs = std::filesystem;

ReportFigure save_both(const Figure& f, const std::string& dir, const std::string& stem, const std::string& caption) {
  ReportFigure r;
  r.caption = caption;
  r.png = (fs::path(dir) / (stem + ".png")).string();
  r.svg = (fs::path(dir) / (stem + ".svg")).string();
  save_figure(f, r.png);
  save_figure(f, r.svg);
  return r;
}

std::vector<double> iota_d(std::size_t n, double start) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = start + double(i);
  return v;
}

Series series_of(const std::string& label, int color, const std::vector<double>& y, double x0,
                 const std::vector<double>* sd = nullptr) {
  Series s;
  s.label = label;
  s.color = color;
  s.x = iota_d(y.size(), x0);
  s.y = y;
  s.markers = y.size() <= 12;
  if (sd && sd->size() == y.size()) {
    bool any = false;
    for (double v : *sd) any = any || std::isfinite(v);
    if (any)
      for (std::size_t i = 0; i < y.size(); ++i) {
        const double d = std::isfinite((*sd)[i]) ? (*sd)[i] : 0.0;
        s.band_lo.push_back(y[i] - d);
        s.band_hi.push_back(y[i] + d);
      }
  }
  return s;
}

}  // namespace

std::vector<ReportFigure> write_compare_plots(const CompareConfig& c, const std::vector<ActSummary>& s,
                                              const std::string& dir) {
  std::vector<ReportFigure> figs;
  const bool many = s.size() > 4;

  {  // Activation curves
    std::vector<CurveSpec> specs;
    for (const auto& a : c.acts) specs.push_back({a.act, a.params, ""});
    figs.push_back(save_both(curves_figure(specs, -5, 5), dir, "curves",
                             "The activations compared: f(x) and f'(x), from the fast kernels."));
  }
  {  // Accuracy and loss per epoch
    LinePanel acc, loss;
    acc.title = "test accuracy (mean ± std over seeds)";
    acc.xlabel = loss.xlabel = "epoch (0 = initialisation)";
    acc.ylabel = "test accuracy";
    loss.title = "test loss";
    loss.ylabel = "cross-entropy";
    loss.log_y = true;
    acc.legend = false;
    loss.legend_outside = many;
    for (std::size_t i = 0; i < s.size(); ++i) {
      acc.series.push_back(series_of(s[i].act, int(i), s[i].test_acc_mean, 0, &s[i].test_acc_std));
      loss.series.push_back(series_of(s[i].act, int(i), s[i].test_loss_mean, 0, &s[i].test_loss_std));
    }
    Figure f;
    f.panels = {acc, loss};
    f.cols = 2;
    f.width = 1200;
    f.height = 460;
    figs.push_back(save_both(f, dir, "accuracy", "Test accuracy and loss per epoch; bands are ± one standard "
                                                 "deviation over seeds. Convergence speed is how fast a curve rises."));
  }
  {  // Gradient norm per layer
    LinePanel gi, gf;
    gi.title = "weight-gradient norm per layer, at initialisation";
    gf.title = "after training";
    gi.xlabel = gf.xlabel = "layer (last = output layer)";
    gi.ylabel = gf.ylabel = "||dL/dW||";
    gi.log_y = gf.log_y = true;
    gi.legend = false;
    gf.legend_outside = many;
    for (std::size_t i = 0; i < s.size(); ++i) {
      gi.series.push_back(series_of(s[i].act, int(i), s[i].layer_grad_init, 1));
      gf.series.push_back(series_of(s[i].act, int(i), s[i].layer_grad_final, 1));
    }
    Figure f;
    f.panels = {gi, gf};
    f.cols = 2;
    f.width = 1200;
    f.height = 460;
    figs.push_back(save_both(f, dir, "gradients", "Gradient flow: norm of each layer's weight gradient (log scale). "
                                                  "A curve that falls towards layer 1 shows vanishing gradients."));
  }
  {  // Dead and saturated fractions per layer x activation
    std::size_t layers = 0;
    for (const auto& a : s) layers = std::max(layers, a.layer_dead_final.size());
    if (layers > 1) {
      const int hidden = int(layers) - 1;  // the output layer has no activation
      HeatPanel dead, sat;
      dead.title = "dead-unit fraction (final epoch)";
      sat.title = "saturated fraction |f'(z)| < 1e-3 (final epoch)";
      for (HeatPanel* h : {&dead, &sat}) {
        h->nx = hidden;
        h->ny = int(s.size());
        h->zmin = 0;
        h->zmax = 1;
        h->xlabel = "hidden layer";
        h->colorbar_label = "fraction";
        for (int l = 0; l < hidden; ++l) h->xticks.push_back(std::to_string(l + 1));
        for (const auto& a : s) h->yticks.push_back(a.act);
      }
      for (const auto& a : s)
        for (int l = 0; l < hidden; ++l) {
          dead.z.push_back(std::size_t(l) < a.layer_dead_final.size() ? a.layer_dead_final[l] : NAN);
          sat.z.push_back(std::size_t(l) < a.layer_sat_final.size() ? a.layer_sat_final[l] : NAN);
        }
      Figure f;
      f.panels = {dead, sat};
      f.cols = 2;
      f.width = 1200;
      f.height = 120 + 28 * int(s.size());
      f.height = std::max(f.height, 360);
      figs.push_back(save_both(f, dir, "dead_saturation",
                               "Dead units (output or derivative exactly 0 on every probe sample) and saturated "
                               "entries per hidden layer and activation."));
    }
  }
  {  // Distributions of post-activations, first and last hidden layer
    LinePanel first, last;
    first.title = "pre-activation z distribution, first hidden layer";
    last.title = "last hidden layer";
    first.xlabel = last.xlabel = "z (bins of 0.25; |z| > 6 in the edge bins)";
    first.ylabel = last.ylabel = "fraction of values";
    first.legend = false;
    last.legend_outside = many;
    const double w = (kHistHi - kHistLo) / kHistBins;
    for (std::size_t i = 0; i < s.size(); ++i) {
      for (auto [panel, hist] : {std::pair{&first, &s[i].first_pre_hist}, std::pair{&last, &s[i].last_pre_hist}}) {
        Series ser;
        ser.label = s[i].act;
        ser.color = int(i);
        for (std::size_t b = 0; b < hist->size(); ++b) {
          ser.x.push_back(kHistLo + (double(b) + 0.5) * w);
          ser.y.push_back((*hist)[b]);
        }
        panel->series.push_back(ser);
      }
    }
    Figure f;
    f.panels = {first, last};
    f.cols = 2;
    f.width = 1200;
    f.height = 460;
    figs.push_back(save_both(f, dir, "distributions",
                             "Distribution of pre-activations z after training (probe batch): mass in the far tails "
                             "is where saturating activations stop passing gradient."));
  }
  return figs;
}

}  // namespace actlab::lab
