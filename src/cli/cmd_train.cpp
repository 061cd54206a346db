// actlab train: trains a model on a data set, with progress on stderr, one
// line per epoch on stdout, metrics JSON and checkpoints (resumable).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/core/resources.hpp"
#include "actlab/nn/checkpoint.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/nn/train.hpp"
#include "src/cli/command.hpp"
#include "src/cli/common.hpp"
#include "src/cli/train_setup.hpp"
#include "src/cli/validate.hpp"

namespace actlab::cli {
namespace {

struct Opts {
  DataArgs data;
  std::string model = "mlp:256,128,100", act = "relu", acts, init = "recommended";
  std::string head = "softmax_ce";
  std::vector<std::string> params;  // --param NAME=VALUE for --act
  bool batchnorm = false, layernorm = false, residual = false, prelu_per_channel = false;
  float dropout = 0;
  nn::OptConfig opt;
  std::size_t batch = 128;
  int epochs = 3;
  int threads = 1;
  std::string metrics, save, resume;
  float clip_grad = 0;
  std::size_t checkpoint_every = 0;
  bool quiet = false;
  CLI::Option* epochs_opt = nullptr;
  const CLI::App* app = nullptr;  // which flags were given (refused with --resume)
};

// Flags that define a run: with --resume the checkpoint's values are used,
// so giving one is refused rather than silently ignored. Allowed with
// --resume: --epochs (extends the run), --data-dir (the data moved),
// --threads, --save, --metrics, --checkpoint-every, --quiet.
const std::vector<std::string> kRunFlags = {
    "--data", "--limit-train", "--limit-test", "--val-fraction", "--rows", "--noise", "--arms",
    "--model", "--act", "--param", "--acts", "--batchnorm", "--layernorm", "--residual", "--dropout",
    "--init", "--head", "--prelu-per-channel", "--optimizer", "--lr", "--momentum", "--nesterov",
    "--weight-decay", "--schedule", "--step-epochs", "--gamma", "--batch", "--seed", "--clip-grad"};

std::string fmt_time(double s) {
  char b[32];
  if (s < 0 || !std::isfinite(s)) return "?";
  std::snprintf(b, sizeof b, "%d:%02d", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return b;
}

nlohmann::json record_json(const nn::EpochRecord& r) {
  nlohmann::json j = {{"epoch", r.epoch}, {"train_loss", r.train_loss}, {"train_acc", r.train_acc},
                      {"test_loss", r.test_loss}, {"test_acc", r.test_acc}, {"train_s", r.train_s},
                      {"test_ece", r.test_ece}, {"lr", r.lr}};
  if (r.val_acc >= 0) j["val_loss"] = r.val_loss, j["val_acc"] = r.val_acc, j["val_ece"] = r.val_ece;
  return j;
}

int run(Opts& o) {
  nn::set_num_threads(o.threads);
  std::unique_ptr<nn::Model> model;
  std::unique_ptr<nn::Optimizer> opt;
  nn::RunState st;
  std::uint64_t seed = o.data.seed;
  if (!o.resume.empty()) {
    refuse_with_resume(*o.app, kRunFlags, o.resume);
    check_output_paths({{"--save", o.save.empty() ? o.resume : o.save}, {"--metrics", o.metrics}});
    auto ck = nn::load_checkpoint(o.resume);
    try {
      const auto extra = nlohmann::json::parse(ck.extra_json);
      const std::string dir_flag = o.data.dir;  // --data-dir overrides the stored folder
      o.data = DataArgs::from_json(extra.at("data"));
      if (!dir_flag.empty()) o.data.dir = dir_flag;
      o.batch = extra.at("batch").get<std::size_t>();
      if (o.epochs_opt->count() == 0) o.epochs = extra.at("epochs").get<int>();
      o.clip_grad = extra.at("clip_grad").get<float>();
    } catch (const nlohmann::json::exception& e) {
      throw DataError("checkpoint '" + o.resume + "': run settings are missing (" + e.what() + ")");
    }
    model = std::move(ck.model);
    opt = std::move(ck.opt);
    st = ck.state;
    seed = ck.seed;
    if (o.save.empty()) o.save = o.resume;
    if (st.epoch >= o.epochs)
      throw UsageError("checkpoint '" + o.resume + "' has completed " + std::to_string(st.epoch) +
                       " epochs and the run asks for " + std::to_string(o.epochs) +
                       ": nothing to train; give --epochs N with N > " + std::to_string(st.epoch) +
                       " to extend it");
    if (o.epochs != opt->config().total_epochs) {
      // The schedule's horizon follows the extended run; without this a
      // cosine schedule would train every extra epoch at learning rate 0.
      const int was = opt->config().total_epochs;
      opt->set_total_epochs(o.epochs);
      if (opt->config().schedule == "cosine")
        std::fprintf(stderr,
                     "train: --epochs %d: the cosine schedule of '%s' now ends at epoch %d instead of %d "
                     "(learning rate %.3g at epoch %d)\n",
                     o.epochs, o.resume.c_str(), o.epochs, was, nn::scheduled_lr(opt->config(), st.epoch),
                     st.epoch + 1);
    }
  } else {
    check_output_paths({{"--save", o.save}, {"--metrics", o.metrics}});
    if (o.acts.empty() && o.act.empty())
      throw UsageError("--act '': give an activation name, e.g. --act relu (see 'actlab list')");
  }
  if (o.epochs < 1) throw UsageError("--epochs " + std::to_string(o.epochs) + ": must be >= 1");
  if (o.batch < 1) throw UsageError("--batch 0: use a batch size >= 1, e.g. 128");
  if (o.threads < 1) throw UsageError("--threads " + std::to_string(o.threads) + ": must be >= 1");
  const nn::Head head = nn::parse_head(o.head);  // checked on --resume too (the stored head wins)
  // A relative --data-dir is stored absolute, so the checkpoint works from
  // any folder (actlab evaluate, --resume).
  // The user's files (csv:/npy: paths, relative to --data-dir or else to
  // the working folder) likewise: without --data-dir the working folder is
  // stored as the data folder, so relative paths keep meaning the same files.
  if (o.data.dir.empty() && (o.data.name.rfind("csv:", 0) == 0 || o.data.name.rfind("npy:", 0) == 0))
    o.data.dir = std::filesystem::current_path().string();
  if (!o.data.dir.empty()) o.data.dir = std::filesystem::absolute(o.data.dir).lexically_normal().string();
  data::Split split;
  if (o.resume.empty()) {
    split = load_data(o.data);
  } else {
    try {
      split = load_data(o.data);
    } catch (const std::runtime_error& e) {  // a value stored in the checkpoint, not a flag typed
      throw DataError("checkpoint '" + o.resume + "' stores data settings that cannot be loaded here (" +
                      e.what() + "); give --data-dir DIR if the data moved");
    }
  }
  const nn::InputGeom geom = lab::geom_of(split.train);
  if (!model) {
    if (!o.params.empty() && !o.acts.empty())
      throw UsageError("--param applies to --act, not --acts; write parameters inline, e.g. "
                       "--acts 'relu,leaky_relu(negative_slope=0.2)'");
    nn::ModelSpec spec = nn::parse_model_spec(o.model, o.acts.empty() ? o.act : o.acts);
    if (!o.params.empty()) spec.acts = {parse_act(o.act, o.params)};  // the value itself, not its text
    spec.batchnorm = o.batchnorm;
    spec.layernorm = o.layernorm;
    spec.residual = o.residual;
    spec.dropout = o.dropout;
    spec.init = nn::parse_init(o.init);
    spec.prelu_per_channel = o.prelu_per_channel;
    spec.head = head;
    if (!(o.dropout >= 0 && o.dropout < 1))
      throw UsageError("--dropout " + std::to_string(o.dropout) + ": must be in [0, 1)");
    o.opt.total_epochs = o.epochs;
    opt = std::make_unique<nn::Optimizer>(o.opt);
    nn::check_memory(spec, geom, o.batch);  // before allocating: what it needs, what there is
    model = std::make_unique<nn::Model>(spec, geom, seed);
  } else if (model->geom().features != geom.features || model->geom().classes != geom.classes) {
    throw DataError("checkpoint '" + o.resume + "' was trained on data with " +
                    std::to_string(model->geom().features) + " features / " +
                    std::to_string(model->geom().classes) + " classes, not '" + o.data.name + "'");
  }
  lab::BatcherSource src(split.train, o.batch, seed);
  const std::size_t batches = src.batches_per_epoch();

  nlohmann::json extra = {{"data", o.data.to_json()}, {"batch", o.batch}, {"epochs", o.epochs},
                          {"clip_grad", o.clip_grad}};
  nlohmann::json metrics = {{"model", nn::to_text(model->spec())},
                            {"params", model->num_params()},
                            {"data", o.data.to_json()},
                            {"optimizer", o.opt.name},
                            {"lr", opt->config().lr},
                            {"batch", o.batch},
                            {"seed", seed},
                            {"threads", o.threads},
                            {"epochs", nlohmann::json::array()},
                            {"diverged", nullptr}};
  for (auto& r : st.history) metrics["epochs"].push_back(record_json(r));
  const auto write_metrics = [&] {
    if (!o.metrics.empty()) write_file_atomic(o.metrics, metrics.dump(2) + "\n");
  };

  const bool tty = ::isatty(2) == 1;
  const std::size_t every = std::max<std::size_t>(1, batches / 10);
  nn::TrainConfig cfg;
  cfg.epochs = o.epochs;
  cfg.seed = seed;
  cfg.clip_grad = o.clip_grad;
  cfg.checkpoint_every = o.checkpoint_every;
  auto last_draw = std::chrono::steady_clock::time_point{};
  cfg.on_step = [&](const nn::StepInfo& s) {
    if (o.quiet) return;
    if (!tty && s.batch % every != 0 && s.batch != s.batches) return;
    if (tty && s.batch != s.batches) {  // redraw at most 10 times a second
      const auto now = std::chrono::steady_clock::now();
      if (now - last_draw < std::chrono::milliseconds(100)) return;
      last_draw = now;
    }
    const double eta = s.elapsed_s / s.batch * (s.batches - s.batch);
    if (tty) {
      const int w = 30, fill = static_cast<int>(w * s.batch / s.batches);
      std::fprintf(stderr, "\repoch %d [%.*s%*s] %zu/%zu loss %.4f acc %.4f ETA %s ", s.epoch, fill,
                   "==============================", w - fill, "", s.batch, s.batches, s.loss,
                   s.acc, fmt_time(eta).c_str());
      if (s.batch == s.batches) std::fputc('\n', stderr);
    } else {
      std::fprintf(stderr, "epoch %d step %zu/%zu loss %.4f acc %.4f ETA %s\n", s.epoch, s.batch,
                   s.batches, s.loss, s.acc, fmt_time(eta).c_str());
    }
    std::fflush(stderr);
  };
  cfg.on_epoch = [&](const nn::EpochRecord& r) {
    std::printf("epoch=%d train_loss=%.6f train_acc=%.6f test_loss=%.6f test_acc=%.6f train_s=%.3f\n",
                r.epoch, r.train_loss, r.train_acc, r.test_loss, r.test_acc, r.train_s);
    std::fflush(stdout);
    metrics["epochs"].push_back(record_json(r));
    write_metrics();
  };
  if (!o.save.empty())
    cfg.on_checkpoint = [&](const nn::RunState& s) {
      nn::save_checkpoint(o.save, *model, *opt, s, seed, extra.dump());
    };
  const nn::TrainResult res = nn::train(*model, *opt, src, eval_set(split.test),
                                        eval_set(split.val), st, cfg);
  if (res.diverged) {
    metrics["diverged"] = {{"epoch", res.epoch}, {"step", res.step}, {"message", res.message}};
    write_metrics();
    std::fprintf(stderr, "actlab: %s\n", res.message.c_str());
    return 1;
  }
  write_metrics();
  return 0;
}

const Registrar reg{"train", "Train a model on a data set (progress on stderr, one line per epoch on stdout)",
                    [](CLI::App& app) {
  auto o = std::make_shared<Opts>();
  app.add_option("--data", o->data.name, "fashion-mnist | xor | spiral | moons | circles | csv:FILE[,label=NAME][,test=FILE2|,test_fraction=F] | npy:X.npy,Y.npy[,test_x=..,test_y=..|,test_fraction=F] (docs/engine.md)")
      ->capture_default_str();
  app.add_option("--data-dir", o->data.dir, "Folder of MNIST-format files (default: Debian's fashion-mnist); relative csv:/npy: paths are taken from it");
  app.add_option("--limit-train", o->data.limit_train, "Use only the first N training rows (0: all)")
      ->check(CLI::Range(0, 2147483647));
  app.add_option("--limit-test", o->data.limit_test, "Use only the first N test rows (0: all)")
      ->check(CLI::Range(0, 2147483647));
  app.add_option("--val-fraction", o->data.val_fraction, "Fraction of training rows held out")
      ->capture_default_str();
  app.add_option("--rows", o->data.synthetic_rows, "Synthetic sets: training rows")->capture_default_str();
  app.add_option("--noise", o->data.noise, "Synthetic sets: noise")->capture_default_str();
  app.add_option("--arms", o->data.arms, "Spiral: arms (classes)")->capture_default_str();
  app.add_option("--model", o->model, "mlp:W1,W2,... | cnn[:C1,C2,D] | resmlp:depth=N,width=W | linear")
      ->capture_default_str();
  app.add_option("--act", o->act, "Activation of every hidden layer, e.g. relu or leaky_relu(negative_slope=0.2)")
      ->capture_default_str();
  app.add_option("--param", o->params, "Parameter of --act as NAME=VALUE (repeatable)");
  app.add_option("--acts", o->acts, "One activation per hidden layer, comma-separated");
  app.add_flag("--batchnorm", o->batchnorm, "Batch normalisation after each hidden affine layer");
  app.add_flag("--layernorm", o->layernorm, "Layer normalisation after each hidden dense layer");
  app.add_flag("--residual", o->residual, "Skip connections around equal-width hidden layers");
  app.add_option("--dropout", o->dropout, "Dropout probability after each hidden activation")
      ->check(finite_in(0, 1, false, true));
  app.add_option("--init", o->init, "recommended | xavier_uniform | xavier_normal | he | lecun | auto | torch")
      ->capture_default_str();
  app.add_option("--head", o->head, "Output head and loss: " + nn::head_names())
      ->capture_default_str();
  app.add_flag("--prelu-per-channel", o->prelu_per_channel, "PReLU: one slope per unit/channel");
  app.add_option("--optimizer", o->opt.name, "sgd | rmsprop | adam | adamw")->capture_default_str();
  app.add_option("--lr", o->opt.lr, "Learning rate")->capture_default_str()->check(finite_in(0, 3.4e38, true));
  app.add_option("--momentum", o->opt.momentum, "SGD momentum")->check(finite_in(0, 1, false, true));
  app.add_flag("--nesterov", o->opt.nesterov, "SGD: Nesterov momentum");
  app.add_option("--weight-decay", o->opt.weight_decay, "Weight decay (AdamW: decoupled)")
      ->check(finite_in(0, 3.4e38));
  app.add_option("--schedule", o->opt.schedule, "none | step | cosine")->capture_default_str();
  app.add_option("--step-epochs", o->opt.step_epochs, "Step schedule: epochs per decay")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--gamma", o->opt.gamma, "Step schedule: decay factor")->check(finite_in(0, 1, true));
  app.add_option("--batch", o->batch, "Batch size")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  o->epochs_opt =
      app.add_option("--epochs", o->epochs, "Epochs")->capture_default_str()->check(CLI::Range(1, 1000000));
  app.add_option("--seed", o->data.seed, "Seed (data order, initialisation, dropout)")->capture_default_str();
  app.add_option("--threads", o->threads, "Threads (oneDNN and activation kernels)")
      ->capture_default_str()
      ->check(CLI::Range(1, kMaxThreads));
  app.add_option("--metrics", o->metrics, "Write per-epoch metrics JSON to FILE");
  app.add_option("--save", o->save, "Checkpoint FILE (written at each epoch end)");
  app.add_option("--resume", o->resume, "Continue the run saved in FILE");
  app.add_option("--checkpoint-every", o->checkpoint_every, "Also checkpoint every N steps")
      ->check(CLI::Range(0, 2147483647));
  app.add_option("--clip-grad", o->clip_grad, "Clip the global gradient norm to this value (0: off)")
      ->check(finite_in(0, 3.4e38));
  app.add_flag("--quiet", o->quiet, "No progress on stderr");
  o->app = &app;
  return std::function<int()>([o] { return run(*o); });
}};

}  // namespace
}  // namespace actlab::cli
