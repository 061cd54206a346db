// The training loop, shared by `actlab train` and the lab. It knows nothing
// of files or data formats: batches come from a BatchSource (the CLI adapts
// data::Batcher), evaluation sets are plain arrays.
//
// Determinism: the batch order depends on (seed, epoch) only, dropout/RReLU
// draws on (seed, step, layer), GEMMs on the thread count; so the same seed
// and threads give identical metrics, and a run resumed from a checkpoint's
// RunState ends with the same weights as an uninterrupted one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "actlab/nn/model.hpp"
#include "actlab/nn/optim.hpp"

namespace actlab::nn {

class BatchSource {
 public:
  virtual ~BatchSource() = default;
  virtual std::size_t batches_per_epoch() const = 0;
  virtual void start_epoch(std::uint64_t epoch) = 0;
  // Next batch (x: n x features, y: n labels); 0 at the end of the epoch.
  virtual std::size_t next(std::vector<float>& x, std::vector<std::int32_t>& y) = 0;
  virtual std::size_t position() const = 0;  // opaque position inside the epoch
  virtual void seek(std::size_t pos) = 0;
};

struct EvalSet {
  const float* x = nullptr;
  const std::int32_t* y = nullptr;
  std::size_t rows = 0;
};

struct EvalResult {
  double loss = 0, acc = 0;
  double ece = 0;   // expected calibration error, 15 bins (loss.hpp: Calibration)
  Calibration cal;  // its bins (for reliability diagrams)
};

// Mean loss (the model's head), accuracy and expected calibration error in
// evaluation mode, in batches of `batch` rows. All zero for an empty set.
EvalResult evaluate(Model& m, const EvalSet& s, std::size_t batch = 1000);

struct EpochRecord {
  int epoch = 0;  // 1-based
  double train_loss = 0, train_acc = 0;
  double test_loss = 0, test_acc = 0;
  double test_ece = -1;                 // -1: not recorded (checkpoints older than ECE)
  double val_loss = -1, val_acc = -1;  // -1: no validation set
  double val_ece = -1;
  double train_s = 0;                  // wall time of the training steps
  double lr = 0;
};

struct StepInfo {
  int epoch = 0;  // 1-based
  std::size_t batch = 0, batches = 0;
  std::uint64_t step = 0;  // global, 1-based after the update
  double loss = 0, acc = 0;  // running means over the epoch so far
  double elapsed_s = 0;      // in this epoch
};

// Where a run is; saved in checkpoints.
struct RunState {
  int epoch = 0;              // current epoch, 0-based
  std::size_t pos = 0;        // BatchSource::position() inside it
  std::size_t batch = 0;      // batches done in this epoch
  std::uint64_t step = 0;     // optimisation steps done
  double sum_loss = 0;        // running sums of this epoch (loss * rows)
  std::size_t correct = 0, seen = 0;
  double train_s = 0;
  std::vector<EpochRecord> history;
};

struct TrainConfig {
  int epochs = 1;
  std::uint64_t seed = 1;
  float clip_grad = 0;            // > 0: clip the global gradient L2 norm
  std::size_t eval_batch = 1000;
  std::size_t checkpoint_every = 0;  // also call on_checkpoint every N steps
  // > 0: stop once st.step reaches it, inside an epoch if need be. A partial
  // epoch gets no EpochRecord (and no on_epoch); `st` stays where it stopped,
  // so a later call with a higher limit continues the same run.
  std::uint64_t max_steps = 0;
  std::function<void(const StepInfo&)> on_step;
  std::function<void(const EpochRecord&)> on_epoch;
  // Called at every epoch end and every checkpoint_every steps.
  std::function<void(const RunState&)> on_checkpoint;
  // Probe hook: called after backward, before the update, with the model's
  // layers holding this batch's activations and gradients.
  std::function<void(Model&, const RunState&)> after_backward;
};

struct TrainResult {
  bool diverged = false;
  int epoch = 0;            // 1-based epoch of the divergence
  std::uint64_t step = 0;   // global step (1-based) of the divergence
  std::string message;      // "diverged at epoch E, step S: ..."
};

// Trains from `st` to cfg.epochs (or cfg.max_steps). A non-finite loss or
// gradient stops the run (the returned result says where); the model keeps
// its last finite weights (the bad update is not applied).
TrainResult train(Model& m, Optimizer& opt, BatchSource& src, const EvalSet& test,
                  const EvalSet& val, RunState& st, const TrainConfig& cfg);

// Global L2 norm of the gradients (double accumulation).
double grad_norm(const std::vector<Param>& ps);

}  // namespace actlab::nn
