// The vanishing / exploding gradient experiment: a plain deep MLP (depth x
// width, default 20 x 64) per activation, each with its recommended
// initializer; the L2 norm of every layer's weight gradient (and of its
// pre-activation gradient) on a batch of real data at initialisation and
// after each of the first `steps` optimisation steps; repeated with batch
// norm and with skip connections to show what they fix.
#pragma once

#include <string>
#include <vector>

#include "actlab/lab/experiment.hpp"

namespace actlab::lab {

struct GradflowConfig {
  std::vector<nn::ActSpec> acts;
  std::vector<std::string> variants = {"plain", "batchnorm", "residual"};
  int depth = 20, width = 64;
  int steps = 20;
  TrainConfig train;  // data, batch, optimizer, lr, threads, limits
  std::uint64_t seed = 1;
  std::string out = "actlab-gradflow";
};

struct GradflowRun {
  std::string act, variant, init;
  // [step][layer]: step 0 = at initialisation; layers in forward order, the
  // last one is the output layer.
  std::vector<std::vector<double>> weight_grad, preact_grad;
  std::vector<double> loss;  // per step
};

// The default set of `actlab gradflow`.
std::vector<nn::ActSpec> default_gradflow_acts();

std::vector<GradflowRun> run_gradflow(const GradflowConfig& c, const data::Split& split);

// gradflow.json, gradflow.png and gradflow.svg in c.out; returns the paths.
std::vector<std::string> write_gradflow(const GradflowConfig& c, const std::vector<GradflowRun>& runs);

}  // namespace actlab::lab
