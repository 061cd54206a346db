// Activation curves f(x) and f'(x) sampled through the fast kernels
// (act::forward / act::backward), and the two-panel figure that shows them.
// Used by `actlab plot`, `actlab docs` and the compare report.
#pragma once

#include <string>
#include <vector>

#include "actlab/act/catalogue.hpp"
#include "actlab/lab/plot.hpp"

namespace actlab::lab {

struct CurveSpec {
  act::Act act;
  act::Params params;
  std::string label;  // legend text; empty: curve_label(act, params)
};

struct Curve {
  std::vector<double> x, y, dy;
};

// Samples `points` evenly spaced x in [lo, hi]. Pointwise entries give f and
// f'. Rowwise entries (softmax family) are shown on the row [x, 0]: output 0
// of the row and its partial derivative with respect to x, so softmax's
// curve is sigmoid(x).
Curve sample_curve(act::Act a, const act::Params& p, double lo, double hi, int points);

// "elu" for default parameters, "elu(alpha=0.5)" otherwise.
std::string curve_label(act::Act a, const act::Params& p);

// Left panel f(x), right panel f'(x); one colour per activation.
Figure curves_figure(const std::vector<CurveSpec>& specs, double lo, double hi, int points = 801,
                     const std::string& title = "");

}  // namespace actlab::lab
