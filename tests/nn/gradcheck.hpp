// Finite-difference gradient checks for the layer tests.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "actlab/nn/layer.hpp"
#include "actlab/nn/rng.hpp"

namespace actlab::nn::test {

inline Tensor random_tensor(Shape s, std::uint64_t seed, float scale = 1.f) {
  Tensor t(std::move(s));
  Rng r(seed);
  for (auto& v : t.v) v = static_cast<float>(r.normal()) * scale;
  return t;
}

// Compares the analytic gradient g[0..n) of loss() w.r.t. p[0..n) with
// central differences at up to `checks` indices spread over the tensor.
// Tolerance: forward passes run in float32, so a central difference with step
// eps carries a rounding error of about u * |loss| / eps (u = 6e-8) on top of
// the O(eps^2) truncation error; eps = 1e-2 with atol 2e-3 + rtol 1e-2 bounds
// both for the O(1) losses used here, while a wrong gradient (a missing
// factor, a transposed index) is off by far more.
inline void check_grad(const std::string& what, float* p, const std::vector<float>& g,
                       const std::function<double()>& loss, double eps = 1e-2, int checks = 30,
                       double atol = 2e-3, double rtol = 1e-2) {
  const std::size_t n = g.size();
  const std::size_t stride = std::max<std::size_t>(1, n / static_cast<std::size_t>(checks));
  int bad = 0;
  for (std::size_t i = 0; i < n; i += stride) {
    const float old = p[i];
    p[i] = static_cast<float>(old + eps);
    const double lp = loss();
    p[i] = static_cast<float>(old - eps);
    const double lm = loss();
    p[i] = old;
    const double num = (lp - lm) / (2 * eps);
    const double ana = g[i];
    if (std::fabs(num - ana) > atol + rtol * std::max(std::fabs(num), std::fabs(ana))) {
      if (++bad <= 5)
        ADD_FAILURE() << what << "[" << i << "]: analytic " << ana << " vs numeric " << num;
    }
  }
  EXPECT_EQ(bad, 0) << what;
}

// loss = sum(r * y) for a fixed random r; returns it in double.
inline double dot(const Tensor& y, const Tensor& r) {
  double s = 0;
  for (std::size_t i = 0; i < y.size(); ++i) s += static_cast<double>(y.v[i]) * r.v[i];
  return s;
}

// Checks dx and every Param of a layer for loss = sum(r * layer(x)).
inline void check_layer(const std::string& what, Layer& L, Tensor x, const Ctx& ctx,
                        std::uint64_t seed = 7, double eps = 1e-2, double atol = 2e-3,
                        double rtol = 1e-2) {
  const Tensor& y0 = L.forward(x, ctx);
  const Tensor r = random_tensor(y0.shape, seed);
  const Tensor* dx = L.backward(r, true);
  ASSERT_NE(dx, nullptr);
  const std::vector<float> gx = dx->v;
  std::vector<std::vector<float>> gp;
  auto ps = L.params();
  for (auto& p : ps) gp.push_back(p.g->v);
  auto loss = [&] { return dot(L.forward(x, ctx), r); };
  check_grad(what + " dx", x.data(), gx, loss, eps, 30, atol, rtol);
  for (std::size_t k = 0; k < ps.size(); ++k)
    check_grad(what + " d" + ps[k].name, ps[k].w->data(), gp[k], loss, eps, 30, atol, rtol);
}

}  // namespace actlab::nn::test
