// Layers: forward and backward side by side, each layer owning its output,
// its input gradient and whatever it keeps for backward. Tensors are
// row-major with the batch first: [N, F] for dense data, [N, C, H, W] for
// images.
//
// Contract of every layer:
//   const Tensor& y = L.forward(x, ctx);   // x must stay alive until backward
//   const Tensor* dx = L.backward(dy, need_dx);  // dy has y's shape
// backward accumulates nothing: it overwrites the parameter gradients of this
// batch (Param::g) and returns dx (nullptr when need_dx is false, which the
// first layer uses to skip its largest GEMM).
//
// Probes (for the lab, issue 6): after forward/backward on a batch,
// Layer::probe() returns views of the layer's internals, valid until the next
// forward on that layer. Every layer that applies an activation reports
//   pre       z, the pre-activation (input of the activation)
//   post      f(z)
//   grad_pre  dL/dz (after backward)
//   weight / weight_grad  its weight matrix and dL/dW (Dense, Conv2D)
//   slope     PReLU's learned slope(s) (one per layer or per channel)
// Fields a layer does not have are nullptr.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actlab/act/catalogue.hpp"
#include "actlab/nn/init.hpp"
#include "actlab/nn/tensor.hpp"

namespace actlab::nn {

// Passed to every forward: mode and the counters random draws derive from.
struct Ctx {
  bool train = false;
  std::uint64_t seed = 0;
  std::uint64_t step = 0;  // global optimisation step
};

// A learnable tensor and its gradient.
struct Param {
  std::string name;
  Tensor* w;
  Tensor* g;
  bool decay;  // weight decay applies (weights yes; biases, norms, slopes no)
};

struct Probe {
  std::string kind;  // "dense", "conv2d", "activation", ...
  bool has_act = false;
  act::Act act = act::Act::identity;
  act::Params params{};
  const Tensor* pre = nullptr;
  const Tensor* post = nullptr;
  const Tensor* grad_pre = nullptr;
  const Tensor* weight = nullptr;
  const Tensor* weight_grad = nullptr;
  const Tensor* slope = nullptr;
};

// An activation choice: a catalogue entry and its parameters.
struct ActSpec {
  act::Act act = act::Act::relu;
  act::Params params{};
};

class Layer {
 public:
  virtual ~Layer() = default;
  virtual std::string kind() const = 0;
  // Per-sample output shape for a per-sample input shape (batch excluded).
  virtual Shape out_shape(const Shape& in) const = 0;
  virtual const Tensor& forward(const Tensor& x, const Ctx& ctx) = 0;
  virtual const Tensor* backward(const Tensor& dy, bool need_dx) = 0;
  virtual std::vector<Param> params() { return {}; }
  // Non-learned state saved in checkpoints (BatchNorm running statistics).
  virtual std::vector<std::pair<std::string, Tensor*>> buffers() { return {}; }
  virtual void init(InitKind, Rng&) {}
  virtual Probe probe() const { return Probe{kind()}; }
  // Child layers (residual blocks), for probes and parameter listing.
  virtual std::vector<Layer*> children() { return {}; }
};

using LayerPtr = std::unique_ptr<Layer>;

// y = f(x W + b): W is [in, out] (note: PyTorch's nn.Linear stores W^T),
// matmul + bias by oneDNN, then the activation in one pass over the output
// (act::forward on row blocks that stay in cache). Backward: dz = f'(z) dy
// with the bias gradient summed in the same pass, dW = x^T dz, dx = dz W^T.
// Learnable activations (prelu) and rrelu are not fused: use Dense(identity)
// followed by an Activation layer.
class Dense : public Layer {
 public:
  Dense(std::int64_t in, std::int64_t out, ActSpec a = {act::Act::identity, {}});
  std::string kind() const override { return "dense"; }
  Shape out_shape(const Shape& in) const override;
  const Tensor& forward(const Tensor& x, const Ctx& ctx) override;
  const Tensor* backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  void init(InitKind k, Rng& rng) override;
  Probe probe() const override;
  Tensor W, b, dW, db;
  // The activation the initializer accounts for: the fused one, or the one
  // of the Activation layer that follows an unfused Dense.
  ActSpec init_act;

 private:
  std::int64_t in_, out_;
  ActSpec a_;
  const Tensor* x_ = nullptr;
  const Tensor* gp_ = nullptr;  // dL/dz of the last backward (dz_ or dy)
  Tensor z_, y_, dz_, dx_;
};

// Any catalogue activation as its own layer. Rowwise entries (softmax...)
// act along each sample's flattened values. PReLU: a learnable slope, one per layer or
// one per channel (dimension 1). RReLU: a random slope per element drawn
// from U(lower, upper) in training (counter-based, see rng.hpp), the mean
// slope (lower + upper) / 2 in evaluation, as torch.nn.RReLU.
class Activation : public Layer {
 public:
  // channels > 0 and act == prelu: one learnable slope per channel.
  explicit Activation(ActSpec a, std::int64_t channels = 0, std::uint64_t layer_id = 0);
  std::string kind() const override { return "activation"; }
  Shape out_shape(const Shape& in) const override { return in; }
  const Tensor& forward(const Tensor& x, const Ctx& ctx) override;
  const Tensor* backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  Probe probe() const override;
  Tensor slope, dslope;  // prelu only

