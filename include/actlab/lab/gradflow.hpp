// The vanishing / exploding gradient experiment: a plain deep MLP (depth x
// width, default 20 x 64) per activation, each with its recommended
// initializer; the L2 norm of every layer's weight gradient (and of its
// pre-activation gradient) on a batch of real data at initialisation and
// after each of the first `steps` optimisation steps; repeated with batch
// norm and with skip connections to show what they fix.
//
// Each (variant, activation) is one lab::run_one of `steps` + 1 steps; the
// norms are read by its after_backward hook, before each update.
#pragma once

#include <string>
#include <vector>

#include "actlab/lab/experiment.hpp"
#include "actlab/lab/run.hpp"

namespace actlab::lab {

struct GradflowConfig {
  std::vector<nn::ActSpec> acts;
  std::vector<std::string> variants = {"plain", "batchnorm", "residual"};
  int depth = 20, width = 64;
  int steps = 20;
  // Data, batch, optimizer, model.init and seed; the model's structure,
  // activations, epochs and max_steps are set per run.
  RunSpec run;
  std::string out = "actlab-gradflow";
};

struct GradflowRun {
  std::string act, variant, init;
  // [step][layer]: step 0 = at initialisation; layers in forward order, the
  // last one is the output layer.
  std::vector<std::vector<double>> weight_grad, preact_grad;
  std::vector<double> loss;  // per step: the training loss of that step's batch
  std::string note;          // non-empty if the run diverged (its rows stop there)
};

// The default set of `actlab gradflow`.
std::vector<nn::ActSpec> default_gradflow_acts();

// The run of one (variant, activation): c.run with the depth x width MLP,
// `steps` + 1 steps and the epochs they need on `split`.
RunSpec gradflow_spec(const GradflowConfig& c, const std::string& variant, const nn::ActSpec& a,
                      const data::Split& split);

// Throws UsageError for an unknown variant or a size no run can use.
std::vector<GradflowRun> run_gradflow(const GradflowConfig& c, const data::Split& split);

// gradflow.json, gradflow.png and gradflow.svg in c.out; returns the paths.
std::vector<std::string> write_gradflow(const GradflowConfig& c, const std::vector<GradflowRun>& runs);

}  // namespace actlab::lab
