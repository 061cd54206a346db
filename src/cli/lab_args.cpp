#include "src/cli/lab_args.hpp"

#include <algorithm>

#include "src/cli/validate.hpp"

#include "actlab/core/error.hpp"
#include "actlab/nn/model.hpp"

namespace actlab::cli {

lab::RunSpec TrainFlags::run_spec() const {
  lab::RunSpec s = spec;
  s.model = nn::parse_model_spec(model);  // the activation is set per run
  s.model.batchnorm = batchnorm;
  s.model.residual = residual;
  s.model.dropout = dropout;
  s.model.init = nn::parse_init(init);
  s.model.head = nn::parse_head(head);
  return s;
}

void add_train_flags(CLI::App& app, TrainFlags& f) {
  lab::RunSpec& s = f.spec;
  app.add_option("--data", s.data.name, "Data set: fashion-mnist, xor, spiral, moons, circles, csv:FILE, npy:X,Y")
      ->capture_default_str();
  app.add_option("--data-dir", s.data.dir, "Folder of MNIST-format files (default: Debian's fashion-mnist)");
  app.add_option("--model", f.model, "Model: mlp:W1,W2,... | cnn | resmlp:depth=D,width=W | linear")->capture_default_str();
  app.add_flag("--batchnorm", f.batchnorm, "Batch norm after every hidden affine layer");
  app.add_flag("--residual", f.residual, "Skip connections around equal-width hidden layers");
  app.add_option("--dropout", f.dropout, "Dropout probability")->check(CLI::Range(0.0, 0.95));
  app.add_option("--init", f.init, "Initializer: recommended|xavier_uniform|xavier_normal|he|lecun|auto")
      ->capture_default_str();
  app.add_option("--head", f.head, "Output head and loss: " + nn::head_names())->capture_default_str();
  app.add_option("--epochs", s.epochs, "Epochs per run")->capture_default_str()->check(CLI::Range(1, 10000));
  app.add_option("--batch", s.batch, "Mini-batch size")->capture_default_str()->check(CLI::Range(1, 1 << 16));
  app.add_option("--optimizer", s.opt.name, "sgd | rmsprop | adam | adamw")->capture_default_str();
  app.add_option("--lr", s.opt.lr, "Learning rate")->capture_default_str();
  app.add_option("--limit-train", s.data.train_rows, "Use only the first N training rows (0: all)")->capture_default_str();
  app.add_option("--limit-test", s.data.test_rows, "Use only the first N test rows (0: all)")->capture_default_str();
  app.add_option("--rows", s.data.synthetic_rows, "Synthetic data sets: training rows")->capture_default_str();
  app.add_option("--probe-rows", s.measure.probe_rows, "Rows of the probe batch")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
}

std::vector<nn::ActSpec> parse_act_specs(const std::string& csv, const std::string& flag) {
  std::vector<nn::ActSpec> out;
  for (std::string item : nn::split_act_list(csv)) {
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    if (item.empty()) throw UsageError(flag + " '" + csv + "': empty activation name in the list");
    try {
      out.push_back(nn::parse_act_spec(item));
    } catch (const UsageError& e) {
      throw UsageError(flag + ": " + e.what());
    }
  }
  reject_duplicate_acts(out, flag);
  return out;
}

}  // namespace actlab::cli
