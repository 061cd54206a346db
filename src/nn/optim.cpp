#include "actlab/nn/optim.hpp"

#include <cmath>

#include "actlab/core/error.hpp"

namespace actlab::nn {

void validate(const OptConfig& c) {
  if (c.name != "sgd" && c.name != "rmsprop" && c.name != "adam" && c.name != "adamw")
    throw UsageError("--optimizer '" + c.name + "': unknown; use sgd, rmsprop, adam or adamw");
  if (!(c.lr > 0) || !std::isfinite(c.lr))
    throw UsageError("--lr " + std::to_string(c.lr) + ": must be a positive number, e.g. 1e-3");
  if (!(c.momentum >= 0 && c.momentum < 1))
    throw UsageError("--momentum: must be in [0, 1)");
  if (!(c.weight_decay >= 0) || !std::isfinite(c.weight_decay))
    throw UsageError("--weight-decay " + std::to_string(c.weight_decay) + ": must be a finite number >= 0");
  if (!(c.gamma > 0 && c.gamma <= 1))
    throw UsageError("--gamma " + std::to_string(c.gamma) +
                     ": the step schedule's decay factor must be in (0, 1], e.g. 0.1");
  if (!(c.beta1 >= 0 && c.beta1 < 1) || !(c.beta2 >= 0 && c.beta2 < 1))
    throw UsageError("adam betas must be in [0, 1)");
  if (!(c.eps > 0) || !std::isfinite(c.eps)) throw UsageError("optimizer eps must be a finite number > 0");
  if (!(c.alpha >= 0 && c.alpha < 1)) throw UsageError("rmsprop alpha must be in [0, 1)");
  if (c.total_epochs < 1) throw UsageError("--epochs " + std::to_string(c.total_epochs) + ": must be >= 1");
  if (c.schedule != "none" && c.schedule != "step" && c.schedule != "cosine")
    throw UsageError("--schedule '" + c.schedule + "': use none, step or cosine");
  if (c.step_epochs < 1) throw UsageError("--step-epochs: must be >= 1");
}

float scheduled_lr(const OptConfig& c, int epoch) {
  if (c.schedule == "step") return c.lr * std::pow(c.gamma, static_cast<float>(epoch / c.step_epochs));
  if (c.schedule == "cosine") {
    const double t = std::min(1.0, static_cast<double>(epoch) / std::max(1, c.total_epochs));
    return static_cast<float>(0.5 * c.lr * (1 + std::cos(3.141592653589793 * t)));
  }
  return c.lr;
}

void Optimizer::ensure(const std::vector<Param>& ps) {
  if (m_.size() == ps.size()) return;
  m_.clear();
  v_.clear();
  for (auto& p : ps) {
    m_.emplace_back(p.w->shape, 0.f);
    v_.emplace_back(p.w->shape, 0.f);
  }
}

std::vector<std::pair<std::string, Tensor*>> Optimizer::state(const std::vector<Param>& ps) {
  ensure(ps);
  std::vector<std::pair<std::string, Tensor*>> out;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    out.emplace_back(ps[i].name + ".m", &m_[i]);
    out.emplace_back(ps[i].name + ".v", &v_[i]);
  }
  return out;
}

void Optimizer::step(const std::vector<Param>& ps, float lr) {
  ensure(ps);
  ++t_;
  const float wd = c_.weight_decay;
  const double bc1 = 1 - std::pow(static_cast<double>(c_.beta1), static_cast<double>(t_));
  const double bc2 = 1 - std::pow(static_cast<double>(c_.beta2), static_cast<double>(t_));
  for (std::size_t k = 0; k < ps.size(); ++k) {
    float* w = ps[k].w->data();
    const float* g = ps[k].g->data();
    float* m = m_[k].data();
    float* v = v_[k].data();
    const std::size_t n = ps[k].w->size();
    const float d = ps[k].decay ? wd : 0.f;
    if (c_.name == "sgd") {
      const float mu = c_.momentum;
      for (std::size_t i = 0; i < n; ++i) {
        float gi = g[i] + d * w[i];
        if (mu > 0) {
          m[i] = t_ == 1 ? gi : mu * m[i] + gi;  // PyTorch: buffer starts as g
          gi = c_.nesterov ? gi + mu * m[i] : m[i];
        }
        w[i] -= lr * gi;
      }
    } else if (c_.name == "rmsprop") {
      const float a = c_.alpha;
      for (std::size_t i = 0; i < n; ++i) {
        const float gi = g[i] + d * w[i];
        v[i] = a * v[i] + (1 - a) * gi * gi;
        w[i] -= lr * gi / (std::sqrt(v[i]) + c_.eps);
      }
    } else {
      const bool decoupled = c_.name == "adamw";
      const float b1 = c_.beta1, b2 = c_.beta2;
      const float step = static_cast<float>(lr / bc1);
      const float sbc2 = static_cast<float>(std::sqrt(bc2));
      for (std::size_t i = 0; i < n; ++i) {
        float gi = g[i];
        if (decoupled) w[i] -= lr * d * w[i];
        else gi += d * w[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        w[i] -= step * m[i] / (std::sqrt(v[i]) / sbc2 + c_.eps);
      }
    }
  }
}

}  // namespace actlab::nn
