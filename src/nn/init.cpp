#include "actlab/nn/init.hpp"

#include <algorithm>
#include <cmath>

#include "actlab/act/reference.hpp"
#include "actlab/core/error.hpp"

namespace actlab::nn {

InitKind parse_init(const std::string& s) {
  if (s == "recommended" || s.empty()) return InitKind::recommended;
  if (s == "xavier_uniform" || s == "xavier") return InitKind::xavier_uniform;
  if (s == "xavier_normal") return InitKind::xavier_normal;
  if (s == "he" || s == "kaiming") return InitKind::he;
  if (s == "lecun") return InitKind::lecun;
  if (s == "auto") return InitKind::auto_gain;
  if (s == "torch") return InitKind::torch;
  throw UsageError("--init: unknown initializer '" + s +
                   "'; use one of recommended, xavier_uniform, xavier_normal, he, lecun, auto, torch");
}

const char* init_text(InitKind k) {
  switch (k) {
    case InitKind::recommended: return "recommended";
    case InitKind::xavier_uniform: return "xavier_uniform";
    case InitKind::xavier_normal: return "xavier_normal";
    case InitKind::he: return "he";
    case InitKind::lecun: return "lecun";
    case InitKind::auto_gain: return "auto";
    case InitKind::torch: return "torch";
  }
  return "?";
}

InitKind recommended_init(act::Act a) {
  switch (act::info(a).init) {
    case act::Init::he: return InitKind::he;
    case act::Init::lecun: return InitKind::lecun;
    case act::Init::xavier: return InitKind::xavier_uniform;
  }
  return InitKind::xavier_uniform;
}

double auto_gain(act::Act a, const act::Params& p) {
  if (act::is_rowwise(a)) return 1.0;
  // Simpson's rule for E[f(z)^2] = int f(z)^2 phi(z) dz; the tails beyond
  // |z| = 12 weigh < 1e-32 for any f growing at most polynomially.
  const int n = 4000;  // even
  const long double lo = -12, hi = 12, h = (hi - lo) / n;
  long double sum = 0;
  for (int i = 0; i <= n; ++i) {
    const long double z = lo + h * i;
    const long double f = act::ref::forward(a, p, z);
    const long double w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
    sum += w * f * f * std::exp(-z * z / 2);
  }
  const long double m2 = sum * h / 3 / std::sqrt(2 * 3.14159265358979323846L);
  if (!(m2 > 1e-12L) || !std::isfinite(static_cast<double>(m2))) return 1.0;
  return static_cast<double>(1 / std::sqrt(m2));
}

void init_weights(float* w, std::size_t n, std::size_t fan_in, std::size_t fan_out, InitKind kind,
                  act::Act a, const act::Params& p, Rng& rng) {
  if (kind == InitKind::recommended) kind = recommended_init(a);
  const double fi = static_cast<double>(fan_in), fo = static_cast<double>(fan_out);
  if (kind == InitKind::xavier_uniform || kind == InitKind::torch) {
    const double lim = kind == InitKind::torch ? 1.0 / std::sqrt(fi) : std::sqrt(6.0 / (fi + fo));
    for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>((2 * rng.uniform() - 1) * lim);
    return;
  }
  double sd = 1;
  switch (kind) {
    case InitKind::xavier_normal: sd = std::sqrt(2.0 / (fi + fo)); break;
    case InitKind::he: sd = std::sqrt(2.0 / fi); break;
    case InitKind::lecun: sd = std::sqrt(1.0 / fi); break;
    case InitKind::auto_gain: sd = auto_gain(a, p) / std::sqrt(fi); break;
    default: break;
  }
  for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng.normal() * sd);
}

void init_bias(float* b, std::size_t n, std::size_t fan_in, InitKind kind, Rng& rng) {
  if (kind != InitKind::torch) {
    std::fill(b, b + n, 0.f);
    return;
  }
  const double lim = 1.0 / std::sqrt(static_cast<double>(fan_in));
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<float>((2 * rng.uniform() - 1) * lim);
}

}  // namespace actlab::nn
