// actlab boundary: decision-boundary images on a 2-D synthetic set.
#include <cstdio>
#include <memory>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/lab/boundary.hpp"
#include "src/cli/command.hpp"
#include "src/cli/lab_args.hpp"

namespace actlab::cli {
namespace {

struct BoundaryArgs {
  TrainFlags t;
  lab::BoundaryConfig c;
  std::string acts;
  std::uint64_t seed = 1;
  int threads = 1;
};

const Registrar reg{
    "boundary", "Decision boundaries of small MLPs on a 2-D synthetic set, one panel per activation",
    [](CLI::App& app) {
      auto a = std::make_shared<BoundaryArgs>();
      auto& t = a->t;
      t.spec.data.name = "spiral";
      t.model = "mlp:32,32";
      t.spec.epochs = 60;
      t.spec.batch = 64;
      t.spec.opt.lr = 0.01f;
      t.spec.measure.probe_rows = 128;
      app.add_option("--acts", a->acts, "Activations (default: identity,step,relu,tanh,gelu,sigmoid)");
      app.add_option("--seed", a->seed, "Seed of data, weights and batches")->capture_default_str();
      app.add_option("--grid", a->c.grid, "Grid cells per axis")->capture_default_str();
      app.add_option("--out,-o", a->c.out, "Output folder")->capture_default_str();
      app.add_option("--threads", a->threads, "Threads")->capture_default_str()->check(CLI::Range(1, 256));
      add_train_flags(app, t);
      return std::function<int()>([a] {
        check_out_dir("--out", a->c.out);
        auto& c = a->c;
        c.acts = a->acts.empty() ? lab::default_boundary_acts() : parse_act_specs(a->acts, "--acts");
        c.run = a->t.run_spec();
        c.run.data.seed = c.run.seed = a->seed;
        if (c.run.data.name == "fashion-mnist")  // fail before loading 60000 images
          throw UsageError("--data fashion-mnist: decision boundaries need a 2-D data set; choose xor, spiral, "
                           "moons or circles");
        nn::set_num_threads(a->threads);
        const auto split = lab::load_run_data(c.run.data);
        const auto rs = lab::run_boundary(c, split);
        const auto files = lab::write_boundary(c, split, rs);
        std::printf("%-28s %10s %10s\n", "activation", "train acc", "test acc");
        for (const auto& b : rs)
          std::printf("%-28s %10.4f %10.4f%s\n", b.act.c_str(), b.run.epochs.back().train_acc,
                      b.run.epochs.back().test_acc, b.run.diverged ? "  (diverged)" : "");
        for (const auto& f : files) std::printf("wrote %s\n", f.c_str());
        return 0;
      });
    }};

}  // namespace
}  // namespace actlab::cli
