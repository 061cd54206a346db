// actlab compare: trains the same model once per activation and seed, with
// probes, and writes results, plots and a report.
#include <chrono>
#include <cstdio>
#include <memory>

#include "actlab/lab/compare.hpp"
#include "src/cli/command.hpp"
#include "src/cli/lab_args.hpp"

namespace actlab::cli {
namespace {

struct CompareArgs {
  lab::CompareConfig c;
  std::string acts;
  bool quiet = false;
};

const Registrar reg{
    "compare",
    "Train one model per activation x seed with probes; write results.json/csv, plots and report.md/html",
    [](CLI::App& app) {
      auto a = std::make_shared<CompareArgs>();
      // Defaults sized for <= 10 minutes on 2 cores (docs/lab.md: the full study).
      a->c.train.model = "mlp:128,64";
      // Measured on an idle 2-core machine: ~2.5 min; at load average ~10, under
      // 10 min. All 10000 test images, so accuracies differ by more than noise.
      a->c.train.epochs = 5;
      a->c.train.limit_train = 12000;
      a->c.train.limit_test = 0;
      // 1 thread: on a loaded 2-core machine OpenMP spin-waiting makes 2 threads
      // several times slower for these small matrices (measured: 3 s vs 19 s).
      a->c.train.threads = 1;
      a->c.seeds = 3;  // 3 seeds: a standard deviation worth printing
      app.add_option("--acts", a->acts,
                     "Activations, comma separated, e.g. relu,tanh,leaky_relu(negative_slope=0.2) "
                     "(default: sigmoid,tanh,relu,leaky_relu,prelu,elu,selu,gelu,silu,mish,softplus)");
      app.add_option("--seeds", a->c.seeds, "Seeds per activation")->capture_default_str()->check(CLI::Range(1, 1000));
      app.add_option("--out,-o", a->c.out, "Output folder")->capture_default_str();
      app.add_flag("--quiet,-q", a->quiet, "No progress bar");
      add_train_flags(app, a->c.train);
      return std::function<int()>([a] {
        a->c.acts = a->acts.empty() ? lab::default_compare_acts() : parse_act_specs(a->acts, "--acts");
        a->c.progress = !a->quiet;
        const auto t0 = std::chrono::steady_clock::now();
        const auto o = lab::run_compare(a->c);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("compare: %zu activations x %d seeds: %d runs trained, %d reused from %s/runs (%.0f s)\n",
                    a->c.acts.size(), a->c.seeds, o.trained, o.reused, a->c.out.c_str(), secs);
        const auto order = lab::ranking(o.summaries);
        std::printf("%-4s %-34s %s\n", "rank", "activation", "final test acc (mean over seeds)");
        for (std::size_t k = 0; k < order.size(); ++k) {
          const auto& s = o.summaries[order[k]];
          std::printf("%-4zu %-34s %.4f%s\n", k + 1, s.act.c_str(), s.final_test_acc.mean,
                      s.diverged ? "  (diverged runs)" : "");
        }
        std::printf("report: %s/report.html (and report.md, results.json, results.csv)\n", a->c.out.c_str());
        return 0;
      });
    }};

}  // namespace
}  // namespace actlab::cli
