// Probes: per-layer statistics cheap enough to stay on during training.
//
// They work on the buffers a layer already has after forward and backward
// of one probe batch (row-major batch x units): the pre-activations z, the
// activations a = f(z), the gradient wrt z, and the weight gradient. No
// extra forward pass is needed, so probing costs one pass over each buffer.
//
// Definitions (docs/lab.md):
//   dead unit       a unit whose output is exactly zero on every sample of
//                   the batch, or whose derivative f'(z) is exactly zero on
//                   every sample (it then receives no gradient at all);
//   saturated entry |f'(z)| < eps (kSaturationEps by default);
//                   the fraction is over all batch x units entries;
//   gradient norms  L2 norm of the whole weight gradient and of the whole
//                   pre-activation gradient of the layer.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actlab/act/catalogue.hpp"

namespace actlab::lab {

// |f'(z)| below this counts as saturated: sigmoid reaches it at |z| ~ 6.9,
// tanh at |z| ~ 4.1 -- far in the flat tails, not merely "past the knee".
inline constexpr double kSaturationEps = 1e-3;

struct LayerStats {
  std::string name;  // e.g. "dense1"
  std::string act;   // activation name ("" for a linear output layer)
  std::size_t units = 0;
  double weight_grad_norm = 0;  // ||dL/dW||_2 (0 if no weight gradient given)
  double preact_grad_norm = 0;  // ||dL/dz||_2
  double dead_fraction = 0;     // of units (definition above)
  double saturation_fraction = 0;  // of batch x units entries
  double pre_mean = 0, pre_std = 0;    // over all entries of z
  double post_mean = 0, post_std = 0;  // over all entries of a
  double zero_fraction = 0;            // entries of a that are exactly 0 (sparsity)
  std::vector<double> prelu_slopes;    // learned PReLU slopes (empty otherwise)
  // Histograms of z and a over fixed bins (see kHistLo/kHistHi/kHistBins) for
  // the activation-distribution plots; counts normalised to fractions.
  std::vector<double> pre_hist, post_hist;
};

inline constexpr double kHistLo = -6, kHistHi = 6;
inline constexpr int kHistBins = 48;

// L2 norm, accumulated in double (float sums lose the small layers).
double l2_norm(const float* v, std::size_t n);

// Fills dead/saturation/mean/std/histograms of `s` from z and a (batch x
// units, row-major). f'(z) is computed with the activation's backward kernel
// (dy = 1), so it is exactly what training sees. Rowwise activations have no
// per-entry derivative: saturation and the derivative half of "dead" are
// skipped for them.
void probe_activation(act::Act a, const act::Params& p, const float* z, const float* post,
                      std::size_t batch, std::size_t units, LayerStats& s,
                      double eps = kSaturationEps);

// Convenience: every statistic of one layer.
LayerStats probe_layer(const std::string& name, act::Act a, const act::Params& p, const float* z,
                       const float* post, const float* dz, const float* dw, std::size_t dw_size,
                       std::size_t batch, std::size_t units, double eps = kSaturationEps);

nlohmann::json to_json(const LayerStats& s);
// Throws DataError naming the field for a malformed or impossible record
// (fractions outside [0, 1], negative norms).
LayerStats layer_stats_from_json(const nlohmann::json& j);

}  // namespace actlab::lab
