// Subcommand registry of the `actlab` CLI. Each src/cli/cmd_*.cpp registers
// itself with a static Registrar, so adding a command touches one new file.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace actlab::cli {

// Adds the subcommand's options to `app` and returns the function that runs
// it after parsing (returning the process exit code). Throws UsageError or
// DataError for bad input.
using Setup = std::function<std::function<int()>(CLI::App& app)>;

struct Command {
  std::string name;
  std::string help;
  Setup setup;
};

std::vector<Command>& registry();

struct Registrar {
  Registrar(std::string name, std::string help, Setup setup) {
    registry().push_back({std::move(name), std::move(help), std::move(setup)});
  }
};

}  // namespace actlab::cli
