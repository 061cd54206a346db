// Building blocks of the claim analyses (claims.cpp): metrics of one run,
// findings with their CIs and verdicts, tables and figures with their CSVs.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "actlab/lab/study.hpp"

namespace actlab::lab::claims {

using Metric = std::function<double(const RunRecord&)>;
using Series = std::function<std::vector<double>(const RunRecord&)>;

// --- a claim result with its title, statement and set-up filled in
ClaimResult start(const ExperimentRuns& e, const std::string& claim);
double param(const ExperimentRuns& e, const std::string& key, double dflt);
std::string param_s(const ExperimentRuns& e, const std::string& key, const std::string& dflt);

// --- metrics of one run (NaN where the run has no such value)
double final_acc(const RunRecord& r);
double best_acc(const RunRecord& r);
double init_acc(const RunRecord& r);
double final_train_acc(const RunRecord& r);
double gen_gap(const RunRecord& r);        // train acc − test acc, final epoch
double final_ece(const RunRecord& r);
double epoch_acc(const RunRecord& r, int epoch);
double dead_final(const RunRecord& r);     // mean over hidden layers
double zero_final(const RunRecord& r);
double saturation_final(const RunRecord& r);
double max_hidden_grad(const RunRecord& r);  // largest hidden dL/dz norm, final epoch
double log10_grad_ratio_init(const RunRecord& r);  // first / last hidden |dL/dz|, at init
double steps_to(const RunRecord& r, double target);  // censored: last step + one eval interval
double mean_abs_slope_change(const RunRecord& r, double init);
double selu_deviation_init(const RunRecord& r);  // max(|mean|, |std − 1|), last hidden layer, init
double abs_mean_last_init(const RunRecord& r);
double centredness_last_init(const RunRecord& r);  // |mean| / std, last hidden layer, init
double mean_last_init(const RunRecord& r);
double std_last_init(const RunRecord& r);
double abs_mean_hidden_final(const RunRecord& r);
std::vector<double> final_acc_curve(const RunRecord& r);  // test acc per epoch, 0 = init
std::vector<double> slope_per_layer(const RunRecord& r);
std::vector<double> post_mean_per_layer_init(const RunRecord& r);
std::vector<double> post_std_per_layer_init(const RunRecord& r);
std::vector<double> post_std_per_layer_final(const RunRecord& r);
std::vector<double> grad_per_layer_init(const RunRecord& r);
std::vector<double> zero_per_layer_final(const RunRecord& r);

std::vector<double> vals(const CellRuns& c, const Metric& m);  // one per seed, non-finite dropped
double mean_of(const std::vector<double>& v);

// --- findings
Finding one_sample(const std::string& label, const std::string& effect, const std::vector<double>& v, double thr,
                   bool higher_supports);
// a − b, paired by seed when the sizes match (Welch otherwise).
Finding paired(const std::string& label, const std::string& effect, const std::vector<double>& a,
               const std::vector<double>& b, double thr, bool higher_supports);
// |a − b| < margin: supported when the CI lies inside ±margin, contradicted when outside.
Finding equivalent(const std::string& label, const std::string& effect, const std::vector<double>& a,
                   const std::vector<double>& b, double margin);
// supported if all are, contradicted if any is, else inconclusive; none: inconclusive.
stats::Verdict all_of(const std::vector<Finding>& f);
// Marks the findings of `c` whose labels are in `deciding` as deciding, the
// others as contrast rows; returns all_of(deciding).
stats::Verdict decide_by(ClaimResult& c, const std::vector<Finding>& deciding);
// "What would have changed it", from the findings.
std::string change_text(const ClaimResult& c);
// One sentence: the verdict and the finding that decided it.
std::string verdict_sentence(const ClaimResult& c);

// --- text
std::string num(double v, int digits = 3);
std::string ci_text(const stats::Interval& i, int digits = 3);

// --- tables
ReportTable cell_table(const ExperimentRuns& e, const std::vector<std::pair<std::string, Metric>>& cols);
ReportTable findings_table(const std::vector<Finding>& f);
ReportTable matrix_table(const ExperimentRuns& e, const std::string& row_axis, const std::string& col_axis,
                         const Metric& m, const std::string& what);
ReportTable rank_table(const ExperimentRuns& e, const std::string& axis, const Metric& m, const std::string& what);
ReportTable layer_table(const CellRuns& c, const Series& s, const std::string& what);

// --- figures (each with the CSV of what it draws)
FigureOut bars(const ExperimentRuns& e, const std::string& category_axis, const std::string& group_axis,
               const Metric& m, const std::string& ylabel, const std::string& caption);
FigureOut rank_bars(const ExperimentRuns& e, const std::string& axis, const Metric& m, const std::string& ylabel,
                    const std::string& caption);
FigureOut lines(const ExperimentRuns& e, const std::string& x_axis, const std::string& series_axis,
                const std::string& panel_axis, const Metric& m, const std::string& ylabel,
                const std::string& caption, bool log_x = false);
FigureOut curves(const ExperimentRuns& e, const std::string& series_axis, const Series& s, const std::string& ylabel,
                 const std::string& caption);
FigureOut small_multiples(const ExperimentRuns& e, const std::string& axis, const Series& s,
                          const std::string& ylabel, const std::string& caption);
FigureOut step_curves(const ExperimentRuns& e, const std::string& series_axis, const std::string& panel_axis,
                      const std::string& caption);
FigureOut per_layer(const CellRuns& c, const Series& s, const std::string& ylabel, const std::string& caption);
FigureOut per_layer_cells(const ExperimentRuns& e, const std::string& series_axis, const Series& s,
                          const std::string& ylabel, const std::string& caption, const std::string& panel_axis = "",
                          bool log_y = false);

}  // namespace actlab::lab::claims
