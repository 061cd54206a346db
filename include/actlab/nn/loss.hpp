// Output heads: loss and its gradient w.r.t. the logits in one fused, stable
// pass. All losses are means (over rows, or over all values for BCE/MSE),
// matching PyTorch's default reduction="mean".
#pragma once

#include <cstddef>
#include <cstdint>

#include "actlab/nn/tensor.hpp"

namespace actlab::nn {

// Softmax + cross-entropy on [N, K] logits with integer labels in [0, K):
// loss = mean_i (logsumexp(z_i) - z_i[y_i]) with the row maximum subtracted
// first; dlogits = (softmax(z) - onehot(y)) / N. `correct` (optional) gets the
// number of rows whose arg-max equals the label. Labels outside [0, K) throw
// DataError. dlogits may be null (evaluation).
double softmax_cross_entropy(const Tensor& logits, const std::int32_t* labels, Tensor* dlogits,
                             std::size_t* correct = nullptr);

// Sigmoid + binary cross-entropy with logits, targets in [0, 1]:
// l = max(z, 0) - z t + log1p(exp(-|z|)) (never exp of a large positive);
// dz = (sigmoid(z) - t) / count.
double bce_with_logits(const Tensor& logits, const float* targets, Tensor* dlogits);

// Mean squared error: mean (p - t)^2; dp = 2 (p - t) / count.
double mse(const Tensor& pred, const float* targets, Tensor* dpred);

}  // namespace actlab::nn
