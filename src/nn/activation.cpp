// Activation layer: any catalogue entry through the act kernels; PReLU with a
// learnable slope and RReLU with random training slopes handled here because
// their slopes vary per channel / per element.
#include <algorithm>

#include "actlab/act/kernels.hpp"
#include "actlab/nn/layer.hpp"
#include "actlab/nn/rng.hpp"

namespace actlab::nn {

Activation::Activation(ActSpec a, std::int64_t channels, std::uint64_t layer_id)
    : a_(a), channels_(a.act == act::Act::prelu ? std::max<std::int64_t>(channels, 0) : 0),
      id_(layer_id) {
  if (a_.act == act::Act::prelu) {
    const std::int64_t n = channels_ > 0 ? channels_ : 1;
    slope = Tensor({n}, a_.params.v[0]);
    dslope = Tensor({n}, 0.f);
  }
}

std::vector<Param> Activation::params() {
  if (a_.act != act::Act::prelu) return {};
  return {{"slope", &slope, &dslope, false}};
}

namespace {
// Channel count and inner size of x for per-channel slopes: dimension 1 is
// the channel, everything after it the inner extent.
std::int64_t inner_of(const Tensor& x) {
  std::int64_t in = 1;
  for (std::size_t i = 2; i < x.ndim(); ++i) in *= x.dim(i);
  return in;
}
}  // namespace

const Tensor& Activation::forward(const Tensor& x, const Ctx& ctx) {
  x_ = &x;
  y_.resize(x.shape);
  const float* xp = x.data();
  float* yp = y_.data();
  const std::size_t n = x.size();
  rrelu_train_ = false;
  if (a_.act == act::Act::prelu) {
    const std::int64_t nb = x.rows(), c = x.ndim() > 1 ? x.dim(1) : 1, in = inner_of(x);
    for (std::int64_t i = 0; i < nb; ++i)
      for (std::int64_t k = 0; k < c; ++k) {
        const float a = slope.v[channels_ > 0 ? k : 0];
        const std::size_t o = static_cast<std::size_t>((i * c + k) * in);
        for (std::int64_t j = 0; j < in; ++j) yp[o + j] = xp[o + j] > 0 ? xp[o + j] : a * xp[o + j];
      }
    return y_;
  }
  if (a_.act == act::Act::rrelu && ctx.train) {
    rrelu_train_ = true;
    r_.resize(x.shape);
    const float lo = a_.params.v[0], hi = a_.params.v[1];
    for (std::size_t i = 0; i < n; ++i) {
      const float r = lo + (hi - lo) * u01(hash_u64(ctx.seed, ctx.step, id_, i));
      r_.v[i] = r;
      yp[i] = xp[i] >= 0 ? xp[i] : r * xp[i];
    }
    return y_;
  }
  act::forward_rows(a_.act, a_.params, xp, yp, x.rows(), x.cols());
  return y_;
}

const Tensor* Activation::backward(const Tensor& dy, bool) {
  // dx is always computed: it is dL/d(pre-activation), which the probes read.
  const Tensor& x = *x_;
  dx_.resize(x.shape);
  const float* xp = x.data();
  const float* g = dy.data();
  float* d = dx_.data();
  const std::size_t n = x.size();
  if (a_.act == act::Act::prelu) {
    dslope.zero();
    const std::int64_t nb = x.rows(), c = x.ndim() > 1 ? x.dim(1) : 1, in = inner_of(x);
    for (std::int64_t i = 0; i < nb; ++i)
      for (std::int64_t k = 0; k < c; ++k) {
        const std::size_t ch = channels_ > 0 ? static_cast<std::size_t>(k) : 0;
        const float a = slope.v[ch];
        const std::size_t o = static_cast<std::size_t>((i * c + k) * in);
        double s = 0;
        for (std::int64_t j = 0; j < in; ++j) {
          const float xv = xp[o + j];
          d[o + j] = xv > 0 ? g[o + j] : a * g[o + j];
          if (!(xv > 0)) s += static_cast<double>(xv) * g[o + j];
        }
        dslope.v[ch] += static_cast<float>(s);
      }
    return &dx_;
  }
  if (rrelu_train_) {
    for (std::size_t i = 0; i < n; ++i) d[i] = xp[i] >= 0 ? g[i] : r_.v[i] * g[i];
    return &dx_;
  }
  act::backward_rows(a_.act, a_.params, xp, y_.data(), g, d, x.rows(), x.cols());
  return &dx_;
}

Probe Activation::probe() const {
  Probe p{kind()};
  p.has_act = true;
  p.act = a_.act;
  p.params = a_.params;
  if (a_.act == act::Act::prelu && slope.size() == 1) p.params.v[0] = slope.v[0];
  p.pre = x_;
  p.post = &y_;
  p.grad_pre = &dx_;
  if (a_.act == act::Act::prelu) p.slope = &slope;
  return p;
}

}  // namespace actlab::nn
