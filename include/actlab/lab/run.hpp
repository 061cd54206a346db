// One run of the lab: a fully specified training configuration (RunSpec),
// trained by the engine's loop (nn::train) with the lab's probes hung on its
// hooks, and everything it measured (RunRecord).
//
// Every experiment of the lab (study, compare, gradflow, boundary) is a list
// of RunSpecs; the study runner trains them in parallel and caches each
// record under the hash of RunSpec::key(), the canonical text of every field
// that changes a result (exact values, not a rounded label), so a record is
// only ever reused for exactly the configuration that made it.
//
// Determinism: a run is single-threaded and depends on its RunSpec only, so
// every field of a RunRecord except the wall-clock timings (`seconds` fields)
// is bit-identical however many runs execute side by side.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "actlab/data/dataset.hpp"
#include "actlab/lab/probes.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/nn/optim.hpp"
#include "actlab/nn/train.hpp"

namespace actlab::lab {

struct DataSpec {
  std::string name = "fashion-mnist";  // data::load name: fashion-mnist, xor, spiral, moons, circles, csv:..., npy:...
  std::string dir;                     // fashion-mnist folder ("" = Debian's)
  std::size_t train_rows = 0;          // 0 = all training rows
  std::size_t test_rows = 0;           // 0 = all test rows
  std::size_t synthetic_rows = 2000;   // synthetic sets: training rows (test: half)
  double noise = 0.1;                  // synthetic sets
  std::uint64_t seed = 1;              // which subset / synthetic draw (the same for every run seed)
  // csv:/npy: data: the size and modification time of every file the spec
  // names (fingerprint_user_data), part of the run key so that a record is
  // never reused after the file was edited. Empty for the built-in sets.
  std::string fingerprint;
};

// Fills d.fingerprint for csv:/npy: data (nothing for the built-in sets).
// Throws UsageError for a malformed spec, DataError naming a missing file.
void fingerprint_user_data(DataSpec& d);

// What is measured besides the per-epoch records.
struct MeasureSpec {
  int eval_every = 0;           // > 0: test accuracy every N steps too (convergence curves)
  std::size_t eval_rows = 0;    // rows of the test set for those evaluations (0 = all)
  std::size_t probe_rows = 256; // training rows of the probe batch
  std::size_t train_eval_rows = 10000;  // training rows evaluated per epoch (train-test gap)
};

struct RunSpec {
  DataSpec data;
  nn::ModelSpec model;
  nn::OptConfig opt;  // opt.total_epochs follows `epochs`
  int epochs = 1;
  int batch = 128;
  float clip_grad = 0;  // > 0: clip the global gradient norm
  std::uint64_t seed = 1;
  MeasureSpec measure;
  // > 0: stop after this many optimisation steps, inside an epoch if need be
  // (the record then ends with that partial epoch); `epochs` must cover them.
  std::uint64_t max_steps = 0;

  // Canonical JSON text of every field that changes a result, floats written
  // exactly (round-trip precision). Equal keys <=> equal configurations.
  std::string key() const;
  // 16 hex digits of a 64-bit hash of key(): the run's file name in a cache.
  std::string hash() const;
  // Throws UsageError naming the field for values no run can use.
  void validate() const;
};

// Per epoch (epoch 0 = at initialisation, before any step), in evaluation
// mode on fixed rows.
struct EpochProbe {
  int epoch = 0;
  double train_loss = 0, train_acc = 0;  // on measure.train_eval_rows training rows
  double test_loss = 0, test_acc = 0, test_ece = 0;
  double seconds = 0;                    // training wall time of this epoch (0 for epoch 0)
  std::uint64_t steps = 0;               // optimisation steps done at the end of this epoch
  std::vector<LayerStats> layers;        // probes, one per activation site, output last
};

// Test accuracy after `step` optimisation steps (measure.eval_every).
struct CurvePoint {
  std::uint64_t step = 0;
  double seconds = 0;  // cumulative training wall time
  double test_acc = 0, test_loss = 0;
};

struct RunRecord {
  std::string key, hash;  // of the RunSpec that made it
  bool diverged = false;
  std::string note;       // why it diverged, where
  std::vector<EpochProbe> epochs;  // epochs[0]: initialisation
  std::vector<CurvePoint> curve;   // empty unless measure.eval_every > 0
  double seconds = 0;              // whole run, wall time
};

// Loads the run's data (subset and normalisation included).
data::Split load_run_data(const DataSpec& d);

// Progress of one run after each step: (step, total steps).
using StepProgress = std::function<void(std::uint64_t, std::uint64_t)>;

// Measurements inside a run (actlab gradflow), handed to the engine's loop
// as they are (nn::TrainConfig's hooks of the same names).
struct RunHooks {
  // After each backward pass, before gradient clipping and the update: the
  // model's probe views and parameter gradients hold this batch's values;
  // st.step is the number of updates before this batch, st.sum_loss and
  // st.seen the running sums of the epoch before it.
  std::function<void(nn::Model&, const nn::RunState&)> after_backward;
  // After each update (after run_one's own progress and curve point).
  std::function<void(const nn::StepInfo&)> on_step;
};

// Trains `spec` on `split` (from load_run_data(spec.data)) through nn::train.
// Divergence (a non-finite loss or gradient) is recorded, not thrown.
// `inspect`, when set, sees the trained model before it is freed.
RunRecord run_one(const RunSpec& spec, const data::Split& split, const StepProgress& progress = {},
                  const std::function<void(nn::Model&, const data::Split&)>& inspect = {},
                  const RunHooks& hooks = {});

// Probes of a model on the first `rows` rows of `d`: forward and backward of
// the model's loss head in evaluation mode (parameter gradients are
// overwritten), one LayerStats per activation site, the output layer last.
std::vector<LayerStats> probe_model(nn::Model& m, const data::Dataset& d, std::size_t rows);

nlohmann::json to_json(const RunRecord& r);
// Throws DataError naming the field for a record that is malformed or holds
// impossible values (an accuracy outside [0, 1], a negative step...).
RunRecord record_from_json(const nlohmann::json& j);

}  // namespace actlab::lab
