// The study runner: trains a list of RunSpecs in parallel, one run per job,
// each single-threaded, and caches every finished record under
// <cache>/<hash>.json, written atomically the moment the run ends.
//
// - Cache key: the full canonical RunSpec::key() is stored in the record and
//   compared on load, so a record is reused only for exactly its
//   configuration (the hash is the file name, never the identity).
// - Resume: a killed study rerun loads what is finished and trains only what
//   is missing. Temporary files a killed run left behind (*.tmp.PID.N whose
//   process is gone) are removed at start.
// - Validation: a cached record is read like any other input; one that is
//   malformed or holds impossible values is reported and retrained.
// - Determinism: a run depends on its RunSpec only; --jobs changes the wall
//   time, never a result (timings aside).
// - Identical specs (e.g. the same cell in two experiments) train once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "actlab/lab/run.hpp"

namespace actlab::lab {

struct RunnerOptions {
  int jobs = 0;              // 0: one per core (std::thread::hardware_concurrency)
  std::string cache_dir;     // required: where records live
  bool progress = true;      // progress bar with ETA on stderr
  std::string label = "runs";  // what the progress bar counts
};

// Trains one spec; the default loads the data (once per distinct DataSpec,
// shared by all jobs) and calls run_one. Tests substitute a fake.
using RunTrainer = std::function<RunRecord(const RunSpec&, const StepProgress&)>;

struct RunnerOutcome {
  std::map<std::string, RunRecord> records;  // by RunSpec::hash()
  int reused = 0, trained = 0, invalid_cached = 0;
  double seconds = 0;  // wall time of the training part
};

// Estimated single-thread seconds of a run (a cost model in multiply-adds,
// calibrated on this project's engine; used for ordering, ETA and --dry-run).
double estimate_seconds(const RunSpec& s);

// Trains every spec not in the cache. Throws the first run's error (after
// the other jobs stop), naming the run; finished records stay cached.
RunnerOutcome run_specs(const std::vector<RunSpec>& specs, const RunnerOptions& o, RunTrainer trainer = {});

// Removes "<name>.tmp.<pid>.<n>" files in `dir` whose process no longer
// exists; returns how many.
int remove_stale_temps(const std::string& dir);

}  // namespace actlab::lab
