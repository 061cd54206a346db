// Flags shared by the lab's experiment commands (compare, boundary): the
// training configuration of their runs, and activation lists with
// parameters.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "actlab/lab/run.hpp"

namespace actlab::cli {

// What the flags set. Numbers go straight into `spec`; the model flags are
// user text and switches, turned into spec.model by run_spec().
struct TrainFlags {
  lab::RunSpec spec;
  std::string model = "mlp:128,64";  // nn::parse_model_spec syntax
  std::string init = "recommended";
  std::string head = "softmax_ce";
  bool batchnorm = false, residual = false;
  float dropout = 0.f;

  // `spec` with the model built from the flags (one activation for all
  // hidden layers: each experiment sets it per run). Throws UsageError
  // naming the flag.
  lab::RunSpec run_spec() const;
};

// Adds --data, --data-dir, --model, --batchnorm, --residual, --dropout,
// --init, --head, --epochs, --batch, --optimizer, --lr, --limit-train, --limit-test,
// --rows, --probe-rows to `app`, bound to `f`.
void add_train_flags(CLI::App& app, TrainFlags& f);

// "relu,leaky_relu(negative_slope=0.2),elu" -> specs; commas inside
// parentheses belong to the activation. Throws UsageError naming `flag`.
std::vector<nn::ActSpec> parse_act_specs(const std::string& csv, const std::string& flag);

}  // namespace actlab::cli
