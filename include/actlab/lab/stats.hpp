// Statistics of `actlab study`: confidence intervals over seeds, paired and
// unpaired comparisons, effect sizes, multiple-comparison correction, a
// ranking with statistical ties, and the verdict on a claim.
//
// Conventions for every function below:
//   samples   one value per seed. Non-finite values (NaN, +-inf) are an
//             error: std::invalid_argument naming the function, the sample
//             and its index (a diverged run must be reported as such by the
//             caller, not silently averaged or dropped here).
//   level     confidence level in (0, 1); anything else -> invalid_argument.
//   sd        sample standard deviation (n - 1 denominator).
//   zero variance  (all samples equal, or all paired differences equal): the
//             interval collapses to the mean (lo = hi = mean), the p-value
//             is 1 if the difference is exactly 0 and 0 otherwise.
//   too few samples  n == 0: every field NaN; n == 1: mean known, lo = -inf,
//             hi = +inf ("unknown"), sd/se/df NaN; p-values and effect
//             sizes that need a variance are NaN.
// Quantiles and p-values come from Boost.Math (students_t, normal); the
// tests compare them with SciPy (tools/stats_fixtures.py).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace actlab::lab::stats {

// A mean (or a difference of means) with its confidence interval.
struct Interval {
  double mean = NAN;  // the estimate: mean, or mean of a - b
  double lo = NAN, hi = NAN;  // the interval at the requested level
  // "t", "paired t": sd of the sample / of the differences a[i] - b[i].
  // "welch": sqrt(sd_a^2 + sd_b^2), the sd of one draw of a minus one
  //          independent draw of b, so that n seeds per arm give a standard
  //          error of sd / sqrt(n) (what seeds_to_decide assumes).
  // "bootstrap": sd of the sample.
  double sd = NAN;
  double se = NAN;  // standard error of `mean` (bootstrap: the t-based sd / sqrt(n))
  double df = NAN;  // degrees of freedom of the t quantile (bootstrap: NaN)
  int n = 0;        // samples (paired: pairs; welch: samples of a)
  int n2 = 0;       // welch only: samples of b
  double level = NAN;
  std::string method;  // "t", "paired t", "welch", "bootstrap"
};

// Quantile of Student's t with `df` degrees of freedom: x with P(T <= x) = p.
// df > 0 (may be fractional, as Welch's is; +inf gives the normal quantile).
// p == 0 -> -inf, p == 1 -> +inf; p outside [0, 1], NaN, or df <= 0 -> NaN.
double t_quantile(double p, double df);

// Mean and two-sided Student-t interval mean +- t_{(1+level)/2, n-1} sd/sqrt(n).
// method "t".
Interval mean_ci(const std::vector<double>& v, double level = 0.95);

// Bias-corrected and accelerated (BCa, Efron 1987) bootstrap interval of the
// mean: `resamples` resamples with replacement, bias correction
// z0 = Phi^-1((#{mean* < mean} + #{mean* <= mean}) / 2B), acceleration
// from the jackknife, and the endpoints read off the sorted resample means
// by linear interpolation (scipy.stats.bootstrap(method="BCa") computes the
// same thing; the tests compare with it up to Monte Carlo error).
// Deterministic: resample b, draw i uses a counter-based hash of
// (seed, b, i), so the result depends on (v, level, resamples, seed) only.
// If the bias correction is infinite (every resample on one side of the
// mean, possible only for tiny n), the plain percentile interval is used.
// resamples >= 1 (else invalid_argument). method "bootstrap"; df is NaN.
Interval bootstrap_ci(const std::vector<double>& v, double level = 0.95, int resamples = 10000,
                      std::uint64_t seed = 1);

// Adjusted Fisher-Pearson sample skewness G1 = sqrt(n(n-1))/(n-2) * m3/m2^1.5
// (scipy.stats.skew(bias=False)); NaN for n < 3 or zero variance.
double skewness(const std::vector<double>& v);

// The rule for preferring the bootstrap over t: n >= kSkewMinN and
// |skewness(v)| > kSkewLimit. Below 8 seeds the skewness estimate is too
// noisy to act on and the bootstrap too coarse to be better than t.
inline constexpr int kSkewMinN = 8;
inline constexpr double kSkewLimit = 1.0;
bool skewed(const std::vector<double>& v);

// bootstrap_ci(v, level) (default resamples and seed) when skewed(v),
// else mean_ci(v, level); `method` says which.
Interval auto_ci(const std::vector<double>& v, double level = 0.95);

// t interval of the differences a[i] - b[i] (method "paired t").
// a.size() != b.size() -> invalid_argument.
Interval paired_diff_ci(const std::vector<double>& a, const std::vector<double>& b,
                        double level = 0.95);

