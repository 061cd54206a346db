// Models built from a text spec (the CLI's --model/--act/--acts/...):
//   mlp:256,128,100            dense hidden layers of these widths
//   cnn  | cnn:32,64,1024      conv5x5xC1 -> maxpool2 -> conv5x5xC2 -> maxpool2
//                              -> dense D (defaults 32, 64, 1024)
//   resmlp:depth=20,width=64   a dense stem, `depth` residual blocks of width
//   linear                     no hidden layer: the input straight to the
//                              output layer (logistic / softmax regression)
// followed by a dense output layer of head_units(head, classes) logits and
// the output head (loss.hpp: softmax_ce by default; the sigmoid heads have
// one unit for 2 classes).
// Activations: one for every hidden layer, or one per hidden layer (mlp: one
// per width; cnn: 3; resmlp: depth + 1). An activation is a catalogue name
// with optional parameters: "leaky_relu(negative_slope=0.2)".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actlab/nn/init.hpp"
#include "actlab/nn/layer.hpp"
#include "actlab/nn/loss.hpp"

namespace actlab::nn {

struct ModelSpec {
  std::string arch = "mlp";          // mlp | cnn | resmlp | linear
  std::vector<std::int64_t> widths;  // mlp widths; cnn {c1, c2, dense}; resmlp {width}; linear {}
  int depth = 0;                     // resmlp blocks
  std::vector<ActSpec> acts{ActSpec{}};
  bool batchnorm = false, layernorm = false, residual = false;
  float dropout = 0.f;
  InitKind init = InitKind::recommended;
  bool prelu_per_channel = false;
  Head head = Head::softmax_ce;

  int hidden_layers() const;  // linear: 0
};

// Parses --model and the activation list ("relu" or "relu,tanh,gelu", each
// entry optionally with "(name=value,...)"). Throws UsageError naming the
// spec, what is wrong and an example of a valid one.
ModelSpec parse_model_spec(const std::string& model, const std::string& acts = "relu");
ActSpec parse_act_spec(const std::string& text);
// The entries of an activation list ("relu,leaky_relu(negative_slope=0.1)"):
// split at commas outside parentheses (those belong to an entry's
// parameters). The one splitter of activation lists; entries are not parsed.
std::vector<std::string> split_act_list(const std::string& text);
std::string act_text(const ActSpec& a);  // "leaky_relu(negative_slope=0.2)"

// Canonical one-line form, stored in checkpoints; from_text(to_text(s)) == s.
// from_text reads texts written before a field existed with its default
// (no "head=": softmax_ce).
std::string to_text(const ModelSpec& s);
ModelSpec from_text(const std::string& text);

struct InputGeom {
  std::int64_t features = 0;
  std::int64_t channels = 0, height = 0, width = 0;  // 0: not an image
  int classes = 0;
};

class Model {
 public:
  // Builds and initialises (weights from `seed`). Throws UsageError when the
  // spec does not fit the input (e.g. cnn on 2-D points).
  Model(const ModelSpec& spec, const InputGeom& geom, std::uint64_t seed);

  // Logits [n, units] for n input rows (row-major, geom.features each),
  // units = head_units(spec.head, geom.classes).
  const Tensor& forward(const float* x, std::int64_t n, const Ctx& ctx);
  // Backpropagates dL/dlogits; fills every Param::g and the probe views.
  void backward(const Tensor& dlogits);

  std::vector<Param> params();  // names "L<i>.<kind>.<name>"
  std::vector<std::pair<std::string, Tensor*>> buffers();
  std::size_t num_params();

  // Top-level layers in order.
  const std::vector<LayerPtr>& top() const { return layers_; }
  // Every layer in forward order, residual bodies expanded (for probes).
  std::vector<Layer*> layers();
  // Probe views of the layers that apply an activation (hidden layers and
  // the output layer, whose activation is identity), in forward order.
  std::vector<Probe> probes();

  const ModelSpec& spec() const { return spec_; }
  std::int64_t units() const { return head_units(spec_.head, geom_.classes); }  // output units
  const InputGeom& geom() const { return geom_; }

 private:
  ModelSpec spec_;
  InputGeom geom_;
  std::vector<LayerPtr> layers_;
  Tensor in_;
};

// Sets the threads of oneDNN (OpenMP) and of the activation kernels.
void set_num_threads(int n);

}  // namespace actlab::nn
