// BatchNorm (1-D per feature, 2-D per channel) and LayerNorm (per sample).
// Sums in double: a batch of 128 x 28 x 28 values per channel is enough for
// float accumulation to lose digits the finite-difference tests notice.
#include <cmath>

#include "actlab/nn/layer.hpp"

namespace actlab::nn {

BatchNorm::BatchNorm(std::int64_t features, float momentum, float eps)
    : gamma({features}, 1.f), beta({features}, 0.f), dgamma({features}, 0.f),
      dbeta({features}, 0.f), running_mean({features}, 0.f), running_var({features}, 1.f),
      f_(features), mom_(momentum), eps_(eps) {}

std::vector<Param> BatchNorm::params() {
  return {{"gamma", &gamma, &dgamma, false}, {"beta", &beta, &dbeta, false}};
}

std::vector<std::pair<std::string, Tensor*>> BatchNorm::buffers() {
  return {{"running_mean", &running_mean}, {"running_var", &running_var}};
}

namespace {
std::int64_t inner_size(const Tensor& x) {
  std::int64_t in = 1;
  for (std::size_t i = 2; i < x.ndim(); ++i) in *= x.dim(i);
  return in;
}
}  // namespace

const Tensor& BatchNorm::forward(const Tensor& x, const Ctx& ctx) {
  train_ = ctx.train;
  const std::int64_t n = x.rows(), c = f_, in = inner_size(x);
  y_.resize(x.shape);
  xhat_.resize(x.shape);
  istd_.resize({c});
  const double cnt = static_cast<double>(n * in);
  for (std::int64_t k = 0; k < c; ++k) {
    double mean, var;
    if (train_) {
      double s = 0, s2 = 0;
      for (std::int64_t i = 0; i < n; ++i) {
        const float* p = x.data() + (i * c + k) * in;
        for (std::int64_t j = 0; j < in; ++j) s += p[j];
      }
      mean = s / cnt;
      for (std::int64_t i = 0; i < n; ++i) {
        const float* p = x.data() + (i * c + k) * in;
        for (std::int64_t j = 0; j < in; ++j) s2 += (p[j] - mean) * (p[j] - mean);
      }
      var = s2 / cnt;
      running_mean.v[k] = static_cast<float>((1 - mom_) * running_mean.v[k] + mom_ * mean);
      const double unbiased = cnt > 1 ? var * cnt / (cnt - 1) : var;
      running_var.v[k] = static_cast<float>((1 - mom_) * running_var.v[k] + mom_ * unbiased);
    } else {
      mean = running_mean.v[k];
      var = running_var.v[k];
    }
    const double is = 1.0 / std::sqrt(var + eps_);
    istd_.v[k] = static_cast<float>(is);
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t o = (i * c + k) * in;
      for (std::int64_t j = 0; j < in; ++j) {
        const float xh = static_cast<float>((x.v[o + j] - mean) * is);
        xhat_.v[o + j] = xh;
        y_.v[o + j] = gamma.v[k] * xh + beta.v[k];
      }
    }
  }
  return y_;
}

const Tensor* BatchNorm::backward(const Tensor& dy, bool) {
  const std::int64_t n = dy.rows(), c = f_, in = inner_size(dy);
  const double cnt = static_cast<double>(n * in);
  dx_.resize(dy.shape);
  for (std::int64_t k = 0; k < c; ++k) {
    double sg = 0, sgx = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t o = (i * c + k) * in;
      for (std::int64_t j = 0; j < in; ++j) {
        sg += dy.v[o + j];
        sgx += static_cast<double>(dy.v[o + j]) * xhat_.v[o + j];
      }
    }
    dbeta.v[k] = static_cast<float>(sg);
    dgamma.v[k] = static_cast<float>(sgx);
    const double gs = static_cast<double>(gamma.v[k]) * istd_.v[k];
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t o = (i * c + k) * in;
      for (std::int64_t j = 0; j < in; ++j)
        dx_.v[o + j] = train_ ? static_cast<float>(gs * (dy.v[o + j] - sg / cnt - xhat_.v[o + j] * sgx / cnt))
                              : static_cast<float>(gs * dy.v[o + j]);
    }
  }
  return &dx_;
}

LayerNorm::LayerNorm(std::int64_t features, float eps)
    : gamma({features}, 1.f), beta({features}, 0.f), dgamma({features}, 0.f),
      dbeta({features}, 0.f), f_(features), eps_(eps) {}

std::vector<Param> LayerNorm::params() {
  return {{"gamma", &gamma, &dgamma, false}, {"beta", &beta, &dbeta, false}};
}

const Tensor& LayerNorm::forward(const Tensor& x, const Ctx&) {
  const std::int64_t n = x.rows(), f = f_;
  y_.resize(x.shape);
  xhat_.resize(x.shape);
  istd_.resize({n});
  for (std::int64_t i = 0; i < n; ++i) {
    const float* p = x.data() + i * f;
    double s = 0, s2 = 0;
    for (std::int64_t j = 0; j < f; ++j) s += p[j];
    const double mean = s / f;
    for (std::int64_t j = 0; j < f; ++j) s2 += (p[j] - mean) * (p[j] - mean);
    const double is = 1.0 / std::sqrt(s2 / f + eps_);
    istd_.v[i] = static_cast<float>(is);
    for (std::int64_t j = 0; j < f; ++j) {
      const float xh = static_cast<float>((p[j] - mean) * is);
      xhat_.v[i * f + j] = xh;
      y_.v[i * f + j] = gamma.v[j] * xh + beta.v[j];
    }
  }
  return y_;
}

const Tensor* LayerNorm::backward(const Tensor& dy, bool) {
  const std::int64_t n = dy.rows(), f = f_;
  dx_.resize(dy.shape);
  dgamma.zero();
  dbeta.zero();
  for (std::int64_t i = 0; i < n; ++i) {
    double s = 0, sx = 0;
    for (std::int64_t j = 0; j < f; ++j) {
      const double g = static_cast<double>(dy.v[i * f + j]) * gamma.v[j];
      s += g;
      sx += g * xhat_.v[i * f + j];
      dgamma.v[j] += dy.v[i * f + j] * xhat_.v[i * f + j];
      dbeta.v[j] += dy.v[i * f + j];
    }
    for (std::int64_t j = 0; j < f; ++j) {
      const double g = static_cast<double>(dy.v[i * f + j]) * gamma.v[j];
      dx_.v[i * f + j] = static_cast<float>(istd_.v[i] * (g - s / f - xhat_.v[i * f + j] * sx / f));
    }
  }
  return &dx_;
}

}  // namespace actlab::nn
