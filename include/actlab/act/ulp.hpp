// Accuracy measurement of the fast kernels against the long double reference.
//
// ULP error of a float result y against the reference value r (long double):
//   - y and r both NaN                      -> 0
//   - exactly one of them NaN               -> +inf (a "non-finite mismatch")
//   - r rounded to float (round to nearest) is +-inf, or y is +-inf:
//       equal infinities -> 0, otherwise    -> +inf (a "non-finite mismatch")
//   - otherwise |y - r| / ulp(r), where ulp(r) is the spacing of float32 at
//     |r|: 2^(max(floor(log2|r|), -126) - 23) (2^-149 in the denormal range).
//     +0 and -0 are equal here (the edge-case tests check signs separately).
// A correctly rounded result has error <= 0.5. A contract of N ULP is met
// when every error is <= max(N, 0.5): contract 0 means "correctly rounded".
//
// Pointwise sweep: every step-th float32 bit pattern (step 1 = all 2^32,
// NaNs and infinities included), forward (y vs ref::forward) or backward
// (dy = 1, dx vs ref::derivative), split over threads with parallel_for.
//
// Screening (pointwise sweeps, SweepOptions::screen, on by default): the
// long double reference costs 1.5-13 CPU-minutes per 2^32 inputs, so each
// input is first judged against the same formulas in double
// (ref::forward_d / derivative_d) and the long double value is computed only
// where it can change what is reported: near the running maximum, within
// 2 kScreenEps of 0.5, 1 and 2 ULP, in edge regions (non-finite, near the
// float overflow threshold), in the cancellation zones of screen_rule(),
// and on every 64th input (the audit). Everything reported (count, max_ulp,
// worst_x/y/ref, above1, above2, nonfinite_mismatch) is then the same as in
// an exact sweep, provided the double value is within kScreenEps ULP of the
// long double one wherever the latter was not computed. That assumption is
// measured on every input computed both ways (screen_dev); if it is ever
// broken, ulp_sweep reruns the sweep exactly and sets screen_fallback.
//
// Rowwise sweep (softmax family): random rows of several lengths. Forward is
// y vs ref::forward_row in plain ULPs. Backward dx_i = y_i (dy_i - <dy, y>)
// (log_softmax: dy_i - e^{y_i} sum_j dy_j) subtracts sums that can cancel to
// anything, so its error is measured in ULPs of the magnitude of what is
// summed: |y_i| (|dy_i| + sum_j |dy_j y_j|) (log_softmax: |dy_i| + e^{y_i}
// sum_j |dy_j|) -- the error any float implementation makes is relative to
// that, not to the (possibly tiny) difference.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "actlab/act/catalogue.hpp"

namespace actlab::act {

// Error of y against r in float32 ULPs at r (definition above).
double ulp_error(float y, long double r);
// The float32 ULP at |r| (r finite).
long double ulp_of(long double r);

struct UlpStats {
  std::uint64_t count = 0;               // inputs (or row elements) compared
  double max_ulp = 0;                    // largest finite error; +inf if a mismatch
  float worst_x = 0;                     // input with the largest error
  float worst_y = 0;                     // kernel output there
  long double worst_ref = 0;             // reference value there
  std::uint64_t above1 = 0;              // errors > 1 ULP
  std::uint64_t above2 = 0;              // errors > 2 ULP
  std::uint64_t nonfinite_mismatch = 0;  // NaN / inf disagreements
  // The largest error among the finite ones (= max_ulp when there is no
  // mismatch), for implementations with other NaN/inf conventions (oneDNN).
  // Screened sweeps give it to within kScreenEps ULP once max_ulp is inf.
  double max_finite_ulp = 0;
  float worst_finite_x = 0;
  // Screening (pointwise sweeps; see above). exact_evals: inputs judged
  // against the long double reference (= count when not screened).
  bool screened = false;                 // the double screen decided the rest
  bool screen_fallback = false;          // screen_dev > kScreenEps: rerun exactly
  std::uint64_t exact_evals = 0;
  double screen_dev = 0;                 // max |r_double - r_long_double| in float ULPs at r
  float screen_dev_x = 0;                // input where it happened
  double frac_above1() const { return count ? double(above1) / double(count) : 0; }
  double frac_above2() const { return count ? double(above2) / double(count) : 0; }
};

// Adds one comparison to `s` (x is the input reported as worst_x).
void ulp_record(UlpStats& s, float x, float y, long double r);
// Combines two partial results (deterministic: ties keep the smaller x bits).
void ulp_merge(UlpStats& into, const UlpStats& from);

// True when `s` meets a contract of `ulp` ULP: no non-finite mismatch and
// max_ulp <= max(ulp, 0.5).
bool meets_contract(const UlpStats& s, int ulp);

// The screen's bound on |r_double - r_long_double| in float ULPs at r.
inline constexpr double kScreenEps = 1e-3;

// How the double screen may be used for one entry and direction (the
// measured reasons are in ulp.cpp, next to the table).
struct ScreenRule {
  bool exact = false;         // never screen: long double everywhere
  double zone_below = 0;      // cancellation zone: |r_double| < zone_below ...
  double zone_x = 0;          // ... and |x * zone_scale| < zone_x: long double there
  double zone_scale = 1;
};
ScreenRule screen_rule(Act a, const Params& p, bool backward);

struct SweepOptions {
  std::uint64_t step = 1;  // every step-th bit pattern (>= 1)
  bool backward = false;   // f'(x) with dy = 1 instead of f(x)
  int threads = 0;         // 0: act::num_threads()
  // Rowwise entries: rows sampled, random seed.
  std::uint64_t rows = 4000;
  std::uint64_t seed = 12345;
  // Pointwise: screen with the double reference (false: long double for
  // every input, `actlab ulp --exact`).
  bool screen = true;
  // Testing only: the double screen value is multiplied by (1 + screen_skew),
  // to show that a wrong screen is detected and the sweep redone exactly.
  double screen_skew = 0;
  // Called with the fraction done (0..1), from one thread at a time.
  std::function<void(double)> progress;
  // Pointwise only: another implementation to measure in place of actlab's
  // kernels, e.g. oneDNN's (`actlab ulp --impl onednn`): writes f(x), or
  // f'(x) (backward with dy = 1) when `backward`, for n inputs. Called from
  // several threads at once.
  std::function<void(const float* x, float* out, std::size_t n, bool backward)> impl;
};

// Pointwise: bit-pattern sweep; rowwise: sampled rows. Uses whatever SIMD
// target the kernels currently dispatch to (see force_target).
UlpStats ulp_sweep(Act a, const Params& p, const SweepOptions& o);

}  // namespace actlab::act
