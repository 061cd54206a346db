// Generated readings: each claim from the literature that a compare run can
// test, the numbers that test it, and a verdict. Thresholds are stated in
// the sentences so a reader can disagree with them.
#include <cmath>
#include <cstdio>

#include "actlab/lab/compare.hpp"

namespace actlab::lab {
namespace {

const ActSummary* by_name(const std::vector<ActSummary>& s, const char* name) {
  for (const auto& a : s)
    if (a.act == name) return &a;
  return nullptr;
}

std::string pct(double v) {
  if (!std::isfinite(v)) return "n/a";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", 100 * v);
  return b;
}

std::string num(double v, int prec = 3) {
  if (!std::isfinite(v)) return "n/a";
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
}

// "1/340" for a ratio below 1, "2.1x" above.
std::string ratio(double r) {
  if (!std::isfinite(r) || r <= 0) return "n/a";
  char b[32];
  if (r < 1) std::snprintf(b, sizeof b, "1/%.3g", 1 / r);
  else std::snprintf(b, sizeof b, "%.3gx", r);
  return b;
}

double max_abs_dev(const std::vector<double>& v, double target, std::size_t skip_last) {
  double m = 0;
  for (std::size_t i = 0; i + skip_last < v.size(); ++i)
    if (std::isfinite(v[i])) m = std::max(m, std::fabs(v[i] - target));
  return m;
}

}  // namespace

std::vector<Reading> compare_readings(const std::vector<ActSummary>& s, double target_acc) {
  std::vector<Reading> out;
  const ActSummary *sig = by_name(s, "sigmoid"), *tanh_ = by_name(s, "tanh"), *relu = by_name(s, "relu"),
                   *leaky = by_name(s, "leaky_relu"), *prelu = by_name(s, "prelu"), *elu = by_name(s, "elu"),
                   *selu = by_name(s, "selu"), *step = by_name(s, "step"), *ident = by_name(s, "identity");

  // 1. Vanishing gradients for saturating activations.
  for (const ActSummary* a : {sig, tanh_}) {
    if (!a) continue;
    const double r = a->grad_ratio_init.mean;
    const double rr = relu ? relu->grad_ratio_init.mean : NAN;
    std::string text = a->act + ": first-layer weight gradient " + ratio(r) + " of the output layer's at initialisation";
    if (relu) text += " (relu: " + ratio(rr) + ")";
    std::string verdict;
    if (!std::isfinite(r)) verdict = "n/a";
    else if (r < 0.05 || (std::isfinite(rr) && r < rr / 10)) verdict = "confirmed";
    else if (std::isfinite(rr) && r < rr / 2) verdict = "mixed";
    else verdict = "not confirmed";
    text += verdict == "confirmed" ? " — vanishing gradient confirmed."
            : verdict == "mixed"   ? " — weaker gradient at the input than relu's, but this model is shallow "
                                     "(run 'actlab gradflow' for depth 20)."
                                   : " — no vanishing in this shallow model (run 'actlab gradflow' for depth 20).";
    out.push_back({"Saturating activations make gradients vanish with depth", verdict, text});
  }

  // 2. Saturation itself.
  if (sig || tanh_) {
    std::string text;
    double mx = 0;
    for (const ActSummary* a : {sig, tanh_})
      if (a) {
        text += (text.empty() ? "" : "; ") + a->act + " " + pct(a->saturation_fraction.mean);
        if (std::isfinite(a->saturation_fraction.mean)) mx = std::max(mx, a->saturation_fraction.mean);
      }
    text = "Entries with |f'(z)| < 1e-3 after training, mean over hidden layers: " + text + ".";
    out.push_back({"sigmoid and tanh saturate", mx > 0.01 ? "confirmed" : "not confirmed",
                   text + (mx > 0.01 ? "" : " Few units reach the flat tails in this run.")});
  }

  // 3. ReLU converges faster than sigmoid/tanh: per epoch (accuracy after
  // epoch 1, margin 0.005) and in wall time to the target accuracy.
  if (relu && (sig || tanh_)) {
    bool per_epoch = true, per_second = true;
    std::string text = "Test accuracy after epoch 1: relu " + num(relu->first_epoch_test_acc.mean);
    for (const ActSummary* a : {sig, tanh_})
      if (a) {
        text += ", " + a->act + " " + num(a->first_epoch_test_acc.mean);
        per_epoch = per_epoch && relu->first_epoch_test_acc.mean > a->first_epoch_test_acc.mean + 0.005;
        const double rs = relu->seconds_to_target.n ? relu->seconds_to_target.mean : INFINITY;
        const double as = a->seconds_to_target.n ? a->seconds_to_target.mean : INFINITY;
        per_second = per_second && rs < 0.8 * as;
      }
    auto secs = [&](const ActSummary* a) {
      return a->seconds_to_target.n ? num(a->seconds_to_target.mean, 1) + " s" : std::string("never");
    };
    text += "; training time to reach " + num(target_acc, 2) + " test accuracy: relu " + secs(relu);
    for (const ActSummary* a : {sig, tanh_})
      if (a) text += ", " + a->act + " " + secs(a);
    std::string verdict = per_epoch ? "confirmed" : (per_second ? "mixed" : "not confirmed");
    if (verdict == "mixed") text += " — not faster per epoch here, but faster in wall time (a cheaper function)";
    out.push_back({"ReLU converges faster than sigmoid and tanh", verdict, text + "."});
  }

  // 4. Dying ReLU.
  if (relu) {
    const double d = relu->dead_fraction.mean;
    out.push_back({"ReLU units can die", d > 0 ? "confirmed" : "not confirmed",
                   "relu: " + pct(d) + " of hidden units output 0 (or get no gradient) on every probe sample "
                   "after training" + (d > 0 ? "." : " — none died in this run.")});
  }

  // 5. Leaky ReLU / PReLU / ELU keep units alive.
  if (leaky || prelu || elu) {
    std::string text;
    double worst = 0;
    for (const ActSummary* a : {leaky, prelu, elu})
      if (a) {
        text += (text.empty() ? "" : ", ") + a->act + " " + pct(a->dead_fraction.mean);
        if (std::isfinite(a->dead_fraction.mean)) worst = std::max(worst, a->dead_fraction.mean);
      }
    if (relu) text += " (relu " + pct(relu->dead_fraction.mean) + ")";
    out.push_back({"Leaky ReLU, PReLU and ELU prevent dead units", worst == 0 ? "confirmed" : "not confirmed",
                   "Dead-unit fraction after training: " + text + "."});
  }

  // 5b. PReLU learns its slope.
  if (prelu && prelu->prelu_slope_final.n) {
    const double a = prelu->prelu_slope_init.mean, b = prelu->prelu_slope_final.mean;
    out.push_back({"PReLU learns its negative slope", std::fabs(b - a) > 1e-3 ? "confirmed" : "not confirmed",
                   "mean learned slope " + num(a) + " at initialisation, " + num(b) + " after training."});
  }

  // 6. SELU self-normalises (with LeCun init), measured at initialisation.
  if (selu) {
    const double dm = max_abs_dev(selu->layer_post_mean_init, 0, 1);
    const double ds = max_abs_dev(selu->layer_post_std_init, 1, 1);
    std::string text = "selu at initialisation: hidden-layer activation means within " + num(dm, 2) +
                       " of 0 and standard deviations within " + num(ds, 2) + " of 1";
    if (relu)
      text += " (relu: " + num(max_abs_dev(relu->layer_post_mean_init, 0, 1), 2) + " and " +
              num(max_abs_dev(relu->layer_post_std_init, 1, 1), 2) + ")";
    const bool ok = dm < 0.25 && ds < 0.25;
    out.push_back({"SELU self-normalises", ok ? "confirmed" : "not confirmed",
                   text + "; threshold 0.25. Inputs are standardised, as SELU's derivation assumes."});
  }

  // 7. tanh's zero-centred output helps over sigmoid.
  if (sig && tanh_) {
    const double ms = sig->layer_post_mean_init.empty() ? NAN : sig->layer_post_mean_init.front();
    const double mt = tanh_->layer_post_mean_init.empty() ? NAN : tanh_->layer_post_mean_init.front();
    const bool better = tanh_->final_test_acc.mean > sig->final_test_acc.mean;
    out.push_back({"tanh's zero-centred output helps optimisation (vs sigmoid)", better ? "confirmed" : "not confirmed",
                   "Mean first-layer activation at init: tanh " + num(mt, 2) + ", sigmoid " + num(ms, 2) +
                       "; final test accuracy tanh " + num(tanh_->final_test_acc.mean) + " vs sigmoid " +
                       num(sig->final_test_acc.mean) + "."});
  }

  // 8. A step function cannot be trained by gradient descent.
  if (step) {
    const double a0 = step->test_acc_mean.empty() ? NAN : step->test_acc_mean.front();
    const double a1 = step->final_test_acc.mean;
    double g = 0;
    for (std::size_t i = 0; i + 1 < step->layer_grad_init.size(); ++i) g = std::max(g, step->layer_grad_init[i]);
    const bool stuck = g == 0;
    out.push_back({"A step function cannot be trained by gradient descent", stuck ? "confirmed" : "not confirmed",
                   "step: hidden-layer weight gradients are " + (g == 0 ? std::string("exactly 0") : num(g, 6)) +
                       "; test accuracy " + num(a0) + " at init, " + num(a1) +
                       " at the end (only the output layer learns, on fixed random features)."});
  }

  // 9. Without non-linearity a deep network is only linear.
  if (ident) {
    double best = -1;
    std::string who;
    for (const auto& a : s)
      if (&a != ident && &a != step && a.final_test_acc.n && a.final_test_acc.mean > best) {
        best = a.final_test_acc.mean;
        who = a.act;
      }
    const double id = ident->final_test_acc.mean;
    if (best >= 0)
      out.push_back({"Without a non-linearity a deep network is only a linear model",
                     id < best - 0.01 ? "confirmed" : "not confirmed",
                     "identity reaches " + num(id) + " test accuracy, " + num(best - id) + " below the best "
                     "non-linear activation (" + who + ", " + num(best) + ")."});
  }

  // 10. Divergence, if any.
  for (const auto& a : s)
    if (a.diverged)
      out.push_back({"Stability", "n/a", a.act + ": " + std::to_string(a.diverged) + " of " + std::to_string(a.runs) +
                                             " runs diverged (kept in results.json, excluded from the accuracy mean)."});
  return out;
}

}  // namespace actlab::lab
