// Optimizers and learning-rate schedules, PyTorch's update rules:
//   sgd      v = mu v + g (+ wd w);  w -= lr (nesterov ? g + mu v : v)
//   rmsprop  s = a s + (1 - a) g^2;  w -= lr g / (sqrt(s) + eps)
//   adam     m, v with bias correction; weight decay added to g (L2)
//   adamw    as adam, decay decoupled: w -= lr wd w
// Weight decay applies only to Params with decay = true (weights).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "actlab/nn/layer.hpp"

namespace actlab::nn {

struct OptConfig {
  std::string name = "adam";  // sgd | rmsprop | adam | adamw
  float lr = 1e-3f;
  float momentum = 0.f;       // sgd
  bool nesterov = false;      // sgd
  float weight_decay = 0.f;
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;  // adam(w); eps also rmsprop
  float alpha = 0.99f;        // rmsprop
  // Schedule: "none", "step" (lr *= gamma every step_epochs), "cosine"
  // (to 0 over total_epochs, per epoch).
  std::string schedule = "none";
  int step_epochs = 10;
  float gamma = 0.1f;
  int total_epochs = 1;
};

// Throws UsageError naming the flag for unknown names or out-of-range values.
void validate(const OptConfig& c);

// Learning rate for epoch `epoch` (0-based).
float scheduled_lr(const OptConfig& c, int epoch);

class Optimizer {
 public:
  explicit Optimizer(OptConfig c) : c_(std::move(c)) { validate(c_); }
  // One update of every parameter with its gradient at learning rate lr.
  void step(const std::vector<Param>& ps, float lr);
  // Per-parameter state (moments), named "<param>.m" etc., for checkpoints.
  std::vector<std::pair<std::string, Tensor*>> state(const std::vector<Param>& ps);
  std::uint64_t steps() const { return t_; }
  void set_steps(std::uint64_t t) { t_ = t; }
  const OptConfig& config() const { return c_; }
  // A resumed run extended to more epochs: the cosine schedule's horizon.
  void set_total_epochs(int n) {
    OptConfig c = c_;
    c.total_epochs = n;
    validate(c);
    c_.total_epochs = n;
  }

 private:
  void ensure(const std::vector<Param>& ps);
  OptConfig c_;
  std::uint64_t t_ = 0;
  std::vector<Tensor> m_, v_;  // sgd: m = momentum buffer; rmsprop: v = square avg
};

}  // namespace actlab::nn
