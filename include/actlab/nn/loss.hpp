// Output heads: loss and its gradient w.r.t. the logits in one fused, stable
// pass. All losses are means (over rows for cross-entropy, over all values
// for BCE/MSE), matching PyTorch's default reduction="mean".
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

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

// ---------------------------------------------------------------------------
// The model's output head: what its output units mean and which loss trains
// them. The one list; enum, names, parsing and the count derive from it.
// For K classes the model has U output units (head_units): U = K, except
// that the sigmoid heads with K = 2 have ONE unit, p = sigmoid(z) = P(class 1).
// t is the target: onehot(y) over the K units, or the 0/1 label itself for
// one unit. Losses (all means, PyTorch's reduction="mean"):
//   softmax_ce   mean_i [logsumexp(z_i) - z_i[y_i]]         (mean over N rows)
//   sigmoid_bce  mean over N*U values of BCE(sigmoid(z), t)  = F.binary_cross_
//                entropy_with_logits(z, t); computed as max(z,0) - z t +
//                log1p(exp(-|z|))
//   sigmoid_mse  mean over N*U values of (sigmoid(z) - t)^2  = F.mse_loss(
//                torch.sigmoid(z), t)
//   softmax_mse  mean over N*K values of (softmax(z) - t)^2  = F.mse_loss(
//                softmax(z, 1), t); softmax with the row maximum subtracted
// Prediction: the arg-max of the logits (the first on ties) for U = K, i.e.
// the arg-max of the head's probabilities; z > 0 (p > 0.5) for one unit.
#define ACTLAB_HEADS(X)                                                             \
  X(softmax_ce, "softmax + cross-entropy over K logits")                            \
  X(sigmoid_bce, "one-vs-rest sigmoids + binary cross-entropy (2 classes: 1 unit)") \
  X(sigmoid_mse, "one-vs-rest sigmoids + mean squared error (2 classes: 1 unit)")   \
  X(softmax_mse, "softmax + mean squared error against the one-hot target")

enum class Head {
#define ACTLAB_HEAD_ENUM(name, desc) name,
  ACTLAB_HEADS(ACTLAB_HEAD_ENUM)
#undef ACTLAB_HEAD_ENUM
};

#define ACTLAB_HEAD_ONE(name, desc) +1
inline constexpr std::size_t kNumHeads = 0 ACTLAB_HEADS(ACTLAB_HEAD_ONE);
#undef ACTLAB_HEAD_ONE

const char* head_text(Head h);         // "sigmoid_bce"
const char* head_description(Head h);  // the list's one-line description
std::string head_names();              // "softmax_ce, sigmoid_bce, sigmoid_mse, softmax_mse"
// Throws UsageError "--head 'x': unknown output head; choose one of ...".
Head parse_head(const std::string& s);

// Output units of a model with this head for `classes` (>= 2) classes.
std::int64_t head_units(Head h, int classes);

// Expected calibration error over kBins = 15 equal-width confidence bins
// (Guo et al. 2017, "On calibration of modern neural networks"):
//   ECE = sum_b (n_b / n) |acc_b - conf_b|
// where bin b (0-based) holds the rows whose top-label confidence lies in
// (b/15, (b+1)/15] (confidence 0 falls in bin 0), n_b is their count, acc_b
// the fraction of them predicted correctly and conf_b their mean confidence.
// The top-label confidence is the head's probability of the predicted class:
// the largest softmax probability (softmax heads), max(p, 1 - p) for one
// sigmoid unit, the largest of the K one-vs-rest sigmoids (which need not sum
// to 1). Accumulates over batches; ece() is 0 with no rows and NaN once any
// confidence was NaN.
struct Calibration {
  static constexpr int kBins = 15;
  std::array<std::size_t, kBins> count{};
  std::array<double, kBins> conf_sum{}, correct{};
  std::size_t rows = 0;
  bool nan = false;

  void add(double confidence, bool is_correct);
  double ece() const;
};

// Predicted class and top-label confidence (as above) of one row of U logits.
struct TopLabel {
  std::int32_t cls = 0;
  double conf = 0;
};
TopLabel top_label(Head h, const float* z, std::int64_t units);

// The one loss the engine trains and evaluates with: `logits` is [N, U],
// labels in [0, K) (K = U, or 2 for one unit; outside: DataError). Returns
// the mean loss; fills dlogits (if not null) with dL/dz, `correct` (if not
// null) with the number of rows predicted correctly, and adds every row to
// `cal` (if not null). softmax_ce is softmax_cross_entropy, bit for bit.
double head_loss(Head h, const Tensor& logits, const std::int32_t* labels, Tensor* dlogits,
                 std::size_t* correct = nullptr, Calibration* cal = nullptr);

// Class probabilities [N, K] of the head: softmax (max subtracted) for the
// softmax heads; the K sigmoids for one-vs-rest; (1 - p, p) for one unit.
// The row maximum is the top-label confidence; its arg-max the prediction
// (up to ties from rounding saturated probabilities: top_label decides on
// the logits).
void head_probs(Head h, const Tensor& logits, Tensor& probs);

}  // namespace actlab::nn
