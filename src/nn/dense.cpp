// Dense layer: oneDNN matmul (+ bias in the GEMM epilogue), then the
// activation in one pass over the output; backward fuses f'(z) dy with the
// bias-gradient column sums block by block.
#include <algorithm>

#include "actlab/act/kernels.hpp"
#include "actlab/core/error.hpp"
#include "actlab/nn/layer.hpp"
#include "src/nn/dnnl_ops.hpp"

namespace actlab::nn {

Dense::Dense(std::int64_t in, std::int64_t out, ActSpec a)
    : W({in, out}), b({out}), dW({in, out}), db({out}), in_(in), out_(out), a_(a) {
  init_act = a;
}

Shape Dense::out_shape(const Shape& in) const {
  if (numel(in) != static_cast<std::size_t>(in_))
    throw UsageError("dense layer expects " + std::to_string(in_) + " inputs per sample, got " +
                     shape_text(in));
  return {out_};
}

void Dense::init(InitKind k, Rng& rng) {
  init_weights(W.data(), W.size(), in_, out_, k, init_act.act, init_act.params, rng);
  init_bias(b.data(), b.size(), static_cast<std::size_t>(in_), k, rng);
}

std::vector<Param> Dense::params() { return {{"W", &W, &dW, true}, {"b", &b, &db, false}}; }

const Tensor& Dense::forward(const Tensor& x, const Ctx&) {
  x_ = &x;
  const std::int64_t m = x.rows();
  z_.resize({m, out_});
  dnn::matmul(x.data(), W.data(), b.data(), z_.data(), m, in_, out_, false, false);
  if (a_.act == act::Act::identity) return z_;
  y_.resize({m, out_});
  act::forward_rows(a_.act, a_.params, z_.data(), y_.data(), m, out_);
  return y_;
}

const Tensor* Dense::backward(const Tensor& dy, bool need_dx) {
  const std::int64_t m = dy.rows();
  const Tensor* dz = &dy;
  db.zero();
  if (a_.act != act::Act::identity) {
    dz_.resize({m, out_});
    dz = &dz_;
  }
  // Row blocks small enough to stay in cache between f'(z) dy and the sums.
  const std::int64_t blk = std::max<std::int64_t>(1, 8192 / std::max<std::int64_t>(out_, 1));
  for (std::int64_t r0 = 0; r0 < m; r0 += blk) {
    const std::int64_t r = std::min(blk, m - r0);
    const std::size_t off = static_cast<std::size_t>(r0 * out_);
    if (dz == &dz_)
      act::backward_rows(a_.act, a_.params, z_.data() + off, y_.data() + off, dy.data() + off,
                         dz_.data() + off, r, out_);
    const float* g = dz->data() + off;
    float* bb = db.data();
    for (std::int64_t i = 0; i < r; ++i)
      for (std::int64_t j = 0; j < out_; ++j) bb[j] += g[i * out_ + j];
  }
  gp_ = dz;
  dnn::matmul(x_->data(), dz->data(), nullptr, dW.data(), in_, m, out_, true, false);
  if (!need_dx) return nullptr;
  dx_.resize(x_->shape);
  dnn::matmul(dz->data(), W.data(), nullptr, dx_.data(), m, out_, in_, false, true);
  return &dx_;
}

Probe Dense::probe() const {
  Probe p{kind()};
  p.has_act = true;
  p.act = a_.act;
  p.params = a_.params;
  p.pre = &z_;
  p.post = a_.act == act::Act::identity ? &z_ : &y_;
  p.grad_pre = gp_;
  p.weight = &W;
  p.weight_grad = &dW;
  return p;
}

}  // namespace actlab::nn
