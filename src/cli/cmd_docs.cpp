// actlab docs [--out docs/]: regenerates the activation reference.
#include <cstdio>
#include <memory>

#include "actlab/lab/docs.hpp"
#include "src/cli/command.hpp"

namespace actlab::cli {
namespace {

const Registrar reg{"docs", "Regenerate docs/activations.md and docs/img/*.png from the catalogue",
                    [](CLI::App& app) {
                      auto out = std::make_shared<std::string>("docs");
                      app.add_option("--out,-o", *out, "Output folder (created if missing)")->capture_default_str();
                      return std::function<int()>([out] {
                        const int n = lab::write_activation_docs(*out);
                        std::printf("wrote %s/activations.md and %d plots in %s/img/\n", out->c_str(), n - 1,
                                    out->c_str());
                        return 0;
                      });
                    }};

}  // namespace
}  // namespace actlab::cli
