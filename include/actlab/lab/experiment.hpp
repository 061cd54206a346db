// Experiments: train one model per activation and seed, with probes on, and
// keep every number (docs/lab.md documents the fields).
//
// One run = one (activation, seed): the model of TrainConfig with that
// activation in every hidden layer and its recommended initializer, trained
// with the engine's layers and optimizers on the data split. After every
// epoch (and once at initialisation, epoch 0) the probes are taken on a
// fixed probe batch of training rows in evaluation mode.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "actlab/data/dataset.hpp"
#include "actlab/lab/probes.hpp"
#include "actlab/nn/layer.hpp"
#include "actlab/nn/model.hpp"

namespace actlab::lab {

struct TrainConfig {
  std::string data = "fashion-mnist";
  std::string data_dir;              // "" = the data set's default location
  std::string model = "mlp:128,64";  // nn::parse_model_spec syntax
  bool batchnorm = false, residual = false;
  float dropout = 0.f;
  std::string init = "recommended";
  int epochs = 4;
  int batch = 128;
  std::string optimizer = "adam";
  float lr = 1e-3f;
  std::size_t limit_train = 0, limit_test = 0;  // 0 = all rows
  std::size_t synthetic_rows = 2000;
  int threads = 1;
  std::size_t probe_rows = 256;
  double target_acc = 0.80;  // convergence speed: first epoch reaching it

  // Canonical text of every field that changes results: runs recorded under
  // another config are not reused when resuming.
  std::string key() const;
};

struct EpochRecord {
  int epoch = 0;  // 0 = at initialisation (no training yet)
  double train_loss = 0, train_acc = 0, test_loss = 0, test_acc = 0;
  double seconds = 0;  // training time of this epoch (0 for epoch 0)
  std::vector<LayerStats> layers;
};

struct RunResult {
  std::string act;  // activation text ("leaky_relu(negative_slope=0.2)")
  std::uint64_t seed = 0;
  std::string config_key;
  bool diverged = false;  // loss became non-finite; training stopped there
  std::string note;
  std::vector<EpochRecord> epochs;  // epochs[0] is the initialisation
};

// Short label of an activation: "relu", "leaky_relu(negative_slope=0.2)";
// default parameters are left out.
std::string act_label(const nn::ActSpec& a);

// Progress of one run: (epoch, epochs, batch, batches) after each batch.
using RunProgress = std::function<void(int, int, std::size_t, std::size_t)>;

// Loads and normalises the configured data set (throws DataError/UsageError
// naming the data set or file).
data::Split load_data(const TrainConfig& c, std::uint64_t seed = 1);

// Probes of a model on the first `rows` rows of `d`: forward and backward of
// the cross-entropy loss in evaluation mode (parameter gradients are
// overwritten), one LayerStats per activation site, the output layer last.
std::vector<LayerStats> probe_model(nn::Model& m, const data::Dataset& d, std::size_t rows);

// Trains one run. Does not throw for divergence (marks the run).
// `inspect`, when set, is called with the trained model before it is freed
// (actlab boundary evaluates it on a grid).
RunResult train_run(const TrainConfig& c, const nn::ActSpec& act, std::uint64_t seed,
                    const data::Split& split, const RunProgress& progress = {},
                    const std::function<void(nn::Model&)>& inspect = {});


nlohmann::json to_json(const LayerStats& s);
nlohmann::json to_json(const EpochRecord& e);
nlohmann::json to_json(const RunResult& r);
RunResult run_from_json(const nlohmann::json& j);

// Per activation, over seeds (mean and sample std; NaN std for one seed).
struct Stat {
  double mean = 0, std = 0;
  int n = 0;  // values that entered (e.g. runs that reached the target)
};

struct ActSummary {
  std::string act;
  int runs = 0, diverged = 0;
  Stat final_test_acc, best_test_acc, final_test_loss, epochs_to_target, seconds_to_target, gen_gap,
      dead_fraction, saturation_fraction, grad_ratio_init, grad_ratio_final, seconds_per_epoch,
      first_epoch_test_acc, prelu_slope_init, prelu_slope_final;  // slopes: mean over hidden layers (PReLU only)
  // Means over seeds per epoch (index = epoch, 0 = init) and per layer.
  std::vector<double> test_acc_mean, test_acc_std, test_loss_mean, test_loss_std;
  std::vector<double> layer_grad_init, layer_grad_final;  // weight grad norm per layer
  std::vector<double> layer_dead_final, layer_sat_final;
  std::vector<double> layer_post_mean_final, layer_post_std_final;
  std::vector<double> layer_post_mean_init, layer_post_std_init;
  std::vector<double> first_pre_hist, last_pre_hist;  // z histograms, final epoch, first/last hidden layer
};

ActSummary summarise(const std::string& act, const std::vector<RunResult>& runs, double target_acc);
nlohmann::json to_json(const ActSummary& s);

// Rank order: by mean final test accuracy, diverged-only activations last.
std::vector<std::size_t> ranking(const std::vector<ActSummary>& s);

}  // namespace actlab::lab
