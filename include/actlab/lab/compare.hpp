// actlab compare: one run per activation x seed of the same configuration,
// trained by the study runner (parallel jobs, cache, resume), then results,
// plots and the report (docs/lab.md lists every output file and field).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "actlab/lab/experiment.hpp"
#include "actlab/lab/report.hpp"
#include "actlab/lab/run.hpp"
#include "actlab/lab/runner.hpp"

namespace actlab::lab {

struct CompareConfig {
  RunSpec run;  // every setting but the activation (model.acts) and the seed
  std::vector<nn::ActSpec> acts;
  int seeds = 2;              // seeds 1..seeds per activation
  double target_acc = 0.80;   // convergence speed: first epoch reaching it
  std::string out = "actlab-report";
  int jobs = 0;               // runs in parallel (0: one per core)
  bool progress = true;       // progress bar on stderr
};

// The runs of a compare, activation-major: acts[i] with seed k (1-based) is
// specs[i * seeds + k - 1], with run.model.acts = {acts[i]} and seed = k.
// Throws UsageError naming the field for a configuration no run can use.
std::vector<RunSpec> compare_specs(const CompareConfig& c);

struct CompareRun {
  std::string act;  // act_label
  std::uint64_t seed = 0;
  RunRecord record;
};

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

// The summary of one activation's runs (every record given is one seed).
ActSummary summarise(const std::string& act, const std::vector<const RunRecord*>& runs, double target_acc);
nlohmann::json to_json(const ActSummary& s);

// Rank order: by mean final test accuracy, diverged-only activations last.
std::vector<std::size_t> ranking(const std::vector<ActSummary>& s);

struct CompareOutcome {
  std::vector<CompareRun> runs;       // in the order of compare_specs
  std::vector<ActSummary> summaries;  // in the order of config.acts
  int reused = 0, trained = 0, invalid_cached = 0;
  std::vector<std::string> files;  // everything written, for the CLI's message
};

// The default activation set of `actlab compare`.
std::vector<nn::ActSpec> default_compare_acts();

// Trains what is missing with lab::run_specs (cache <out>/runs/<hash>.json,
// each record written atomically when its run ends, so a killed compare
// resumes where it stopped), then writes results.json, results.csv, the
// plots and report.md/html. `trainer` replaces run_one (tests).
CompareOutcome run_compare(const CompareConfig& c, RunTrainer trainer = {});

// Generated readings of the claims the runs can test.
std::vector<Reading> compare_readings(const std::vector<ActSummary>& s, double target_acc);

}  // namespace actlab::lab
