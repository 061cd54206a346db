// Helpers shared by the subcommands: turning user text into validated
// catalogue values, with messages that say what to type instead.
#pragma once

#include <string>
#include <vector>

#include "actlab/act/catalogue.hpp"
#include "actlab/nn/layer.hpp"

namespace actlab::cli {

// An activation with its parameters: the engine's value, from the command
// line to the model.
using ActSpec = nn::ActSpec;

// Parses an activation name and its --param NAME=VALUE list; throws
// UsageError naming the bad name/parameter and the valid choices.
ActSpec parse_act(const std::string& name, const std::vector<std::string>& params = {});

// Comma-separated activation list ("relu,tanh"); each checked as above.
std::vector<act::Act> parse_act_list(const std::string& csv, const std::string& flag);

}  // namespace actlab::cli
