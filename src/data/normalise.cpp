// Standardisation with statistics of the training set only (no leakage of
// validation or test data into the preprocessing).
#include <cmath>
#include <vector>

#include "actlab/data/dataset.hpp"

namespace actlab::data {
namespace {

void apply(Dataset& d, const std::vector<double>& mean, const std::vector<double>& inv_std) {
  const std::size_t f = d.features, groups = mean.size();
  for (std::size_t r = 0; r < d.rows; ++r)
    for (std::size_t j = 0; j < f; ++j) {
      const std::size_t g = groups == 1 ? 0 : j;
      float& v = d.x[r * f + j];
      v = static_cast<float>((v - mean[g]) * inv_std[g]);
    }
}

}  // namespace

void normalise(Split& s) {
  const Dataset& t = s.train;
  if (t.rows == 0 || t.features == 0) return;
  // Images: one mean/std over all pixels (keeps the image's structure);
  // tabular: per feature. Accumulated in double: 47M pixels in float would
  // lose digits.
  const std::size_t groups = t.channels > 0 ? 1 : t.features;
  std::vector<double> sum(groups, 0.0), sq(groups, 0.0);
  for (std::size_t r = 0; r < t.rows; ++r)
    for (std::size_t j = 0; j < t.features; ++j) {
      const double v = t.x[r * t.features + j];
      sum[groups == 1 ? 0 : j] += v;
    }
  const double per = double(t.rows) * double(t.features / groups);
  std::vector<double> mean(groups), inv_std(groups);
  for (std::size_t g = 0; g < groups; ++g) mean[g] = sum[g] / per;
  // Two passes: the variance from sum of squares minus square of sums
  // cancels catastrophically for features with a large mean.
  for (std::size_t r = 0; r < t.rows; ++r)
    for (std::size_t j = 0; j < t.features; ++j) {
      const std::size_t g = groups == 1 ? 0 : j;
      const double dv = t.x[r * t.features + j] - mean[g];
      sq[g] += dv * dv;
    }
  for (std::size_t g = 0; g < groups; ++g) {
    const double sd = std::sqrt(sq[g] / per);
    // A constant feature carries no information: centre it, do not divide by 0.
    inv_std[g] = sd > 1e-12 ? 1.0 / sd : 1.0;
  }
  apply(s.train, mean, inv_std);
  apply(s.val, mean, inv_std);
  apply(s.test, mean, inv_std);
}

}  // namespace actlab::data
