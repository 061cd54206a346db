#include "actlab/nn/loss.hpp"

#include <cmath>
#include <string>

#include "actlab/core/error.hpp"

namespace actlab::nn {

double softmax_cross_entropy(const Tensor& logits, const std::int32_t* labels, Tensor* dlogits,
                             std::size_t* correct) {
  const std::int64_t n = logits.rows(), k = logits.cols();
  if (dlogits) dlogits->resize(logits.shape);
  double total = 0;
  std::size_t ok = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const float* z = logits.data() + i * k;
    const std::int32_t y = labels[i];
    if (y < 0 || y >= k)
      throw DataError("label " + std::to_string(y) + " of row " + std::to_string(i) +
                      " is outside [0, " + std::to_string(k) + "): the data set and the model's "
                      "class count disagree");
    float mx = z[0];
    std::int64_t arg = 0;
    bool nan = false;
    for (std::int64_t j = 0; j < k; ++j) {
      if (z[j] != z[j]) nan = true;
      if (z[j] > mx) { mx = z[j]; arg = j; }
    }
    double se = 0;
    for (std::int64_t j = 0; j < k; ++j) se += std::exp(static_cast<double>(z[j]) - mx);
    const double lse = mx + std::log(se);
    total += nan ? NAN : lse - z[y];
    if (arg == y && !nan) ++ok;
    if (dlogits) {
      float* d = dlogits->data() + i * k;
      const double inv = 1.0 / static_cast<double>(n);
      for (std::int64_t j = 0; j < k; ++j) {
        const double p = std::exp(static_cast<double>(z[j]) - lse);
        d[j] = static_cast<float>((p - (j == y ? 1.0 : 0.0)) * inv);
      }
    }
  }
  if (correct) *correct = ok;
  return n ? total / static_cast<double>(n) : 0.0;
}

double bce_with_logits(const Tensor& logits, const float* t, Tensor* dlogits) {
  const std::size_t n = logits.size();
  if (dlogits) dlogits->resize(logits.shape);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double z = logits.v[i];
    total += std::max(z, 0.0) - z * t[i] + std::log1p(std::exp(-std::fabs(z)));
    if (dlogits) {
      // sigmoid without overflow: exp of a non-positive number only.
      const double e = std::exp(-std::fabs(z));
      const double s = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      dlogits->v[i] = static_cast<float>((s - t[i]) / static_cast<double>(n));
    }
  }
  return n ? total / static_cast<double>(n) : 0.0;
}

double mse(const Tensor& pred, const float* t, Tensor* dpred) {
  const std::size_t n = pred.size();
  if (dpred) dpred->resize(pred.shape);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(pred.v[i]) - t[i];
    total += d * d;
    if (dpred) dpred->v[i] = static_cast<float>(2 * d / static_cast<double>(n));
  }
  return n ? total / static_cast<double>(n) : 0.0;
}

}  // namespace actlab::nn