// Unpaired difference mean(a) - mean(b) with Welch's standard error
// sqrt(sa^2/na + sb^2/nb) and the Welch-Satterthwaite degrees of freedom
// (method "welch"; `sd` as documented in Interval). Either group empty ->
// NaN interval; either group of one sample -> (-inf, +inf). Both groups of
// zero variance: collapses to the difference; one of zero variance: df is
// that of the other group, n - 1.
Interval welch_diff_ci(const std::vector<double>& a, const std::vector<double>& b,
                       double level = 0.95);

// Two-sided p-value of the paired t-test of a - b against 0
// (scipy.stats.ttest_rel). Sizes must match; n < 2 -> NaN.
double paired_t_p(const std::vector<double>& a, const std::vector<double>& b);

// Two-sided p-value of Welch's t-test (scipy.stats.ttest_ind(equal_var=False)).
// Either group smaller than 2 -> NaN.
double welch_p(const std::vector<double>& a, const std::vector<double>& b);

// Cohen's d with the pooled sd: (mean a - mean b) / sqrt(((na-1)sa^2 +
// (nb-1)sb^2) / (na+nb-2)). NaN if na + nb < 3 or either group is empty;
// with pooled sd 0: NaN if the means are equal, +-inf otherwise.
double cohens_d(const std::vector<double>& a, const std::vector<double>& b);

// Paired effect size d_z = mean(a - b) / sd(a - b). Sizes must match;
// NaN for n < 2; with sd 0: NaN if the mean difference is 0, +-inf otherwise.
double cohens_dz(const std::vector<double>& a, const std::vector<double>& b);

// Holm-Bonferroni adjusted p-values, in the order of the input: with the m
// p-values sorted ascending, p_adj(i) = min(1, max_{j<=i} (m - j + 1) p(j)),
// so they are monotone in p and never below the raw value. NaN entries (tests
// that could not be made) stay NaN and do not count in m (as R's p.adjust).
// A value outside [0, 1] -> invalid_argument.
std::vector<double> holm(const std::vector<double>& p);

// Ranking with statistical ties. Items are compared pairwise with the paired
// t-test when `paired` is true and every item has the same number (>= 2) of
// samples (sample i of every item comes from seed i), else with Welch's test;
// the k(k-1)/2 p-values are Holm-adjusted together, and a pair is
// significantly different when its adjusted p < alpha (a NaN p, e.g. from a
// single-sample item, is never significant).
struct Ranking {
  std::vector<double> mean;                // per item
  std::vector<std::size_t> order;          // item indices by mean, highest first (ties: lower index first)
  std::vector<std::vector<double>> p_adj;  // Holm-adjusted pairwise p (k x k, symmetric, NaN diagonal)
  // Compact letter display per item (Piepho 2004, insert-absorb): two items
  // share a letter iff they are not significantly different. Letters are
  // handed out from the best item down, so the top item has "a"; each
  // item's letters are in alphabetical order. After a-z and A-Z (52 groups)
  // further groups are written "{53}", "{54}", ...
  std::vector<std::string> letters;
  std::vector<int> tied_with_best;  // 1 if not significantly different from order[0] (itself included)
  bool paired = false;              // which test was used
};
// Every item needs at least one sample (else invalid_argument);
// alpha in (0, 1).
Ranking rank_with_ties(const std::vector<std::vector<double>>& samples, double alpha = 0.05,
                       bool paired = true);

enum class Verdict { supported, contradicted, inconclusive };
const char* verdict_name(Verdict v);  // "supported", "contradicted", "inconclusive"

// The claim holds when the effect is above `threshold` (higher_supports) or
// below it (!higher_supports). supported: the whole interval strictly on the
// claim's side (lo > threshold, resp. hi < threshold); contradicted: the
// whole interval strictly on the other side; otherwise inconclusive (the
// interval touches or straddles the threshold, or lo/hi/threshold is NaN).
Verdict decide(const Interval& effect, double threshold, bool higher_supports = true);

// "What would have changed it": the smallest number of seeds n' in [2, 1000]
// for which an interval with the same mean and sd, half-width
// t_{(1+level)/2, n'-1} * sd / sqrt(n'), lies strictly on one side of the
// threshold; 1001 means "more than 1000". -1 when no number of seeds can
// decide: the mean is on the threshold, or sd is 0 (the interval is then
// the point and already decides), or mean/sd/threshold is not finite.
// The answer does not depend on effect.n, so it can be <= effect.n for an
// interval that already decides. For "welch" n' is seeds per arm, and n'-1
// degrees of freedom is conservative (Welch's df with n' per arm is >= n'-1).
int seeds_to_decide(const Interval& effect, double threshold, double level = 0.95);

}  // namespace actlab::lab::stats
