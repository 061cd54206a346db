#include "src/cli/lab_args.hpp"

#include "actlab/core/error.hpp"
#include "actlab/nn/model.hpp"

namespace actlab::cli {

void add_train_flags(CLI::App& app, lab::TrainConfig& c) {
  app.add_option("--data", c.data, "Data set: fashion-mnist, xor, spiral, moons, circles")->capture_default_str();
  app.add_option("--data-dir", c.data_dir, "Folder of MNIST-format files (default: Debian's fashion-mnist)");
  app.add_option("--model", c.model, "Model: mlp:W1,W2,... | cnn | resmlp:depth=D,width=W")->capture_default_str();
  app.add_flag("--batchnorm", c.batchnorm, "Batch norm after every hidden affine layer");
  app.add_flag("--residual", c.residual, "Skip connections around equal-width hidden layers");
  app.add_option("--dropout", c.dropout, "Dropout probability")->check(CLI::Range(0.0, 0.95));
  app.add_option("--init", c.init, "Initializer: recommended|xavier_uniform|xavier_normal|he|lecun|auto")
      ->capture_default_str();
  app.add_option("--epochs", c.epochs, "Epochs per run")->capture_default_str()->check(CLI::Range(1, 10000));
  app.add_option("--batch", c.batch, "Mini-batch size")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  app.add_option("--optimizer", c.optimizer, "sgd | rmsprop | adam | adamw")->capture_default_str();
  app.add_option("--lr", c.lr, "Learning rate")->capture_default_str();
  app.add_option("--limit-train", c.limit_train, "Use only the first N training rows (0: all)")->capture_default_str();
  app.add_option("--limit-test", c.limit_test, "Use only the first N test rows (0: all)")->capture_default_str();
  app.add_option("--rows", c.synthetic_rows, "Synthetic data sets: training rows")->capture_default_str();
  app.add_option("--threads", c.threads, "Threads per run")->capture_default_str()->check(CLI::Range(1, 256));
  app.add_option("--probe-rows", c.probe_rows, "Rows of the probe batch")->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--target", c.target_acc, "Test accuracy that defines convergence speed")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
}

std::vector<nn::ActSpec> parse_act_specs(const std::string& csv, const std::string& flag) {
  std::vector<nn::ActSpec> out;
  std::string cur;
  int depth = 0;
  auto push = [&] {
    if (cur.empty()) throw UsageError(flag + " '" + csv + "': empty activation name in the list");
    try {
      out.push_back(nn::parse_act_spec(cur));
    } catch (const UsageError& e) {
      throw UsageError(flag + ": " + e.what());
    }
    cur.clear();
  };
  for (char ch : csv) {
    if (ch == '(') ++depth;
    if (ch == ')') --depth;
    if (ch == ',' && depth == 0) push();
    else if (ch != ' ') cur += ch;
  }
  push();
  return out;
}

}  // namespace actlab::cli
