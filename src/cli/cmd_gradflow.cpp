// actlab gradflow: per-layer gradient norms of a deep plain MLP per
// activation, at initialisation and over the first training steps, with and
// without batch norm / skip connections.
#include <cstdio>
#include <memory>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/lab/gradflow.hpp"
#include "src/cli/command.hpp"
#include "src/cli/lab_args.hpp"

namespace actlab::cli {
namespace {

struct GradflowArgs {
  lab::GradflowConfig c;
  std::string acts, variants, init = "recommended";
  bool batchnorm = false, residual = false;
  std::uint64_t seed = 1;
  int threads = 1;
};

const Registrar reg{
    "gradflow", "Vanishing/exploding gradients: per-layer gradient norms of a deep MLP per activation",
    [](CLI::App& app) {
      auto a = std::make_shared<GradflowArgs>();
      lab::RunSpec& r = a->c.run;
      r.data.train_rows = 2048;
      r.data.test_rows = 1;  // the experiment reads gradients, not test accuracy
      app.add_option("--acts", a->acts, "Activations (default: sigmoid,tanh,relu,leaky_relu,elu,selu,gelu,silu,softplus)");
      app.add_option("--depth", a->c.depth, "Hidden layers")->capture_default_str()->check(CLI::Range(1, 1000));
      app.add_option("--width", a->c.width, "Units per hidden layer")->capture_default_str()->check(CLI::Range(1, 65536));
      app.add_option("--steps", a->c.steps, "Training steps after initialisation")->capture_default_str()->check(CLI::Range(0, 100000));
      app.add_option("--variants", a->variants, "Comma list of plain,batchnorm,residual (default: all three)");
      app.add_flag("--batchnorm", a->batchnorm, "Add the batch-norm variant to the plain one");
      app.add_flag("--residual", a->residual, "Add the skip-connection variant to the plain one");
      app.add_option("--seed", a->seed, "Seed of weights and batches")->capture_default_str();
      app.add_option("--out,-o", a->c.out, "Output folder")->capture_default_str();
      app.add_option("--data", r.data.name, "Data set: fashion-mnist, xor, spiral, moons, circles, csv:FILE[,label=NAME][,test=FILE2|,test_fraction=F], npy:X.npy,Y.npy[,...]")->capture_default_str();
      app.add_option("--data-dir", r.data.dir, "Folder of MNIST-format files");
      app.add_option("--batch", r.batch, "Batch size")->capture_default_str()->check(CLI::Range(1, 1 << 16));
      app.add_option("--optimizer", r.opt.name, "sgd | rmsprop | adam | adamw")->capture_default_str();
      app.add_option("--lr", r.opt.lr, "Learning rate")->capture_default_str();
      app.add_option("--init", a->init, "Initializer (default: each activation's recommended one)")->capture_default_str();
      app.add_option("--limit-train", r.data.train_rows, "Training rows loaded")->capture_default_str();
      app.add_option("--rows", r.data.synthetic_rows, "Synthetic data sets: rows")->capture_default_str();
      app.add_option("--threads", a->threads, "Threads")->capture_default_str()->check(CLI::Range(1, 256));
      return std::function<int()>([a] {
        check_out_dir("--out", a->c.out);
        auto& c = a->c;
        c.acts = a->acts.empty() ? lab::default_gradflow_acts() : parse_act_specs(a->acts, "--acts");
        c.run.model.init = nn::parse_init(a->init);
        c.run.data.seed = c.run.seed = a->seed;
        if (!a->variants.empty()) {
          c.variants.clear();
          std::size_t b = 0;
          while (b <= a->variants.size()) {
            std::size_t e = a->variants.find(',', b);
            if (e == std::string::npos) e = a->variants.size();
            c.variants.push_back(a->variants.substr(b, e - b));
            b = e + 1;
          }
        } else if (a->batchnorm || a->residual) {
          c.variants = {"plain"};
          if (a->batchnorm) c.variants.push_back("batchnorm");
          if (a->residual) c.variants.push_back("residual");
        }
        for (const auto& v : c.variants)
          if (v != "plain" && v != "batchnorm" && v != "residual")
            throw UsageError("--variants: unknown variant '" + v + "'; choose from plain, batchnorm, residual");
        nn::set_num_threads(a->threads);
        const auto split = lab::load_run_data(c.run.data);
        const auto runs = lab::run_gradflow(c, split);
        const auto files = lab::write_gradflow(c, runs);
        std::printf("%-26s %-10s %-15s %14s %14s %12s\n", "activation", "variant", "init", "grad layer 1",
                    "grad output", "ratio");
        for (const auto& r : runs) {
          if (r.weight_grad.empty()) {
            std::printf("%-26s %-10s %-15s %s\n", r.act.c_str(), r.variant.c_str(), r.init.c_str(), r.note.c_str());
            continue;
          }
          const auto& g = r.weight_grad.front();
          std::printf("%-26s %-10s %-15s %14.4g %14.4g %12.4g\n", r.act.c_str(), r.variant.c_str(), r.init.c_str(),
                      g.front(), g.back(), g.back() > 0 ? g.front() / g.back() : 0.0);
        }
        for (const auto& f : files) std::printf("wrote %s\n", f.c_str());
        return 0;
      });
    }};

}  // namespace
}  // namespace actlab::cli
