// actlab: entry point. Parses the subcommand and maps errors to exit codes
// (2: usage, 1: data or runtime failure).
#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <new>

#include "actlab/core/error.hpp"
#include "actlab/core/resources.hpp"
#include "src/cli/command.hpp"

namespace actlab::cli {
std::vector<Command>& registry() {
  static std::vector<Command> r;
  return r;
}
}  // namespace actlab::cli

int main(int argc, char** argv) {
  using namespace actlab;
  CLI::App app{"actlab: a lab for activation functions in deep learning.\n"
               "Run 'actlab COMMAND --help' for the options of a command."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "actlab 0.1.0");
  auto& cmds = cli::registry();
  std::sort(cmds.begin(), cmds.end(), [](auto& a, auto& b) { return a.name < b.name; });
  std::map<CLI::App*, std::function<int()>> runners;
  for (auto& c : cmds) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    runners[sub] = c.setup(*sub);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help / the error with CLI11's wording
    return rc == 0 ? 0 : 2;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "actlab: %s\n", e.what());
    return 2;
  }
  try {
    for (auto& [sub, run] : runners)
      if (sub->parsed()) return run();
  } catch (const UsageError& e) {
    std::fprintf(stderr, "actlab: %s\n", e.what());
    return 2;
  } catch (const DataError& e) {
    std::fprintf(stderr, "actlab: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    // Configurations are estimated before they allocate (nn::check_memory);
    // this is what an estimate missed.
    std::fprintf(stderr,
                 "actlab: out of memory: an allocation failed with %s available; use a smaller model, "
                 "--batch or data set\n",
                 human_bytes(static_cast<double>(available_memory_bytes())).c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "actlab: error: %s\n", e.what());
    return 1;
  }
  return 2;
}
