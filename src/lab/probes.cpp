#include "actlab/lab/probes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "actlab/act/kernels.hpp"
#include "actlab/core/error.hpp"
#include "src/lab/json_fields.hpp"

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

using nlohmann::json;
using namespace json_fields;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

json vec(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(num(x));
  return a;
}

std::vector<double> unvec(const json& j, const char* k) {
  std::vector<double> v;
  if (!j.contains(k)) return v;
  if (!j.at(k).is_array()) throw DataError(std::string("field '") + k + "' is not an array");
  for (auto& x : j.at(k)) {
    if (!x.is_null() && !x.is_number()) throw DataError(std::string("field '") + k + "' holds a non-number");
    v.push_back(x.is_null() ? kNaN : x.get<double>());
  }
  return v;
}

}  // namespace

json to_json(const LayerStats& s) {
  return {{"name", s.name},
          {"act", s.act},
          {"units", s.units},
          {"weight_grad_norm", num(s.weight_grad_norm)},
          {"preact_grad_norm", num(s.preact_grad_norm)},
          {"dead_fraction", num(s.dead_fraction)},
          {"saturation_fraction", num(s.saturation_fraction)},
          {"zero_fraction", num(s.zero_fraction)},
          {"pre_mean", num(s.pre_mean)},
          {"pre_std", num(s.pre_std)},
          {"post_mean", num(s.post_mean)},
          {"post_std", num(s.post_std)},
          {"prelu_slopes", vec(s.prelu_slopes)},
          {"pre_hist", vec(s.pre_hist)},
          {"post_hist", vec(s.post_hist)}};
}

LayerStats layer_stats_from_json(const json& jl) {
  if (!jl.is_object()) throw DataError("a layer record is not an object");
  LayerStats s;
  try {
    s.name = jl.at("name").get<std::string>();
    s.act = jl.at("act").get<std::string>();
    s.units = jl.at("units").get<std::size_t>();
  } catch (const json::exception& e) {
    throw DataError(std::string("layer record: ") + e.what());
  }
  s.weight_grad_norm = nonneg(jl, "weight_grad_norm");
  s.preact_grad_norm = nonneg(jl, "preact_grad_norm");
  s.dead_fraction = fraction(jl, "dead_fraction");
  s.saturation_fraction = fraction(jl, "saturation_fraction");
  s.zero_fraction = jl.contains("zero_fraction") ? fraction(jl, "zero_fraction") : kNaN;
  s.pre_mean = get(jl, "pre_mean");
  s.pre_std = nonneg(jl, "pre_std");
  s.post_mean = get(jl, "post_mean");
  s.post_std = nonneg(jl, "post_std");
  s.prelu_slopes = unvec(jl, "prelu_slopes");
  s.pre_hist = unvec(jl, "pre_hist");
  s.post_hist = unvec(jl, "post_hist");
  return s;
}

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
  std::size_t zeros = 0;
  for (std::size_t i = 0; i < n; ++i) zeros += post[i] == 0.f;
  s.zero_fraction = n ? double(zeros) / double(n) : 0;
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
