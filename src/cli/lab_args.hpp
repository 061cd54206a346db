// Flags shared by the lab's experiment commands (compare, boundary): the
// training configuration and activation lists with parameters.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "actlab/lab/experiment.hpp"

namespace actlab::cli {

// Adds --data, --data-dir, --model, --batchnorm, --residual, --dropout,
// --init, --epochs, --batch, --optimizer, --lr, --limit-train, --limit-test,
// --rows, --threads, --probe-rows, --target to `app`, bound to `c`.
void add_train_flags(CLI::App& app, lab::TrainConfig& c);

// "relu,leaky_relu(negative_slope=0.2),elu" -> specs; commas inside
// parentheses belong to the activation. Throws UsageError naming `flag`.
std::vector<nn::ActSpec> parse_act_specs(const std::string& csv, const std::string& flag);

}  // namespace actlab::cli
