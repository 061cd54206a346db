// Pooling, flatten, dropout and residual blocks: layers with no GEMM.
#include <algorithm>
#include <limits>

#include "actlab/core/error.hpp"
#include "actlab/nn/layer.hpp"
#include "actlab/nn/rng.hpp"

namespace actlab::nn {

// ---------------------------------------------------------------- pooling
Pool2D::Pool2D(bool max, std::int64_t k, std::int64_t stride) : max_(max), k_(k), s_(stride) {}

Shape Pool2D::out_shape(const Shape& in) const {
  if (in.size() != 3 || in[1] < k_ || in[2] < k_)
    throw UsageError(kind() + ": needs [C, H, W] input of at least " + std::to_string(k_) + "x" +
                     std::to_string(k_) + ", got " + shape_text(in));
  return {in[0], (in[1] - k_) / s_ + 1, (in[2] - k_) / s_ + 1};
}

const Tensor& Pool2D::forward(const Tensor& x, const Ctx&) {
  x_ = &x;
  const std::int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
  const std::int64_t oh = (h - k_) / s_ + 1, ow = (w - k_) / s_ + 1;
  y_.resize({n, c, oh, ow});
  if (max_) arg_.resize(y_.size());
  const float* xp = x.data();
  float* yp = y_.data();
  const float inv = 1.f / static_cast<float>(k_ * k_);
  for (std::int64_t p = 0; p < n * c; ++p) {
    const float* src = xp + p * h * w;
    for (std::int64_t i = 0; i < oh; ++i)
      for (std::int64_t j = 0; j < ow; ++j) {
        const std::int64_t o = (p * oh + i) * ow + j;
        if (max_) {
          float best = -std::numeric_limits<float>::infinity();
          std::int64_t bi = (i * s_) * w + j * s_;
          bool nan = false;
          for (std::int64_t a = 0; a < k_; ++a)
            for (std::int64_t b = 0; b < k_; ++b) {
              const std::int64_t idx = (i * s_ + a) * w + j * s_ + b;
              const float v = src[idx];
              if (v != v && !nan) { nan = true; best = v; bi = idx; }  // NaN propagates
              if (!nan && v > best) { best = v; bi = idx; }
            }
          yp[o] = best;
          arg_[static_cast<std::size_t>(o)] = p * h * w + bi;
        } else {
          float s = 0;
          for (std::int64_t a = 0; a < k_; ++a)
            for (std::int64_t b = 0; b < k_; ++b) s += src[(i * s_ + a) * w + j * s_ + b];
          yp[o] = s * inv;
        }
      }
  }
  return y_;
}

const Tensor* Pool2D::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return nullptr;
  const Tensor& x = *x_;
  const std::int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
  const std::int64_t oh = dy.dim(2), ow = dy.dim(3);
  dx_.resize(x.shape);
  dx_.zero();
  float* d = dx_.data();
  const float* g = dy.data();
  if (max_) {
    for (std::size_t o = 0; o < dy.size(); ++o) d[arg_[o]] += g[o];
    return &dx_;
  }
  const float inv = 1.f / static_cast<float>(k_ * k_);
  for (std::int64_t p = 0; p < n * c; ++p)
    for (std::int64_t i = 0; i < oh; ++i)
      for (std::int64_t j = 0; j < ow; ++j) {
        const float v = g[(p * oh + i) * ow + j] * inv;
        for (std::int64_t a = 0; a < k_; ++a)
          for (std::int64_t b = 0; b < k_; ++b) d[p * h * w + (i * s_ + a) * w + j * s_ + b] += v;
      }
  return &dx_;
}

// ---------------------------------------------------------------- flatten
Shape Flatten::out_shape(const Shape& in) const {
  return {static_cast<std::int64_t>(numel(in))};
}

const Tensor& Flatten::forward(const Tensor& x, const Ctx&) {
  in_ = x.shape;
  y_.shape = {x.rows(), x.cols()};
  y_.v = x.v;
  return y_;
}

const Tensor* Flatten::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return nullptr;
  dx_.shape = in_;
  dx_.v = dy.v;
  return &dx_;
}

// ---------------------------------------------------------------- dropout
Dropout::Dropout(float p, std::uint64_t layer_id) : p_(p), id_(layer_id) {
  if (!(p >= 0.f && p < 1.f))
    throw UsageError("--dropout " + std::to_string(p) + ": must be in [0, 1)");
}

const Tensor& Dropout::forward(const Tensor& x, const Ctx& ctx) {
  active_ = ctx.train && p_ > 0.f;
  y_.resize(x.shape);
  if (!active_) {
    std::copy(x.v.begin(), x.v.end(), y_.v.begin());
    return y_;
  }
  mask_.resize(x.shape);
  const float keep = 1.f / (1.f - p_);
  for (std::size_t i = 0; i < x.size(); ++i) {
    mask_.v[i] = u01(hash_u64(ctx.seed, ctx.step, id_ + 0x100000, i)) < p_ ? 0.f : keep;
    y_.v[i] = x.v[i] * mask_.v[i];
  }
  return y_;
}

const Tensor* Dropout::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return nullptr;
  dx_.resize(dy.shape);
  for (std::size_t i = 0; i < dy.size(); ++i) dx_.v[i] = active_ ? dy.v[i] * mask_.v[i] : dy.v[i];
  return &dx_;
}

// ---------------------------------------------------------------- residual
Residual::Residual(std::vector<LayerPtr> body) : body_(std::move(body)) {}

const Tensor& Residual::forward(const Tensor& x, const Ctx& ctx) {
  const Tensor* h = &x;
  for (auto& l : body_) h = &l->forward(*h, ctx);
  y_.resize(x.shape);
  for (std::size_t i = 0; i < x.size(); ++i) y_.v[i] = x.v[i] + h->v[i];
  return y_;
}

const Tensor* Residual::backward(const Tensor& dy, bool need_dx) {
  const Tensor* g = &dy;
  for (auto it = body_.rbegin(); it != body_.rend(); ++it) g = (*it)->backward(*g, true);
  if (!need_dx) return nullptr;
  dx_.resize(dy.shape);
  for (std::size_t i = 0; i < dy.size(); ++i) dx_.v[i] = dy.v[i] + g->v[i];
  return &dx_;
}

std::vector<Param> Residual::params() {
  std::vector<Param> out;
  for (std::size_t i = 0; i < body_.size(); ++i)
    for (auto p : body_[i]->params()) {
      p.name = std::to_string(i) + "." + p.name;
      out.push_back(p);
    }
  return out;
}

std::vector<std::pair<std::string, Tensor*>> Residual::buffers() {
  std::vector<std::pair<std::string, Tensor*>> out;
  for (std::size_t i = 0; i < body_.size(); ++i)
    for (auto [n, t] : body_[i]->buffers()) out.emplace_back(std::to_string(i) + "." + n, t);
  return out;
}

void Residual::init(InitKind k, Rng& rng) {
  for (auto& l : body_) l->init(k, rng);
}

std::vector<Layer*> Residual::children() {
  std::vector<Layer*> out;
  for (auto& l : body_) out.push_back(l.get());
  return out;
}

}  // namespace actlab::nn
