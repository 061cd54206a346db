// The claims suite: one analysis per claim of the texts. Each reads the runs
// of its experiment, computes the statistic that decides the claim (an
// effect with its 95% CI over seeds), compares it with a stated threshold
// and says what would have changed the verdict. docs/lab.md lists them.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

#include "actlab/act/kernels.hpp"
#include "actlab/core/error.hpp"
#include "actlab/lab/study.hpp"
#include "src/lab/study/claims_util.hpp"

namespace actlab::lab {
namespace {

using stats::Verdict;
using namespace claims;

// ---------------------------------------------------------------------------
// 1. Without a non-linearity a deep network is a linear model.
ClaimResult linear(const ExperimentRuns& e) {
  ClaimResult c = start(e, "linear");
  const double margin = param(e, "margin", 0.02), spiral_gap = param(e, "spiral_gap", 0.2);
  const std::string deep = param_s(e, "identity", "identity deep"), lin = param_s(e, "linear", "logistic regression"),
                    nonlin = param_s(e, "nonlinear", "relu deep");
  for (const auto& d : e.values("data")) {
    const auto* a = e.find({{"data", d}, {"variant", deep}});
    const auto* b = e.find({{"data", d}, {"variant", lin}});
    const auto* r = e.find({{"data", d}, {"variant", nonlin}});
    if (!a || !b || !r) continue;
    if (d == param_s(e, "nonlinear_data", "spiral"))
      c.findings.push_back(paired(d + ": " + nonlin + " − " + deep, "test accuracy difference",
                                  vals(*r, final_acc), vals(*a, final_acc), spiral_gap, true));
    else
      c.findings.push_back(equivalent(d + ": " + deep + " − " + lin, "test accuracy difference",
                                      vals(*a, final_acc), vals(*b, final_acc), margin));
  }
  c.method = "Equivalence on the image data: the 95% CI of the paired accuracy difference (identity net − logistic "
             "regression) must lie within ±" + num(margin) + ". On the spiral, a non-linear net must beat the identity "
             "net by more than " + num(spiral_gap) + " (CI above it). Supported when both hold.";
  c.tables.push_back(cell_table(e, {{"final test acc", final_acc}, {"train acc", final_train_acc}}));
  c.figures.push_back(bars(e, "variant", "data", final_acc, "test accuracy",
                           "Test accuracy of a deep identity net, logistic regression and a ReLU net"));
  c.verdict = all_of(c.findings);
  c.reading = "A stack of identity layers composes to one affine map, so it can do no more than logistic regression: "
              "on the spiral it cannot draw the curved boundary that a ReLU net of the same size can.";
  c.caveat = "Holds for exactly linear layers; any non-linearity, even a leaky one, breaks it. " + change_text(c);
  return c;
}

// 2. A step function cannot be trained by gradient descent.
ClaimResult step(const ExperimentRuns& e) {
  ClaimResult c = start(e, "step");
  const double gap = param(e, "accuracy_gap", 0.05);
  const auto* st = e.find({{"act", "step"}});
  const auto* sg = e.find({{"act", param_s(e, "contrast", "sigmoid")}});
  if (st) {
    // The hidden layers receive no gradient at all: f'(z) = 0 everywhere.
    c.findings.push_back(one_sample("step: largest hidden-layer gradient norm after training",
                                    "max hidden dL/dz norm", vals(*st, max_hidden_grad), 1e-12, false));
  }
  if (st && sg)
    c.findings.push_back(paired(param_s(e, "contrast", "sigmoid") + " − step", "test accuracy difference",
                                vals(*sg, final_acc), vals(*st, final_acc), gap, true));
  c.method = "The step's hidden layers must receive an exactly zero gradient (norm below 1e-12 in every seed) and a "
             "smooth net of the same shape must beat it by more than " + num(gap) + " test accuracy (CI above).";
  c.tables.push_back(cell_table(e, {{"final test acc", final_acc}, {"acc at init", init_acc}, {"max hidden grad", max_hidden_grad}}));
  c.figures.push_back(curves(e, "act", final_acc_curve, "test accuracy", "Test accuracy per epoch"));
  c.verdict = all_of(c.findings);
  c.reading = "The step's derivative is zero wherever it is defined, so backpropagation delivers nothing to the hidden "
              "layers: they keep their random initial weights. Only the output layer learns, on top of a fixed random "
              "binary feature map, so a step net can end above chance, but not near a net whose hidden layers learn.";
  c.caveat = "\"Cannot be trained\" means its hidden layers; with a straight-through estimator it could be. " + change_text(c);
  return c;
}

// 3. Sigmoid and tanh saturate; their gradients vanish with depth.
ClaimResult vanishing(const ExperimentRuns& e) {
  ClaimResult c = start(e, "vanishing");
  const double thr = param(e, "log10_ratio", -2.0);
  const std::string assumed = param_s(e, "assumed_init", "torch"), rec = param_s(e, "recommended_init", "recommended");
  const auto depths = e.values("depth");
  const std::string deepest = depths.empty() ? "" : depths.back();
  for (const auto& a : e.values("act"))
    for (const auto& init : {assumed, rec}) {
      const auto* cr = e.find({{"act", a}, {"init", init}, {"depth", deepest}});
      if (!cr) continue;
      Finding f = one_sample(a + ", " + init + " init, depth " + deepest, "log10(|dL/dz| first / last hidden layer) at init",
                             vals(*cr, log10_grad_ratio_init), thr, false);
      c.findings.push_back(f);
    }
  c.method = "Gradient ratio at initialisation between the first and the last hidden layer of a plain MLP of " +
             deepest + " layers (log10 of the pre-activation gradient norms, mean over seeds with 95% CI). The "
             "gradient has vanished when the ratio is below 10^" + num(thr) + " (CI entirely below). The claim is "
             "decided on sigmoid and tanh with the initialisation it assumes (" + assumed + "); the other rows show "
             "the recommended initialisation and ReLU for contrast.";
  // Primary: the saturating activations under the assumed init.
  std::vector<Finding> primary;
  for (const auto& f : c.findings)
    if ((f.label.rfind("sigmoid", 0) == 0 || f.label.rfind("tanh", 0) == 0) &&
        f.label.find(", " + assumed + " init") != std::string::npos)
      primary.push_back(f);
  c.verdict = decide_by(c, primary);
  c.tables.push_back(findings_table(c.findings));
  c.figures.push_back(lines(e, "depth", "act", "init", log10_grad_ratio_init, "log10 gradient ratio first/last",
                            "Gradient ratio first/last hidden layer at initialisation against depth (one panel per init)"));
  c.figures.push_back(lines(e, "depth", "act", "init", final_acc, "test accuracy",
                            "Test accuracy after training against depth (one panel per init)"));
  std::string tanh_rec;
  for (const auto& f : c.findings)
    if (f.label.rfind("tanh, " + rec, 0) == 0) tanh_rec = f.verdict == Verdict::supported ? "vanishes" : "does not vanish";
  c.reading = "Backpropagation multiplies the gradient by f'(z) and by the weights at every layer. Sigmoid's derivative "
              "is at most 1/4 and tanh's at most 1, so with weights too small to make up for it the gradient shrinks "
              "geometrically with depth; a scaled initialisation (Xavier) keeps the product near 1 for tanh, which it "
              "cannot do for sigmoid." + (tanh_rec.empty() ? std::string() : " Here, with the recommended initialisation, tanh's gradient " + tanh_rec + ".");
  c.caveat = "True under the assumed initialisation; the recommended one (Xavier) rescues tanh, not sigmoid. " + change_text(c);
  return c;
}

// 4. ReLU converges faster than sigmoid and tanh.
ClaimResult converges(const ExperimentRuns& e) {
  ClaimResult c = start(e, "converges");
  const double frac = param(e, "target_fraction", 0.9);
  const std::string fast = param_s(e, "fast", "relu");
  for (const auto& opt : e.values("optimizer")) {
    // The target: a fraction of the best mean final accuracy in this optimizer's cells.
    double best = 0;
    for (const auto& a : e.values("act"))
      if (const auto* cr = e.find({{"act", a}, {"optimizer", opt}})) best = std::max(best, mean_of(vals(*cr, final_acc)));
    const double target = frac * best;
    const auto* f = e.find({{"act", fast}, {"optimizer", opt}});
    if (!f) continue;
    for (const auto& slow : e.values("act")) {
      if (slow == fast) continue;
      const auto* s = e.find({{"act", slow}, {"optimizer", opt}});
      if (!s) continue;
      const auto steps = [target](const RunRecord& r) { return std::log2(steps_to(r, target)); };
      Finding fd = paired(opt + ": " + slow + " / " + fast + " (target " + num(target, 3) + ")",
                          "log2 of the ratio of steps to the target", vals(*s, steps), vals(*f, steps), 0, true);
      c.findings.push_back(fd);
    }
  }
  c.method = "Steps until the test accuracy (evaluated every few steps) first reaches a target of " + num(frac) +
             " × the best mean final accuracy of any activation with the same optimizer. The effect is log2 of the "
             "paired ratio of steps (slower activation / ReLU): above 0 means ReLU is faster. Runs that never reach "
             "the target count as reaching it one evaluation after the end (which understates the difference). "
             "Decided on the first optimizer (" + (e.values("optimizer").empty() ? std::string("?") : e.values("optimizer")[0]) +
             "); the others show how the optimizer changes it.";
  const std::string first = e.values("optimizer").empty() ? "" : e.values("optimizer")[0];
  std::vector<Finding> primary;
  for (const auto& f : c.findings)
    if (f.label.rfind(first + ":", 0) == 0) primary.push_back(f);
  c.verdict = decide_by(c, primary);
  c.tables.push_back(findings_table(c.findings));
  c.figures.push_back(step_curves(e, "act", "optimizer", "Test accuracy against optimisation steps (one panel per optimizer)"));
  c.reading = "ReLU's derivative is 1 on its positive side and never saturates there, so SGD's steps are not damped as "
              "in sigmoid's and tanh's flat tails; adaptive optimizers rescale the gradient per parameter, which should "
              "shrink the gap. Steps, not epochs, are the measure: a target every activation reaches in the first epoch "
              "says nothing.";
  c.caveat = "Depends on the task, the optimizer and the learning rate. The texts' figure (Krizhevsky et al. 2012: six "
             "times fewer iterations than tanh) comes from a deep conv net on CIFAR-10; a shallow net on this data "
             "need not show it. " + change_text(c);
  return c;
}

// 5. ReLU units die; Leaky ReLU, PReLU and ELU prevent it.
ClaimResult dying(const ExperimentRuns& e) {
  ClaimResult c = start(e, "dying");
  const double thr = param(e, "dead_fraction", 0.05);
  const auto lrs = e.values("lr");
  const std::string hi = lrs.empty() ? "" : lrs.back();
  const auto depths = e.values("depth");
  const std::string deep = depths.empty() ? "" : depths.back();
  std::map<std::string, std::string> at{{"lr", hi}};
  if (!deep.empty()) at["depth"] = deep;
  auto cell = [&](const std::string& a) {
    auto m = at;
    m["act"] = a;
    return e.find(m);
  };
  if (const auto* r = cell("relu"))
    c.findings.push_back(one_sample("relu, lr " + hi + (deep.empty() ? "" : ", depth " + deep), "dead fraction of hidden units",
                                    vals(*r, dead_final), thr, true));
  for (const auto& a : e.values("act")) {
    if (a == "relu") continue;
    const auto* x = cell(a);
    const auto* r = cell("relu");
    if (!x || !r) continue;
    c.findings.push_back(paired("relu − " + a + ", lr " + hi, "dead fraction difference", vals(*r, dead_final),
                                vals(*x, dead_final), thr, true));
  }
  c.method = "A unit is dead when its output or its derivative is exactly zero on every row of a 256-row probe batch. "
             "At the highest learning rate (" + hi + ") ReLU must lose more than " + num(thr) + " of its hidden units "
             "(CI above), and each alternative must have at least that much fewer dead units (paired CI above).";
  c.verdict = all_of(c.findings);
  c.tables.push_back(cell_table(e, {{"dead fraction", dead_final}, {"final test acc", final_acc}}));
  c.figures.push_back(lines(e, "lr", "act", "depth", dead_final, "dead fraction of hidden units",
                            "Dead units after training against the learning rate (one panel per depth)", true));
  c.figures.push_back(lines(e, "lr", "act", "depth", final_acc, "test accuracy",
                            "Test accuracy against the learning rate (one panel per depth)", true));
  c.reading = "A ReLU unit whose pre-activation is pushed below zero for every input gets no gradient and never "
              "recovers; large steps make that likely. A negative slope (Leaky ReLU, PReLU) or ELU's exponential tail "
              "always passes some gradient, so their units cannot die in this sense.";
  c.caveat = "Visible at large learning rates; at small ones few ReLU units die. " + change_text(c);
  return c;
}

// 6. PReLU learns its slopes.
ClaimResult prelu_slopes(const ExperimentRuns& e) {
  ClaimResult c = start(e, "prelu_slopes");
  const double thr = param(e, "change", 0.02), init = param(e, "init_slope", 0.25);
  const auto* p = e.find({{"act", "prelu"}});
  if (!p && !e.cells.empty()) p = &e.cells[0];
  if (p) {
    const auto change = [init](const RunRecord& r) { return mean_abs_slope_change(r, init); };
    c.findings.push_back(one_sample("prelu", "mean |slope − " + num(init) + "| over hidden layers", vals(*p, change), thr, true));
    c.figures.push_back(per_layer(*p, slope_per_layer, "learned slope", "PReLU's learned slope per hidden layer (init " + num(init) + ")"));
    c.tables.push_back(layer_table(*p, slope_per_layer, "learned slope"));
  }
  c.method = "After training, the mean over hidden layers of |learned slope − " + num(init) + "| must exceed " + num(thr) +
             " (CI above).";
  c.verdict = all_of(c.findings);
  c.reading = "PReLU's slope is a parameter with its own gradient: if it moves away from 0.25, and differently per "
              "layer, the extra parameter is used.";
  c.caveat = change_text(c);
  return c;
}

// 7. ELU and SELU push mean activations towards zero; SELU self-normalises.
ClaimResult self_normalising(const ExperimentRuns& e) {
  ClaimResult c = start(e, "self_normalising");
  const double tol = param(e, "tolerance", 0.15);
  const auto* s = e.find({{"act", "selu"}});
  const auto* r = e.find({{"act", "relu"}});
  const auto* el = e.find({{"act", "elu"}});
  if (s)
    c.findings.push_back(one_sample("selu, last hidden layer at init", "max(|mean|, |std − 1|) of the activations",
                                    vals(*s, selu_deviation_init), tol, false));
  if (r && el)
    c.findings.push_back(paired("relu − elu, last hidden layer at init", "|mean| / std of the activations, difference",
                                vals(*r, centredness_last_init), vals(*el, centredness_last_init), 0, true));
  c.method = "Per-layer mean and standard deviation of the activations of a deep plain MLP on standardised inputs, at "
             "initialisation (LeCun normal for SELU). SELU self-normalises when the last hidden layer's mean is within "
             "±" + num(tol) + " of 0 and its std within ±" + num(tol) + " of 1 (CI of the larger deviation below " + num(tol) +
             "); ELU is closer to zero mean than ReLU when the paired difference of |mean| / std (a scale-free measure: "
             "the initialisations scale the two differently) is above 0.";
  c.verdict = all_of(c.findings);
  c.figures.push_back(per_layer_cells(e, "act", post_mean_per_layer_init, "mean activation", "Mean activation per layer at initialisation"));
  c.figures.push_back(per_layer_cells(e, "act", post_std_per_layer_init, "std of activations", "Standard deviation of the activations per layer at initialisation"));
  c.figures.push_back(per_layer_cells(e, "act", post_std_per_layer_final, "std of activations", "Standard deviation of the activations per layer after training"));
  c.tables.push_back(cell_table(e, {{"last-layer mean (init)", mean_last_init}, {"last-layer std (init)", std_last_init},
                                    {"final test acc", final_acc}}));
  c.reading = "SELU's scale and negative saturation map zero-mean unit-variance inputs to zero-mean unit-variance "
              "outputs, so the statistics hold through depth; ReLU's outputs are all non-negative and drift, ELU's "
              "negative part pulls the mean towards zero without fixing the scale.";
  c.caveat = "Self-normalisation needs LeCun-normal weights and standardised inputs; dropout other than alpha-dropout "
             "breaks it. " + change_text(c);
  return c;
}

// 8. tanh's zero-centred output helps optimisation compared with sigmoid.
ClaimResult zero_centred(const ExperimentRuns& e) {
  ClaimResult c = start(e, "zero_centred");
  const auto* t = e.find({{"act", "tanh"}});
  const auto* s = e.find({{"act", "sigmoid"}});
  if (t && s) {
    c.findings.push_back(paired("tanh − sigmoid", "final test accuracy difference", vals(*t, final_acc), vals(*s, final_acc),
                                param(e, "threshold", 0.0), true));
    c.findings.push_back(paired("sigmoid − tanh", "|mean activation| of the hidden layers, difference",
                                vals(*s, abs_mean_hidden_final), vals(*t, abs_mean_hidden_final), 0.1, true));
  }
  c.method = "Same net, optimizer and seeds: the paired accuracy difference tanh − sigmoid must be above " +
             num(param(e, "threshold", 0.0)) + " (CI above), and sigmoid's hidden activations must be further from zero "
             "mean (by more than 0.1).";
  c.verdict = all_of(c.findings);
  c.tables.push_back(cell_table(e, {{"final test acc", final_acc}, {"mean |activation|", abs_mean_hidden_final}}));
  c.figures.push_back(curves(e, "act", final_acc_curve, "test accuracy", "Test accuracy per epoch"));
  c.reading = "Sigmoid's outputs are all positive, so the gradients of a layer's incoming weights share a sign and the "
              "updates zig-zag; tanh's are centred on zero.";
  c.caveat = "With normalisation layers or adaptive optimizers the difference shrinks. " + change_text(c);
  return c;
}

// 9. Batch norm and skip connections restore gradient flow and trainability at depth.
ClaimResult depth_rescue(const ExperimentRuns& e) {
  ClaimResult c = start(e, "depth_rescue");
  const double gap = param(e, "accuracy_gap", 0.1);
  const std::string plain = param_s(e, "plain", "plain");
  for (const auto& a : e.values("act"))
    for (const auto& v : e.values("variant")) {
      if (v == plain) continue;
      const auto* x = e.find({{"act", a}, {"variant", v}});
      const auto* p = e.find({{"act", a}, {"variant", plain}});
      if (!x || !p) continue;
      c.findings.push_back(paired(a + ": " + v + " − " + plain, "final test accuracy difference", vals(*x, final_acc),
                                  vals(*p, final_acc), gap, true));
    }
  const std::string first = e.values("act").empty() ? "" : e.values("act")[0];
  std::vector<Finding> primary;
  for (const auto& f : c.findings)
    if (f.label.rfind(first + ":", 0) == 0) primary.push_back(f);
  c.verdict = decide_by(c, primary);
  c.method = "A deep plain MLP against the same net with batch normalisation and with residual connections: each "
             "rescue must raise the test accuracy by more than " + num(gap) + " (paired CI above). Decided on " + first +
             "; the other activations are shown for contrast.";
  c.tables.push_back(cell_table(e, {{"final test acc", final_acc}, {"log10 grad ratio (init)", log10_grad_ratio_init}}));
  c.figures.push_back(bars(e, "variant", "act", final_acc, "test accuracy", "Test accuracy of the deep net: plain, batch norm, residual"));
  c.figures.push_back(per_layer_cells(e, "variant", grad_per_layer_init, "|dL/dz| (log10)", "Gradient norm per layer at initialisation", "act", true));
  c.reading = "Batch norm re-centres and re-scales every layer's pre-activations, keeping sigmoid out of its flat tails; "
              "a skip connection gives the gradient a path that bypasses the saturating derivative.";
  c.caveat = change_text(c);
  return c;
}

// 10. Adam and RMSprop converge faster than SGD.
ClaimResult optimizers(const ExperimentRuns& e) {
  ClaimResult c = start(e, "optimizers");
  const std::string base = param_s(e, "baseline", "sgd");
  const auto m1 = [](const RunRecord& r) { return epoch_acc(r, 1); };
  for (const auto& o : e.values("optimizer")) {
    if (o == base) continue;
    std::vector<double> a, b;  // pooled over activations, paired by seed
    for (const auto& act : e.values("act")) {
      const auto* x = e.find({{"act", act}, {"optimizer", o}});
      const auto* y = e.find({{"act", act}, {"optimizer", base}});
      if (!x || !y) continue;
      const auto xa = vals(*x, m1), ya = vals(*y, m1);
      if (xa.size() != ya.size()) continue;
      a.insert(a.end(), xa.begin(), xa.end());
      b.insert(b.end(), ya.begin(), ya.end());
    }
    if (!a.empty())
      c.findings.push_back(paired(o + " − " + base + " (all activations)", "test accuracy after epoch 1, difference", a, b, 0, true));
  }
  const std::vector<std::string> adaptive = {"adam", "rmsprop"};
  std::vector<Finding> primary;
  for (const auto& f : c.findings)
    for (const auto& n : adaptive)
      if (f.label.rfind(n + " −", 0) == 0) primary.push_back(f);
  c.verdict = decide_by(c, primary);
  c.method = "Test accuracy after the first epoch, paired by activation and seed, of each optimizer against plain SGD "
             "(each at its usual learning rate). Decided on Adam and RMSprop: both must be ahead (CI above 0).";
  c.tables.push_back(matrix_table(e, "act", "optimizer", m1, "test accuracy after epoch 1"));
  c.tables.push_back(matrix_table(e, "act", "optimizer", final_acc, "final test accuracy"));
  c.figures.push_back(bars(e, "optimizer", "act", m1, "test accuracy after epoch 1", "Accuracy after one epoch: activation × optimizer"));
  c.reading = "Adaptive optimizers divide each step by a running gradient scale, so layers with small gradients "
              "(saturating activations) still move; the gap to SGD should be largest for sigmoid.";
  c.caveat = "Each optimizer runs at one conventional learning rate; a tuned SGD with momentum can catch up. " + change_text(c);
  return c;
}

// 11. Generalisation: the train-test gap, and dropout's effect on it.
ClaimResult generalisation(const ExperimentRuns& e) {
  ClaimResult c = start(e, "generalisation");
  const auto drops = e.values("dropout");
  if (drops.size() >= 2) {
    std::vector<double> a, b;
    for (const auto& act : e.values("act")) {
      const auto* x = e.find({{"act", act}, {"dropout", drops.front()}});
      const auto* y = e.find({{"act", act}, {"dropout", drops.back()}});
      if (!x || !y) continue;
      const auto xa = vals(*x, gen_gap), ya = vals(*y, gen_gap);
      if (xa.size() != ya.size()) continue;
      a.insert(a.end(), xa.begin(), xa.end());
      b.insert(b.end(), ya.begin(), ya.end());
      c.findings.push_back(paired(act + ": gap without − with dropout " + drops.back(), "train−test accuracy gap difference",
                                  xa, ya, 0, true));
    }
    Finding pooled = paired("all activations: gap without − with dropout " + drops.back(),
                            "train−test accuracy gap difference", a, b, 0, true);
    c.findings.insert(c.findings.begin(), pooled);
    c.verdict = decide_by(c, {pooled});  // the per-activation rows show where it holds
  }
  c.method = "Small training set, many epochs. The train−test accuracy gap (training rows evaluated without dropout) "
             "with and without dropout, paired by seed; dropout reduces overfitting when the pooled difference is above "
             "0 (CI above). The per-activation rows show where it holds.";
  c.tables.push_back(cell_table(e, {{"train−test gap", gen_gap}, {"final test acc", final_acc}, {"train acc", final_train_acc}}));
  c.figures.push_back(bars(e, "act", "dropout", gen_gap, "train − test accuracy", "Generalisation gap per activation, with and without dropout"));
  c.reading = "With few training rows every activation overfits; dropout's noise keeps units from co-adapting, which "
              "should narrow the gap.";
  c.caveat = change_text(c);
  return c;
}

// 12. Output layers: softmax + CE (multiclass), sigmoid + BCE (binary) against wrong pairings.
ClaimResult output_heads(const ExperimentRuns& e) {
  ClaimResult c = start(e, "output_heads");
  const std::string right_multi = param_s(e, "multiclass_head", "softmax_ce"), right_bin = param_s(e, "binary_head", "sigmoid_bce");
  const std::string bin_data = param_s(e, "binary_data", "moons");
  for (const auto& d : e.values("data")) {
    const std::string right = d == bin_data ? right_bin : right_multi;
    const auto* r = e.find({{"data", d}, {"head", right}});
    if (!r) continue;
    for (const auto& h : e.values("head")) {
      if (h == right) continue;
      const auto* w = e.find({{"data", d}, {"head", h}});
      if (!w) continue;
      if (h.find("mse") != std::string::npos)
        c.findings.push_back(paired(d + ": accuracy " + right + " − " + h, "final test accuracy difference", vals(*r, final_acc),
                                    vals(*w, final_acc), 0, true));
      c.findings.push_back(paired(d + ": ECE " + h + " − " + right, "expected calibration error difference", vals(*w, final_ece),
                                  vals(*r, final_ece), 0, true));
    }
  }
  // Decided on accuracy: on the multiclass data against both MSE pairings, on the binary data against the
  // pairing the claim names (a sigmoid with squared error); the rest is reported beside it.
  const std::string bin_wrong = param_s(e, "binary_wrong_head", "sigmoid_mse");
  std::vector<Finding> primary;
  for (const auto& f : c.findings) {
    if (f.effect_name.find("accuracy") == std::string::npos) continue;
    if (f.label.rfind(bin_data + ":", 0) == 0 && f.label.find(" − " + bin_wrong) == std::string::npos) continue;
    primary.push_back(f);
  }
  c.verdict = decide_by(c, primary);
  c.method = "Same net and optimizer, different output head and loss. Decided on accuracy: on the multiclass data the "
             "right pairing (" + right_multi + ") must beat each MSE pairing, on the binary data (" + bin_data + ") " +
             right_bin + " must beat " + bin_wrong + " (paired CIs above 0). Calibration (ECE, 15 bins of top-label "
             "confidence) is reported beside it, positive when the other pairing is worse calibrated.";
  c.tables.push_back(cell_table(e, {{"final test acc", final_acc}, {"ECE", final_ece}}));
  c.figures.push_back(bars(e, "head", "data", final_acc, "test accuracy", "Test accuracy per output head and loss"));
  c.figures.push_back(bars(e, "head", "data", final_ece, "expected calibration error", "Calibration error per output head and loss"));
  c.reading = "Cross-entropy's gradient is (p − t), undamped when the prediction is confidently wrong; MSE through a "
              "sigmoid multiplies it by p(1 − p), which vanishes exactly there, so learning slows.";
  c.caveat = "With enough epochs the MSE heads catch up in accuracy. " + change_text(c);
  return c;
}

// 13. Mixing activations per layer against the pure choices.
ClaimResult mixing(const ExperimentRuns& e) {
  ClaimResult c = start(e, "mixing");
  const std::string mix = param_s(e, "mix", "relu,tanh");
  const auto* m = e.find({{"act", mix}});
  if (m) {
    for (const auto& a : e.values("act")) {
      if (a == mix) continue;
      if (const auto* p = e.find({{"act", a}}))
        c.findings.push_back(paired(mix + " − " + a, "final test accuracy difference", vals(*m, final_acc),
                                    vals(*p, final_acc), 0, true));
    }
  }
  c.verdict = all_of(c.findings);
  c.method = "The mixed net (" + mix + ", one activation per hidden layer) must beat every pure choice (paired CI of "
             "the accuracy difference above 0).";
  c.tables.push_back(cell_table(e, {{"final test acc", final_acc}, {"best test acc", best_acc}}));
  c.figures.push_back(bars(e, "act", "", final_acc, "test accuracy", "Mixed against pure activations"));
  c.reading = "Whether a tanh before the output layer helps a ReLU net is an empirical question on each task.";
  c.caveat = change_text(c);
  return c;
}

// 14. Image classification with a CNN: ReLU against the others.
ClaimResult cnn(const ExperimentRuns& e) {
  ClaimResult c = start(e, "cnn");
  const auto* r = e.find({{"act", "relu"}});
  if (r)
    for (const auto& a : e.values("act")) {
      if (a == "relu") continue;
      const auto* x = e.find({{"act", a}});
      if (x)
        c.findings.push_back(paired("relu − " + a, "final test accuracy difference", vals(*r, final_acc), vals(*x, final_acc),
                                    0, true));
    }
  std::vector<Finding> primary;
  for (const auto& f : c.findings)
    if (f.label == "relu − sigmoid" || f.label == "relu − tanh") primary.push_back(f);
  c.verdict = decide_by(c, primary);
  c.method = "A small conv net (two conv + pool stages, one dense layer). Decided on the saturating activations: ReLU "
             "must beat sigmoid and tanh (paired CI above 0); the modern ones are shown with their differences.";
  c.tables.push_back(rank_table(e, "act", final_acc, "final test acc"));
  c.figures.push_back(curves(e, "act", final_acc_curve, "test accuracy", "CNN test accuracy per epoch"));
  c.reading = "ReLU's constant positive derivative keeps conv stacks trainable where sigmoid saturates; tanh is "
              "zero-centred and saturates less, and in a shallow net its saturation may not matter.";
  c.caveat = change_text(c);
  return c;
}

// 15. ReLU gives sparse activations.
ClaimResult sparsity(const ExperimentRuns& e) {
  ClaimResult c = start(e, "sparsity");
  const double thr = param(e, "zero_fraction", 0.3);
  for (const auto& a : e.values("act"))
    if (const auto* x = e.find({{"act", a}}))
      c.findings.push_back(one_sample(a, "fraction of exact zeros in the hidden activations", vals(*x, zero_final), thr, true));
  std::vector<Finding> primary;
  for (const auto& f : c.findings)
    if (f.label == "relu") primary.push_back(f);
  c.verdict = decide_by(c, primary);
  c.method = "Fraction of hidden activations that are exactly 0 on a 256-row probe batch after training; ReLU is "
             "sparse when it exceeds " + num(thr) + " (CI above). The other rows show which activations are sparse too.";
  c.tables.push_back(findings_table(c.findings));
  c.figures.push_back(per_layer_cells(e, "act", zero_per_layer_final, "fraction of exact zeros", "Exact zeros per hidden layer after training"));
  c.reading = "ReLU outputs an exact zero for every negative input; the smooth activations (GELU, SiLU, ELU, tanh) do so "
              "only at isolated points, so their 'sparsity' is at most approximate.";
  c.caveat = change_text(c);
  return c;
}

// 16. ReLU is computationally cheap: the kernels' own timings, in this run.
ClaimResult cost(const ExperimentRuns& e) {
  ClaimResult c = start(e, "cost");
  const std::size_t n = std::size_t(param(e, "elements", 16384));
  const int repeats = int(param(e, "repeats", 9));
  std::vector<std::string> acts = e.values("act");
  std::vector<std::vector<double>> fwd(acts.size()), bwd(acts.size());
  std::vector<float> x(n), y(n), dy(n, 1.f), dx(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = float(std::sin(double(i) * 0.7) * 4);
  // One measurement: the best of 3 timings of enough calls to last 3 ms
  // (the best-of filters out preemption on a shared machine).
  const auto time_ns = [&](const std::function<void()>& fn) {
    std::size_t calls = 1;
    for (;;) {
      const auto t0 = std::chrono::steady_clock::now();
      for (std::size_t k = 0; k < calls; ++k) fn();
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (s > 0.003) break;
      calls *= 2;
    }
    double best = 1e300;
    for (int t = 0; t < 3; ++t) {
      const auto t0 = std::chrono::steady_clock::now();
      for (std::size_t k = 0; k < calls; ++k) fn();
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return 1e9 * best / double(calls * n);
  };
  act::set_num_threads(1);
  for (int rep = 0; rep < repeats; ++rep)
    for (std::size_t i = 0; i < acts.size(); ++i) {
      const nn::ActSpec a = nn::parse_act_spec(acts[i]);
      fwd[i].push_back(time_ns([&] { act::forward(a.act, a.params, x.data(), y.data(), n); }));
      bwd[i].push_back(time_ns([&] { act::backward(a.act, a.params, x.data(), y.data(), dy.data(), dx.data(), n); }));
    }
  ReportTable t;
  t.caption = "Kernel time, ns per element (n = " + std::to_string(n) + ", 1 thread, " + std::to_string(repeats) +
              " interleaved repetitions, mean [95% CI])";
  t.header = {"activation", "forward ns/elem", "backward ns/elem", "fwd / relu fwd"};
  FigureOut fo;
  BarPanel bp;
  bp.title = "Kernel cost per element";
  bp.ylabel = "ns per element";
  BarPanel::Group gf{"forward", {}, {}}, gb{"backward", {}, {}};
  const auto relu_it = std::find(acts.begin(), acts.end(), "relu");
  fo.csv_header = {"activation", "direction", "mean_ns", "lo", "hi", "n"};
  for (std::size_t i = 0; i < acts.size(); ++i) {
    const auto f = stats::mean_ci(fwd[i]), b = stats::mean_ci(bwd[i]);
    std::string ratio = "-";
    if (relu_it != acts.end()) {
      const auto rf = stats::mean_ci(fwd[std::size_t(relu_it - acts.begin())]);
      ratio = num(f.mean / rf.mean, 2);
    }
    t.rows.push_back({acts[i], ci_text(f, 3), ci_text(b, 3), ratio});
    bp.categories.push_back(acts[i]);
    gf.values.push_back(f.mean);
    gf.err.push_back(f.hi - f.mean);
    gb.values.push_back(b.mean);
    gb.err.push_back(b.hi - b.mean);
    fo.csv_rows.push_back({acts[i], "forward", num(f.mean, 5), num(f.lo, 5), num(f.hi, 5), std::to_string(f.n)});
    fo.csv_rows.push_back({acts[i], "backward", num(b.mean, 5), num(b.lo, 5), num(b.hi, 5), std::to_string(b.n)});
  }
  bp.groups = {gf, gb};
  fo.fig.panels.push_back(bp);
  fo.fig.width = 1000;
  fo.fig.height = 500;
  fo.caption = "Forward and backward kernel time per element of every compared activation (actlab's kernels, this machine)";
  c.figures.push_back(fo);
  c.tables.push_back(t);
  // Finding: the cheapest other activation is slower than relu (paired by repetition).
  if (relu_it != acts.end()) {
    const std::size_t ri = std::size_t(relu_it - acts.begin());
    for (std::size_t i = 0; i < acts.size(); ++i) {
      if (i == ri) continue;
      std::vector<double> lr(fwd[i].size());
      for (std::size_t k = 0; k < lr.size(); ++k) lr[k] = std::log2((fwd[i][k] + bwd[i][k]) / (fwd[ri][k] + bwd[ri][k]));
      Finding f = one_sample(acts[i] + " / relu", "log2 of the (forward + backward) time ratio", lr, 0, true);
      c.findings.push_back(f);
    }
  }
  // The texts compare ReLU with sigmoid and tanh; the others are shown beside them.
  std::vector<Finding> primary;
  for (const auto& f : c.findings)
    if (f.label == "sigmoid / relu" || f.label == "tanh / relu") primary.push_back(f);
  c.verdict = decide_by(c, primary);
  c.method = "Forward and backward nanoseconds per element of actlab's SIMD kernels, timed in this run on " +
             std::to_string(n) + " in-cache values, repetitions interleaved across activations. ReLU is cheaper when "
             "sigmoid's and tanh's forward + backward time is larger (log2 time ratio, paired by repetition, CI above "
             "0); the other activations are shown for comparison.";
  c.reading = "ReLU is a compare and a select; the transcendental entries need an exp, log or erf per element. At sizes "
              "that do not fit in cache all of them run at memory speed and the difference disappears.";
  c.caveat = "Timings depend on this CPU and its load; the training step is dominated by the matrix products, so a "
             "cheaper activation barely changes the time per epoch. " + change_text(c);
  return c;
}

// 17. The ranking itself, with statistical ties.
ClaimResult ranking(const ExperimentRuns& e) {
  ClaimResult c = start(e, "ranking");
  const std::string base = param_s(e, "baseline", "relu");
  const auto acts = e.values("act");
  std::vector<std::vector<double>> fin;
  for (const auto& a : acts) {
    const auto* x = e.find({{"act", a}});
    fin.push_back(x ? vals(*x, final_acc) : std::vector<double>{});
  }
  c.tables.push_back(rank_table(e, "act", final_acc, "final test acc"));
  c.tables.push_back(rank_table(e, "act", best_acc, "best test acc"));
  // Finding: does the best activation beat the baseline (Holm-corrected over all pairs)?
  const auto it = std::find(acts.begin(), acts.end(), base);
  if (it != acts.end() && fin.size() >= 2) {
    const auto rk = stats::rank_with_ties(fin, 0.05, true);
    const std::size_t bi = rk.order[0], ri = std::size_t(it - acts.begin());
    if (bi != ri) {
      Finding f = paired(acts[bi] + " − " + base, "final test accuracy difference", fin[bi], fin[ri], 0, true);
      const double padj = rk.p_adj[bi][ri];
      // Holm across all pairs: the finding is supported only if the adjusted test rejects too.
      if (f.verdict == Verdict::supported && !(padj < 0.05)) f.verdict = Verdict::inconclusive;
      f.label += " (Holm-adjusted p = " + num(padj, 3) + ")";
      c.findings.push_back(f);
    } else {
      // The baseline is on top: the claim that another beats it is contradicted only if the baseline is significantly ahead of all.
      const std::size_t second = rk.order.size() > 1 ? rk.order[1] : bi;
      Finding f = paired(acts[second] + " − " + base, "final test accuracy difference", fin[second], fin[ri], 0, true);
      f.label += " (Holm-adjusted p = " + num(rk.p_adj[second][ri], 3) + ")";
      c.findings.push_back(f);
    }
    int tied = 0;
    for (int t : rk.tied_with_best) tied += t;
    c.reading = std::to_string(tied) + " of " + std::to_string(acts.size()) +
                " activations are statistically tied with the best (same letter as the top row after Holm's "
                "correction over all " + std::to_string(acts.size() * (acts.size() - 1) / 2) + " pairs). Differences "
                "inside a letter group are noise at this number of seeds; the order printed inside a group means nothing.";
  }
  c.verdict = all_of(c.findings);
  c.method = "Claim: a modern activation beats " + base + " on this task. Final test accuracy per activation with 95% CI; "
             "all pairs compared with paired t-tests (runs share seeds: same initial data order), Holm-corrected; "
             "activations that share a letter are not significantly different. Supported when the best activation "
             "beats " + base + " after the correction.";
  c.figures.push_back(rank_bars(e, "act", final_acc, "final test accuracy", "Final test accuracy per activation (95% CI; the axis does not start at 0); letters: Holm-tied groups"));
  c.figures.push_back(small_multiples(e, "act", final_acc_curve, "test accuracy", "Test accuracy per epoch, one panel per activation (grey: all others)"));
  c.caveat = "A ranking is specific to the data, model, optimizer and budget. " + change_text(c);
  return c;
}

}  // namespace

const std::vector<ClaimDef>& claim_registry() {
  static const std::vector<ClaimDef> r = {
      {"linear", "Without a non-linearity a deep network is a linear model",
       "\"Without a non-linear activation, a neural network of any depth is just a linear model.\"", true, linear},
      {"step", "A step function cannot be trained by gradient descent",
       "\"The step function's derivative is zero, so it cannot be used with gradient-based training.\"", true, step},
      {"vanishing", "Sigmoid and tanh saturate and their gradients vanish with depth",
       "\"Sigmoid and tanh saturate, and their gradients vanish as the network gets deeper.\"", true, vanishing},
      {"converges", "ReLU converges faster than sigmoid and tanh",
       "\"ReLU makes networks converge much faster than sigmoid or tanh.\"", true, converges},
      {"dying", "ReLU units die; Leaky ReLU, PReLU and ELU prevent it",
       "\"ReLU units can die during training (the dying ReLU problem); Leaky ReLU, PReLU and ELU fix it.\"", true, dying},
      {"prelu_slopes", "PReLU learns its slopes",
       "\"PReLU learns the slope of the negative part instead of fixing it.\"", true, prelu_slopes},
      {"self_normalising", "ELU and SELU push mean activations towards zero; SELU self-normalises",
       "\"ELU pushes mean activations closer to zero; SELU makes a deep network self-normalising.\"", true,
       self_normalising},
      {"zero_centred", "tanh's zero-centred output helps optimisation compared with sigmoid",
       "\"tanh is zero-centred, which makes optimisation easier than with sigmoid.\"", true, zero_centred},
      {"depth_rescue", "Batch norm and skip connections restore trainability at depth",
       "\"Batch normalisation and residual connections fix vanishing gradients in deep networks.\"", true, depth_rescue},
      {"optimizers", "Adam and RMSprop converge faster than SGD",
       "\"Adaptive optimizers such as Adam and RMSprop converge faster than plain SGD.\"", true, optimizers},
      {"generalisation", "Dropout narrows the train–test gap on small data",
       "\"With little data networks overfit; dropout reduces the gap between training and test accuracy.\"", true,
       generalisation},
      {"output_heads", "Softmax + cross-entropy for multiclass, sigmoid + BCE for binary outputs",
       "\"Use softmax with cross-entropy for multi-class outputs and sigmoid with binary cross-entropy for binary "
       "ones; a sigmoid with squared error trains worse.\"", true, output_heads},
      {"mixing", "Mixing activations per layer",
       "\"Different layers can use different activations, e.g. ReLU in hidden layers and tanh before the output.\"",
       true, mixing},
      {"cnn", "ReLU in convolutional networks", "\"ReLU is the standard activation for convolutional networks.\"",
       true, cnn},
      {"sparsity", "ReLU gives sparse activations", "\"ReLU produces sparse activations: many units output exactly zero.\"",
       true, sparsity},
      {"cost", "ReLU is computationally cheap", "\"ReLU is cheap to compute compared with sigmoid or tanh.\"", false,
       cost},
      {"ranking", "Which activation is best", "\"Newer activations such as GELU, SiLU or Mish outperform ReLU.\"", true,
       ranking},
  };
  return r;
}

const ClaimDef* find_claim(const std::string& name) {
  for (const auto& c : claim_registry())
    if (c.name == name) return &c;
  return nullptr;
}

ClaimResult describe_experiment(const ExperimentRuns& e) {
  ClaimResult c = start(e, "");
  c.decided = false;
  c.title = e.exp->title.empty() ? e.exp->name : e.exp->title;
  c.tables.push_back(cell_table(e, {{"final test acc", final_acc}, {"best test acc", best_acc}, {"train−test gap", gen_gap},
                                    {"dead fraction", dead_final}, {"saturated", saturation_final}}));
  if (!e.exp->axes.empty()) {
    c.tables.push_back(rank_table(e, e.exp->axes[0], final_acc, "final test acc"));
    c.figures.push_back(rank_bars(e, e.exp->axes[0], final_acc, "final test accuracy", "Final test accuracy (95% CI); letters: Holm-tied groups"));
  }
  c.method = "Descriptive: means with 95% CIs over seeds; the ranking groups cells that are not significantly "
             "different (paired t-tests, Holm-corrected).";
  return c;
}

}  // namespace actlab::lab
