// actlab study: runs a study (study_file.hpp) on the runner (runner.hpp),
// decides each claim with statistics over seeds (stats.hpp) and writes the
// report: report.html (self-contained), report.md, results.json and one CSV
// per figure. docs/lab.md describes every claim and how it is decided.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "actlab/lab/plot.hpp"
#include "actlab/lab/report.hpp"
#include "actlab/lab/runner.hpp"
#include "actlab/lab/stats.hpp"
#include "actlab/lab/study_file.hpp"

namespace actlab::lab {

// The runs of one grid point, one per seed (seed k at index k - 1).
struct CellRuns {
  const Cell* cell = nullptr;
  std::vector<const RunRecord*> seeds;
};

struct ExperimentRuns {
  const Experiment* exp = nullptr;
  std::vector<CellRuns> cells;  // in Experiment::cells order
  // The cell whose coordinates include every (axis, label) of `at`; nullptr
  // when none or the experiment has no such axis value.
  const CellRuns* find(const std::map<std::string, std::string>& at) const;
  // The value labels of an axis (empty when the experiment has no such axis).
  std::vector<std::string> values(const std::string& axis) const;
};

// One decided statement: an effect with its 95% CI against a threshold.
struct Finding {
  std::string label;        // "sigmoid, torch init, depth 32"
  std::string effect_name;  // "log10 gradient ratio first/last hidden layer"
  stats::Interval effect;
  double threshold = 0;
  bool higher_supports = true;  // the claim holds when the effect is above the threshold
  // Two-sided equivalence (|effect| < margin): set when the claim is "no difference".
  bool equivalence = false;
  stats::Verdict verdict = stats::Verdict::inconclusive;
  int seeds_to_decide = -1;  // for an inconclusive finding: seeds a CI of this width would need
  bool deciding = true;      // false: a condition or contrast shown beside the claim, not deciding it
  // Standardised effect: Cohen's d_z (mean difference / sd of the differences) for paired
  // samples, Cohen's d (pooled sd) for unpaired ones, mean / sd for one sample; NaN when sd = 0.
  double effect_size = NAN;
};

// A figure of the report and the data behind it (written as CSV).
struct FigureOut {
  Figure fig;
  std::string caption;
  std::vector<std::string> csv_header;
  std::vector<std::vector<std::string>> csv_rows;
};

struct ClaimResult {
  std::string experiment, claim, title;
  std::string statement;  // the claim in the texts' words
  std::string setup;      // generated from the experiment's grid and settings
  std::string method;     // statistic, threshold, decision rule
  std::vector<Finding> findings;
  stats::Verdict verdict = stats::Verdict::inconclusive;
  std::string reading;  // what the numbers say, in words
  std::string caveat;   // the condition, and what would have changed the verdict
  std::vector<ReportTable> tables;
  std::vector<FigureOut> figures;
  bool decided = true;  // false for a descriptive experiment (no claim)
};

// A built-in analysis of an experiment's runs.
struct ClaimDef {
  std::string name, title, statement;
  bool needs_runs = true;  // false: the analysis measures by itself (kernel cost)
  std::function<ClaimResult(const ExperimentRuns&)> analyse;
};
const std::vector<ClaimDef>& claim_registry();
const ClaimDef* find_claim(const std::string& name);

// Descriptive analysis of an experiment without a claim: every cell with
// its accuracy, gap, dead and saturated units (95% CIs), and a ranking with
// Holm-corrected ties along its first axis.
ClaimResult describe_experiment(const ExperimentRuns& e);

// The default claims study (studies/claims.toml, compiled in).
const std::string& default_study_text();

struct StudyOptions {
  std::string out = "actlab-study";
  int jobs = 0;            // 0: one per core
  bool progress = true;
  bool dry_run = false;    // print the runs and the estimated time, train nothing
};

struct StudyOutcome {
  std::vector<ClaimResult> claims;
  int runs = 0, reused = 0, trained = 0;
  double seconds = 0;
  std::vector<std::string> files;
};

// Validates the output folder and the claim names before any work, trains
// what is missing, analyses, writes the report. Throws UsageError/DataError.
StudyOutcome run_study(const Study& s, const StudyOptions& o, RunTrainer trainer = {});

// The dry run's table: one line per experiment (cells, seeds, runs, estimated
// seconds) and the total with the given jobs.
std::string dry_run_text(const Study& s, int jobs);

}  // namespace actlab::lab