 private:
  ActSpec a_;
  std::int64_t channels_;
  std::uint64_t id_;
  const Tensor* x_ = nullptr;
  Tensor y_, dx_, r_;  // r_: rrelu slopes used in the last training forward
  bool rrelu_train_ = false;
};

// 2-D convolution, NCHW, weights [O, C, KH, KW], oneDNN primitives (one per
// batch size, cached), bias and activation fused as in Dense.
class Conv2D : public Layer {
 public:
  Conv2D(std::int64_t in_c, std::int64_t out_c, std::int64_t k, std::int64_t stride,
         std::int64_t pad, ActSpec a = {act::Act::identity, {}});
  std::string kind() const override { return "conv2d"; }
  Shape out_shape(const Shape& in) const override;
  const Tensor& forward(const Tensor& x, const Ctx& ctx) override;
  const Tensor* backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  void init(InitKind k, Rng& rng) override;
  Probe probe() const override;
  Tensor W, b, dW, db;
  ActSpec init_act;  // as Dense::init_act

 private:
  std::int64_t c_, o_, k_, s_, p_;
  ActSpec a_;
  const Tensor* x_ = nullptr;
  const Tensor* gp_ = nullptr;
  Tensor z_, y_, dz_, dx_;
};

// Max / average pooling over k x k windows with stride s (no padding).
// Max pooling routes the gradient to the first maximum of each window.
class Pool2D : public Layer {
 public:
  Pool2D(bool max, std::int64_t k, std::int64_t stride);
  std::string kind() const override { return max_ ? "maxpool2d" : "avgpool2d"; }
  Shape out_shape(const Shape& in) const override;
  const Tensor& forward(const Tensor& x, const Ctx& ctx) override;
  const Tensor* backward(const Tensor& dy, bool need_dx) override;

 private:
  bool max_;
  std::int64_t k_, s_;
  const Tensor* x_ = nullptr;
  Tensor y_, dx_;
  std::vector<std::int64_t> arg_;  // max: input index of each output
};

// [N, C, H, W] -> [N, C*H*W] (a copy; shapes only).
class Flatten : public Layer {
 public:
  std::string kind() const override { return "flatten"; }
  Shape out_shape(const Shape& in) const override;
  const Tensor& forward(const Tensor& x, const Ctx& ctx) override;
  const Tensor* backward(const Tensor& dy, bool need_dx) override;

 private:
  Shape in_;
  Tensor y_, dx_;
};

// Batch normalisation over the batch ([N, F]: per feature) or over batch and
// space ([N, C, H, W]: per channel). Training: batch statistics (biased
// variance for normalising, unbiased for the running estimate, as PyTorch),
// running mean/var updated with `momentum`; evaluation: running statistics.
class BatchNorm : public Layer {
 public:
  explicit BatchNorm(std::int64_t features, float momentum = 0.1f, float eps = 1e-5f);
  std::string kind() const override { return "batchnorm"; }
  Shape out_shape(const Shape& in) const override { return in; }
  const Tensor& forward(const Tensor& x, const Ctx& ctx) override;
  const Tensor* backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  std::vector<std::pair<std::string, Tensor*>> buffers() override;
  Tensor gamma, beta, dgamma, dbeta, running_mean, running_var;

 private:
  std::int64_t f_;
  float mom_, eps_;
  bool train_ = false;
  Tensor xhat_, y_, dx_, istd_;
};

// Layer normalisation over each sample's values (all non-batch dimensions),
// with a learned per-value gain and bias.
class LayerNorm : public Layer {
 public:
  explicit LayerNorm(std::int64_t features, float eps = 1e-5f);
  std::string kind() const override { return "layernorm"; }
  Shape out_shape(const Shape& in) const override { return in; }
  const Tensor& forward(const Tensor& x, const Ctx& ctx) override;
  const Tensor* backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  Tensor gamma, beta, dgamma, dbeta;

 private:
  std::int64_t f_;
  float eps_;
  Tensor xhat_, y_, dx_, istd_;
};

// Inverted dropout: in training each value is zeroed with probability p and
// the rest scaled by 1/(1-p); identity in evaluation. The mask is a function
// of (seed, step, layer_id, index).
class Dropout : public Layer {
 public:
  Dropout(float p, std::uint64_t layer_id);
  std::string kind() const override { return "dropout"; }
  Shape out_shape(const Shape& in) const override { return in; }
  const Tensor& forward(const Tensor& x, const Ctx& ctx) override;
  const Tensor* backward(const Tensor& dy, bool need_dx) override;

 private:
  float p_;
  std::uint64_t id_;
  bool active_ = false;
  Tensor y_, dx_, mask_;
};

// y = x + body(x): a skip connection around a sequence of layers whose
// output shape equals its input shape.
class Residual : public Layer {
 public:
  explicit Residual(std::vector<LayerPtr> body);
  std::string kind() const override { return "residual"; }
  Shape out_shape(const Shape& in) const override { return in; }
  const Tensor& forward(const Tensor& x, const Ctx& ctx) override;
  const Tensor* backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  std::vector<std::pair<std::string, Tensor*>> buffers() override;
  void init(InitKind k, Rng& rng) override;
  std::vector<Layer*> children() override;

 private:
  std::vector<LayerPtr> body_;
  Tensor y_, dx_;
};

}  // namespace actlab::nn
