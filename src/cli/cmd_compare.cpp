// actlab compare: trains the same model once per activation and seed, with
// probes, and writes results, plots and a report.
#include <chrono>
#include <cstdio>
#include <memory>

#include "actlab/core/atomic_file.hpp"
#include "actlab/lab/compare.hpp"
#include "src/cli/command.hpp"
#include "src/cli/lab_args.hpp"

namespace actlab::cli {
namespace {

struct CompareArgs {
  TrainFlags t;
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
      a->t.model = "mlp:128,64";
      // All 10000 test images, so accuracies differ by more than noise.
      a->t.spec.epochs = 5;
      a->t.spec.data.train_rows = 12000;
      a->t.spec.data.test_rows = 0;
      a->c.seeds = 3;  // 3 seeds: a standard deviation worth printing
      app.add_option("--acts", a->acts,
                     "Activations, comma separated, e.g. relu,tanh,leaky_relu(negative_slope=0.2) "
                     "(default: sigmoid,tanh,relu,leaky_relu,prelu,elu,selu,gelu,silu,mish,softplus)");
      app.add_option("--seeds", a->c.seeds, "Seeds per activation")->capture_default_str()->check(CLI::Range(1, 1000));
      app.add_option("--out,-o", a->c.out, "Output folder (finished runs are cached in OUT/runs)")->capture_default_str();
      app.add_option("--jobs,-j", a->c.jobs, "Runs in parallel, each single-threaded (default: one per core)")
          ->check(CLI::Range(1, 256));
      app.add_option("--threads", a->c.jobs, "The same as --jobs (runs are single-threaded)")
          ->check(CLI::Range(1, 256));
      app.add_option("--target", a->c.target_acc, "Test accuracy that defines convergence speed")
          ->capture_default_str()
          ->check(CLI::Range(0.0, 1.0));
      app.add_flag("--quiet,-q", a->quiet, "No progress bar");
      add_train_flags(app, a->t);
      return std::function<int()>([a] {
        check_out_dir("--out", a->c.out);
        a->c.run = a->t.run_spec();
        a->c.acts = a->acts.empty() ? lab::default_compare_acts() : parse_act_specs(a->acts, "--acts");
        a->c.progress = !a->quiet;
        const auto t0 = std::chrono::steady_clock::now();
        const auto o = lab::run_compare(a->c);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        for (const auto& r : o.runs)
          if (r.record.diverged)
            std::fprintf(stderr, "compare: %s seed %llu diverged: %s\n", r.act.c_str(),
                         static_cast<unsigned long long>(r.seed), r.record.note.c_str());
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
