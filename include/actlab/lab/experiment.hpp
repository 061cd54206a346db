// What the lab's single-axis experiments (compare, gradflow, boundary)
// share. Each is a list of RunSpecs (run.hpp) that differ in the activation
// (and seed), trained by the engine's loop through lab::run_one.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "actlab/nn/layer.hpp"
#include "actlab/nn/model.hpp"

namespace actlab::lab {

// Short label of an activation for tables, plots and file contents:
// "relu", "leaky_relu(negative_slope=0.2)"; default parameters are left out.
// A label, not a value: runs carry the nn::ActSpec itself.
std::string act_label(const nn::ActSpec& a);

// The architecture of a model as --model writes it ("mlp:128,64",
// "resmlp:depth=20,width=64"): the first field of nn::to_text.
std::string model_label(const nn::ModelSpec& m);

// Catalogue activations with their default parameters (the experiments'
// default sets). The names must be in the catalogue.
std::vector<nn::ActSpec> catalogue_acts(std::initializer_list<const char*> names);

}  // namespace actlab::lab
