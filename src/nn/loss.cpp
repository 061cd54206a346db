#include "actlab/nn/loss.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "actlab/core/error.hpp"

namespace actlab::nn {
namespace {

// sigmoid without overflow: exp of a non-positive number only.
double sigmoid(double z) {
  const double e = std::exp(-std::fabs(z));
  return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

void check_label(std::int32_t y, std::int64_t row, std::int64_t k) {
  if (y < 0 || y >= k)
    throw DataError("label " + std::to_string(y) + " of row " + std::to_string(row) +
                    " is outside [0, " + std::to_string(k) + "): the data set and the model's "
                    "class count disagree");
}

}  // namespace

double softmax_cross_entropy(const Tensor& logits, const std::int32_t* labels, Tensor* dlogits,
                             std::size_t* correct) {
  const std::int64_t n = logits.rows(), k = logits.cols();
  if (dlogits) dlogits->resize(logits.shape);
  double total = 0;
  std::size_t ok = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const float* z = logits.data() + i * k;
    const std::int32_t y = labels[i];
    check_label(y, i, k);
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
    if (dlogits) dlogits->v[i] = static_cast<float>((sigmoid(z) - t[i]) / static_cast<double>(n));
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

// ---------------------------------------------------------------------------
// Output heads.

namespace {

struct HeadRow {
  const char* name;
  const char* desc;
};
constexpr HeadRow kHeads[] = {
#define ACTLAB_HEAD_ROW(name, desc) {#name, desc},
    ACTLAB_HEADS(ACTLAB_HEAD_ROW)
#undef ACTLAB_HEAD_ROW
};
static_assert(sizeof kHeads / sizeof kHeads[0] == kNumHeads);

bool is_softmax(Head h) { return h == Head::softmax_ce || h == Head::softmax_mse; }

}  // namespace

const char* head_text(Head h) { return kHeads[static_cast<std::size_t>(h)].name; }
const char* head_description(Head h) { return kHeads[static_cast<std::size_t>(h)].desc; }

std::string head_names() {
  std::string s;
  for (std::size_t i = 0; i < kNumHeads; ++i) s += (i ? ", " : "") + std::string(kHeads[i].name);
  return s;
}

Head parse_head(const std::string& s) {
  for (std::size_t i = 0; i < kNumHeads; ++i)
    if (s == kHeads[i].name) return static_cast<Head>(i);
  throw UsageError("--head '" + s + "': unknown output head; choose one of " + head_names());
}

std::int64_t head_units(Head h, int classes) {
  return !is_softmax(h) && classes == 2 ? 1 : classes;
}

void Calibration::add(double conf, bool is_correct) {
  ++rows;
  if (conf != conf) {
    nan = true;
    return;
  }
  // Bin b holds (b/15, (b+1)/15]; 0 goes to bin 0.
  const int b = std::clamp(static_cast<int>(std::ceil(conf * kBins)) - 1, 0, kBins - 1);
  ++count[b];
  conf_sum[b] += conf;
  correct[b] += is_correct ? 1.0 : 0.0;
}

double Calibration::ece() const {
  if (nan) return NAN;
  if (rows == 0) return 0;
  // sum_b (n_b / n) |correct_b / n_b - conf_sum_b / n_b| = sum_b |correct_b - conf_sum_b| / n
  double s = 0;
  for (int b = 0; b < kBins; ++b) s += std::fabs(correct[b] - conf_sum[b]);
  return s / static_cast<double>(rows);
}

TopLabel top_label(Head h, const float* z, std::int64_t units) {
  TopLabel t;
  if (units == 1) {
    const double v = z[0];
    t.cls = v != v ? -1 : (v > 0 ? 1 : 0);
    t.conf = sigmoid(std::fabs(v));  // max(p, 1 - p)
    return t;
  }
  float mx = z[0];
  std::int64_t arg = 0;
  bool nan = false;
  for (std::int64_t j = 0; j < units; ++j) {
    if (z[j] != z[j]) nan = true;
    if (z[j] > mx) mx = z[j], arg = j;
  }
  t.cls = nan ? -1 : static_cast<std::int32_t>(arg);
  if (nan) {
    t.conf = NAN;
  } else if (is_softmax(h)) {
    double se = 0;  // max softmax probability = 1 / sum_j exp(z_j - max)
    for (std::int64_t j = 0; j < units; ++j) se += std::exp(static_cast<double>(z[j]) - mx);
    t.conf = 1.0 / se;
  } else {
    t.conf = sigmoid(mx);
  }
  return t;
}

double head_loss(Head h, const Tensor& logits, const std::int32_t* labels, Tensor* dlogits,
                 std::size_t* correct, Calibration* cal) {
  const std::int64_t n = logits.rows(), u = logits.cols();
  // Accuracy and calibration from top_label (softmax_ce keeps the count of
  // softmax_cross_entropy, which is the same arg-max).
  const auto tally = [&](bool count_correct) {
    std::size_t ok = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const TopLabel t = top_label(h, logits.data() + i * u, u);
      ok += t.cls == labels[i];
      if (cal) cal->add(t.conf, t.cls == labels[i]);
    }
    if (correct && count_correct) *correct = ok;
  };
  if (h == Head::softmax_ce) {
    const double loss = softmax_cross_entropy(logits, labels, dlogits, correct);
    if (cal) tally(false);
    return loss;
  }
  if (is_softmax(h) && u == 1 && n > 0)
    throw DataError(std::string("head ") + head_text(h) + " needs >= 2 logits per row, got 1");
  if (dlogits) dlogits->resize(logits.shape);
  if (n == 0) {
    if (correct) *correct = 0;
    return 0.0;
  }
  const std::int64_t k = u == 1 ? 2 : u;
  for (std::int64_t i = 0; i < n; ++i) check_label(labels[i], i, k);
  const double count = static_cast<double>(n * u);
  double total = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const float* z = logits.data() + i * u;
    float* d = dlogits ? dlogits->data() + i * u : nullptr;
    const std::int32_t y = labels[i];
    const auto target = [&](std::int64_t j) {
      return u == 1 ? static_cast<double>(y) : (j == y ? 1.0 : 0.0);
    };
    if (h == Head::sigmoid_bce) {
      for (std::int64_t j = 0; j < u; ++j) {
        const double v = z[j], t = target(j);
        total += std::max(v, 0.0) - v * t + std::log1p(std::exp(-std::fabs(v)));
        if (d) d[j] = static_cast<float>((sigmoid(v) - t) / count);
      }
    } else if (h == Head::sigmoid_mse) {
      for (std::int64_t j = 0; j < u; ++j) {
        const double s = sigmoid(z[j]), e = s - target(j);
        total += e * e;
        if (d) d[j] = static_cast<float>(2 * e * s * (1 - s) / count);
      }
    } else {  // softmax_mse
      float mx = z[0];
      for (std::int64_t j = 0; j < u; ++j) mx = std::max(mx, z[j]);
      double se = 0;
      for (std::int64_t j = 0; j < u; ++j) se += std::exp(static_cast<double>(z[j]) - mx);
      // dL/dz_i = p_i (g_i - sum_j g_j p_j), g_j = dL/dp_j = 2 (p_j - t_j) / count.
      double gp = 0;
      for (std::int64_t j = 0; j < u; ++j) {
        const double p = std::exp(static_cast<double>(z[j]) - mx) / se, e = p - target(j);
        total += e * e;
        gp += 2 * e / count * p;
      }
      if (d)
        for (std::int64_t j = 0; j < u; ++j) {
          const double p = std::exp(static_cast<double>(z[j]) - mx) / se;
          d[j] = static_cast<float>(p * (2 * (p - target(j)) / count - gp));
        }
    }
  }
  tally(true);
  return total / count;
}

void head_probs(Head h, const Tensor& logits, Tensor& probs) {
  const std::int64_t n = logits.rows(), u = logits.cols(), k = u == 1 ? 2 : u;
  probs.resize({n, k});
  for (std::int64_t i = 0; i < n; ++i) {
    const float* z = logits.data() + i * u;
    float* p = probs.data() + i * k;
    if (u == 1) {
      p[0] = static_cast<float>(sigmoid(-static_cast<double>(z[0])));
      p[1] = static_cast<float>(sigmoid(z[0]));
    } else if (is_softmax(h)) {
      float mx = z[0];
      for (std::int64_t j = 0; j < u; ++j) mx = std::max(mx, z[j]);
      double se = 0;
      for (std::int64_t j = 0; j < u; ++j) se += std::exp(static_cast<double>(z[j]) - mx);
      for (std::int64_t j = 0; j < u; ++j)
        p[j] = static_cast<float>(std::exp(static_cast<double>(z[j]) - mx) / se);
    } else {
      for (std::int64_t j = 0; j < u; ++j) p[j] = static_cast<float>(sigmoid(z[j]));
    }
  }
}

}  // namespace actlab::nn
