#include "actlab/lab/probes.hpp"

#include <algorithm>
#include <cmath>

#include "actlab/act/kernels.hpp"

namespace actlab::lab {
namespace {

void moments(const float* v, std::size_t n, double& mean, double& stdev) {
  // Two passes: the one-pass formula cancels badly for large means.
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += v[i];
  mean = n ? s / double(n) : 0;
  double q = 0;
  for (std::size_t i = 0; i < n; ++i) q += (v[i] - mean) * (v[i] - mean);
  stdev = n ? std::sqrt(q / double(n)) : 0;
}

std::vector<double> histogram(const float* v, std::size_t n) {
  std::vector<double> h(kHistBins, 0.0);
  if (!n) return h;
  const double w = (kHistHi - kHistLo) / kHistBins;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(v[i])) continue;
    // Values outside the range land in the edge bins so mass is not lost.
    const int b = std::clamp(int(std::floor((v[i] - kHistLo) / w)), 0, kHistBins - 1);
    h[b] += 1;
  }
  for (auto& c : h) c /= double(n);
  return h;
}

}  // namespace

double l2_norm(const float* v, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += double(v[i]) * double(v[i]);
  return std::sqrt(s);
}

void probe_activation(act::Act a, const act::Params& p, const float* z, const float* post,
                      std::size_t batch, std::size_t units, LayerStats& s, double eps) {
  const std::size_t n = batch * units;
  s.units = units;
  s.act = act::name(a);
  moments(z, n, s.pre_mean, s.pre_std);
  moments(post, n, s.post_mean, s.post_std);
  s.pre_hist = histogram(z, n);
  s.post_hist = histogram(post, n);
  std::vector<float> d;
  const bool rowwise = act::is_rowwise(a);
  if (!rowwise) {
    d.resize(n);
    std::vector<float> ones(n, 1.f);
    act::backward(a, p, z, post, ones.data(), d.data(), n);
  }
  std::size_t dead = 0, saturated = 0;
  for (std::size_t u = 0; u < units; ++u) {
    bool out_zero = true, grad_zero = !rowwise;
    for (std::size_t b = 0; b < batch; ++b) {
      const std::size_t i = b * units + u;
      out_zero = out_zero && post[i] == 0.f;
      if (!rowwise) {
        grad_zero = grad_zero && d[i] == 0.f;
        saturated += std::fabs(d[i]) < eps;
      }
    }
    dead += (batch > 0) && (out_zero || grad_zero);
  }
  s.dead_fraction = units ? double(dead) / double(units) : 0;
  s.saturation_fraction = (n && !rowwise) ? double(saturated) / double(n) : 0;
}

LayerStats probe_layer(const std::string& name, act::Act a, const act::Params& p, const float* z,
                       const float* post, const float* dz, const float* dw, std::size_t dw_size,
                       std::size_t batch, std::size_t units, double eps) {
  LayerStats s;
  s.name = name;
  probe_activation(a, p, z, post, batch, units, s, eps);
  s.preact_grad_norm = dz ? l2_norm(dz, batch * units) : 0;
  s.weight_grad_norm = dw ? l2_norm(dw, dw_size) : 0;
  return s;
}

}  // namespace actlab::lab
