// Decision boundaries on the 2-D synthetic sets: one small MLP per
// activation, trained by lab::run_one, then evaluated (its `inspect` hook)
// on a grid over the (standardised) input plane. identity gives a linear
// boundary; step cannot move its hidden layers (zero gradient), so only the
// output layer learns on random half-planes; relu/tanh/gelu bend the
// boundary around the data.
#pragma once

#include <string>
#include <vector>

#include "actlab/lab/experiment.hpp"
#include "actlab/lab/run.hpp"

namespace actlab::lab {

struct BoundaryConfig {
  std::vector<nn::ActSpec> acts;
  RunSpec run;    // every setting but the activation; data must be a 2-D set
  int grid = 160;  // grid cells per axis
  std::string out = "actlab-boundary";
};

struct BoundaryResult {
  std::string act;
  RunRecord run;
  int nx = 0, ny = 0;
  double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
  std::vector<int> cls;  // predicted class per grid cell, row-major (y slow)
};

std::vector<nn::ActSpec> default_boundary_acts();

// Throws UsageError when the data set is not 2-D.
std::vector<BoundaryResult> run_boundary(const BoundaryConfig& c, const data::Split& split);

// boundary.json, boundary.png, boundary.svg in c.out; returns the paths.
std::vector<std::string> write_boundary(const BoundaryConfig& c, const data::Split& split,
                                        const std::vector<BoundaryResult>& rs);

}  // namespace actlab::lab
