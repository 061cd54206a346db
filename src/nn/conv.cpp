// Conv2D on oneDNN primitives; bias in the primitive, activation in one pass
// over the output, as Dense.
#include "actlab/act/kernels.hpp"
#include "actlab/core/error.hpp"
#include "actlab/nn/layer.hpp"
#include "src/nn/dnnl_ops.hpp"

namespace actlab::nn {

Conv2D::Conv2D(std::int64_t in_c, std::int64_t out_c, std::int64_t k, std::int64_t stride,
               std::int64_t pad, ActSpec a)
    : W({out_c, in_c, k, k}), b({out_c}), dW({out_c, in_c, k, k}), db({out_c}), c_(in_c),
      o_(out_c), k_(k), s_(stride), p_(pad), a_(a) {
  init_act = a;
}

Shape Conv2D::out_shape(const Shape& in) const {
  if (in.size() != 3 || in[0] != c_)
    throw UsageError("conv2d expects [" + std::to_string(c_) + ", H, W] images per sample, got " +
                     shape_text(in) + "; use an image data set (fashion-mnist) for --model cnn");
  const std::int64_t oh = (in[1] + 2 * p_ - k_) / s_ + 1, ow = (in[2] + 2 * p_ - k_) / s_ + 1;
  if (oh < 1 || ow < 1)
    throw UsageError("conv2d: a " + std::to_string(k_) + "x" + std::to_string(k_) +
                     " kernel does not fit an input of " + shape_text(in));
  return {o_, oh, ow};
}

void Conv2D::init(InitKind k, Rng& rng) {
  init_weights(W.data(), W.size(), c_ * k_ * k_, o_ * k_ * k_, k, init_act.act, init_act.params, rng);
  init_bias(b.data(), b.size(), static_cast<std::size_t>(c_ * k_ * k_), k, rng);
}

std::vector<Param> Conv2D::params() { return {{"W", &W, &dW, true}, {"b", &b, &db, false}}; }

static dnn::ConvShape shape_of(const Tensor& x, std::int64_t o, std::int64_t k, std::int64_t s,
                               std::int64_t p) {
  return {x.dim(0), x.dim(1), x.dim(2), x.dim(3), o, k, k, s, s, p, p};
}

const Tensor& Conv2D::forward(const Tensor& x, const Ctx&) {
  x_ = &x;
  const auto cs = shape_of(x, o_, k_, s_, p_);
  z_.resize({cs.n, o_, cs.oh(), cs.ow()});
  dnn::conv_forward(cs, x.data(), W.data(), b.data(), z_.data());
  if (a_.act == act::Act::identity) return z_;
  y_.resize(z_.shape);
  act::forward_rows(a_.act, a_.params, z_.data(), y_.data(), z_.rows(), z_.cols());
  return y_;
}

const Tensor* Conv2D::backward(const Tensor& dy, bool need_dx) {
  const Tensor* dz = &dy;
  if (a_.act != act::Act::identity) {
    dz_.resize(z_.shape);
    act::backward_rows(a_.act, a_.params, z_.data(), y_.data(), dy.data(), dz_.data(), z_.rows(),
                       z_.cols());
    dz = &dz_;
  }
  gp_ = dz;
  const auto cs = shape_of(*x_, o_, k_, s_, p_);
  dnn::conv_backward_weights(cs, x_->data(), dz->data(), dW.data(), db.data());
  if (!need_dx) return nullptr;
  dx_.resize(x_->shape);
  dnn::conv_backward_data(cs, W.data(), dz->data(), dx_.data());
  return &dx_;
}

Probe Conv2D::probe() const {
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
