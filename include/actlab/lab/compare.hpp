// actlab compare: one run per activation x seed, resumable, then results,
// plots and the report (docs/lab.md lists every output file and field).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "actlab/lab/experiment.hpp"
#include "actlab/lab/report.hpp"

namespace actlab::lab {

struct CompareConfig {
  TrainConfig train;
  std::vector<nn::ActSpec> acts;
  int seeds = 2;
  std::string out = "actlab-report";
  bool progress = true;  // progress bar on stderr
};

// Trains one (activation, seed); the default loads the data once and calls
// train_run. Tests substitute a fake to exercise resuming and reporting.
using Trainer = std::function<RunResult(const nn::ActSpec&, std::uint64_t seed, const RunProgress&)>;

struct CompareOutcome {
  std::vector<RunResult> runs;
  std::vector<ActSummary> summaries;  // in the order of config.acts
  int reused = 0, trained = 0;
  std::vector<std::string> files;  // everything written, for the CLI's message
};

// The default activation set of `actlab compare`.
std::vector<nn::ActSpec> default_compare_acts();

// Runs what is missing under <out>/runs/, then writes results.json,
// results.csv, the plots and report.md/html. Each run's record is written
// atomically when it completes, so a killed compare resumes where it stopped.
CompareOutcome run_compare(const CompareConfig& c, Trainer trainer = {});

// File name of a run record: "<act>_seed<k>.json" with the activation text
// reduced to [A-Za-z0-9_.=-].
std::string run_file_name(const std::string& act, std::uint64_t seed);

// Generated readings of the claims the runs can test.
std::vector<Reading> compare_readings(const std::vector<ActSummary>& s, const TrainConfig& c);

}  // namespace actlab::lab
