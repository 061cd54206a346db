// A progress bar across all runs of an experiment, with an ETA from the
// work done so far. On a terminal it redraws one line; otherwise (logs,
// CI) it prints a plain line when each run finishes.
#pragma once

#include <chrono>
#include <string>

namespace actlab::lab {

class ProgressBar {
 public:
  ProgressBar(int total_runs, bool enabled);
  // Fraction of the current run done (0..1) and a label ("relu seed 2 epoch 3/4").
  void update(int runs_done, double run_fraction, const std::string& label);
  void run_finished(int runs_done, const std::string& label, const std::string& result);
  void finish();

 private:
  std::string eta_text(double done_units) const;
  int total_;
  bool enabled_, tty_;
  int trained_ = 0;  // runs trained in this process (the ETA ignores reused ones)
  int first_done_ = -1;
  std::chrono::steady_clock::time_point t0_, last_draw_;
};

}  // namespace actlab::lab
