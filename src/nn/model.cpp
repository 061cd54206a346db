// Model assembly from a ModelSpec, forward/backward over the layer list.
#include <cstring>
#include <functional>

#include "actlab/act/kernels.hpp"
#include "actlab/core/error.hpp"
#include "actlab/core/resources.hpp"
#include "actlab/nn/checkpoint.hpp"
#include "actlab/nn/model.hpp"
#include "src/nn/dnnl_ops.hpp"

namespace actlab::nn {

void set_num_threads(int n) {
  if (n < 1 || n > kMaxThreads)
    throw UsageError("--threads " + std::to_string(n) + ": must be in [1, " + std::to_string(kMaxThreads) + "]");
  dnn::set_threads(n);
  act::set_num_threads(n);
}

namespace {

bool fusable(const ModelSpec& s, const ActSpec& a) {
  // Learnable / randomised activations and normalisation between the affine
  // map and the activation need a separate Activation layer.
  return !s.batchnorm && !s.layernorm && a.act != act::Act::prelu && a.act != act::Act::rrelu;
}

// Appends affine -> [norm] -> activation -> [dropout] for hidden layer `i`.
// `affine` is a Dense or Conv2D built with the given fused activation.
void hidden_block(std::vector<LayerPtr>& out, const ModelSpec& s, const ActSpec& a,
                  LayerPtr affine, std::int64_t units, bool image, std::uint64_t id) {
  out.push_back(std::move(affine));
  if (s.batchnorm) out.push_back(std::make_unique<BatchNorm>(units));
  if (s.layernorm && !image) out.push_back(std::make_unique<LayerNorm>(units));
  if (!fusable(s, a))
    out.push_back(std::make_unique<Activation>(a, s.prelu_per_channel ? units : 0, id));
  if (s.dropout > 0) out.push_back(std::make_unique<Dropout>(s.dropout, id));
}

LayerPtr dense(std::int64_t in, std::int64_t out, const ModelSpec& s, const ActSpec& a) {
  auto d = std::make_unique<Dense>(in, out, fusable(s, a) ? a : ActSpec{act::Act::identity, {}});
  d->init_act = a;
  return d;
}

}  // namespace

Model::Model(const ModelSpec& spec, const InputGeom& geom, std::uint64_t seed)
    : spec_(spec), geom_(geom) {
  if (geom.features < 1 || geom.classes < 2)
    throw UsageError("model needs >= 1 input feature and >= 2 classes (got " +
                     std::to_string(geom.features) + " and " + std::to_string(geom.classes) + ")");
  // Before any allocation: a model too big for memory is refused with what it
  // needs, not after seconds of allocation with std::bad_alloc.
  check_memory(spec, geom, 0);
  const auto act_of = [&](int i) { return spec.acts.size() == 1 ? spec.acts[0] : spec.acts.at(i); };
  std::uint64_t id = 0;
  std::int64_t in = geom.features;
  if (spec.arch == "mlp") {
    for (std::size_t i = 0; i < spec.widths.size(); ++i) {
      const std::int64_t h = spec.widths[i];
      std::vector<LayerPtr> blk;
      hidden_block(blk, spec, act_of(static_cast<int>(i)), dense(in, h, spec, act_of(static_cast<int>(i))), h,
                   false, ++id);
      if (spec.residual && in == h) {
        layers_.push_back(std::make_unique<Residual>(std::move(blk)));
      } else {
        for (auto& l : blk) layers_.push_back(std::move(l));
      }
      in = h;
    }
  } else if (spec.arch == "resmlp") {
    const std::int64_t w = spec.widths.at(0);
    hidden_block(layers_, spec, act_of(0), dense(in, w, spec, act_of(0)), w, false, ++id);
    for (int i = 1; i <= spec.depth; ++i) {
      std::vector<LayerPtr> blk;
      hidden_block(blk, spec, act_of(i), dense(w, w, spec, act_of(i)), w, false, ++id);
      layers_.push_back(std::make_unique<Residual>(std::move(blk)));
    }
    in = w;
  } else if (spec.arch == "cnn") {
    if (geom.channels < 1)
      throw UsageError("--model cnn needs image data (e.g. --data fashion-mnist); this data set "
                       "has " + std::to_string(geom.features) + " tabular features");
    if (geom.height < 4 || geom.width < 4)
      throw UsageError("--model cnn needs images of at least 4 x 4 pixels (two 2 x 2 poolings); this "
                       "data set has " + std::to_string(geom.height) + " x " + std::to_string(geom.width) +
                       " images with " + std::to_string(geom.channels) + " channel(s); use --model mlp:...");
    std::int64_t c = geom.channels, h = geom.height, w = geom.width;
    for (int i = 0; i < 2; ++i) {
      const auto a = act_of(i);
      auto conv = std::make_unique<Conv2D>(c, spec.widths[i], 5, 1, 2,
                                           fusable(spec, a) ? a : ActSpec{act::Act::identity, {}});
      conv->init_act = a;
      hidden_block(layers_, spec, a, std::move(conv), spec.widths[i], true, ++id);
      layers_.push_back(std::make_unique<Pool2D>(true, 2, 2));
      c = spec.widths[i];
      h /= 2;
      w /= 2;
    }
    layers_.push_back(std::make_unique<Flatten>());
    in = c * h * w;
    hidden_block(layers_, spec, act_of(2), dense(in, spec.widths[2], spec, act_of(2)),
                 spec.widths[2], false, ++id);
    in = spec.widths[2];
  } else if (spec.arch == "linear") {
    // No hidden layer: the features go straight to the output layer.
  } else {
    throw UsageError("unknown architecture '" + spec.arch + "'");
  }
  layers_.push_back(std::make_unique<Dense>(in, head_units(spec.head, geom.classes)));
  // Shape check through the whole stack before any data flows.
  Shape sh = spec.arch == "cnn" ? Shape{geom.channels, geom.height, geom.width} : Shape{geom.features};
  for (auto& l : layers_) sh = l->out_shape(sh);
  if (spec.init == InitKind::auto_gain) {
    // Auto gain scales a layer by the activation of its INPUT, so that
    // Var(z) = fan_in Var(w) E[f(z_prev)^2] = 1 at every layer; the first
    // layer sees standardised data (gain 1).
    ActSpec prev{act::Act::identity, {}};
    for (Layer* l : layers()) {
      if (auto* d = dynamic_cast<Dense*>(l)) {
        const Probe p = d->probe();
        d->init_act = prev;
        prev = {p.act, p.params};
      } else if (auto* c = dynamic_cast<Conv2D*>(l)) {
        const Probe p = c->probe();
        c->init_act = prev;
        prev = {p.act, p.params};
      } else if (auto* a = dynamic_cast<Activation*>(l)) {
        const Probe p = a->probe();
        prev = {p.act, p.params};
      }
    }
  }
  Rng rng(hash_u64(seed, 0x1417));
  for (auto& l : layers_) l->init(spec.init, rng);
}

const Tensor& Model::forward(const float* x, std::int64_t n, const Ctx& ctx) {
  if (spec_.arch == "cnn") in_.resize({n, geom_.channels, geom_.height, geom_.width});
  else in_.resize({n, geom_.features});
  std::memcpy(in_.data(), x, in_.size() * sizeof(float));
  const Tensor* h = &in_;
  for (auto& l : layers_) h = &l->forward(*h, ctx);
  return *h;
}

void Model::backward(const Tensor& dlogits) {
  const Tensor* g = &dlogits;
  for (std::size_t i = layers_.size(); i-- > 0;) g = layers_[i]->backward(*g, i > 0);
}

std::vector<Param> Model::params() {
  std::vector<Param> out;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    for (auto p : layers_[i]->params()) {
      p.name = "L" + std::to_string(i) + "." + layers_[i]->kind() + "." + p.name;
      out.push_back(p);
    }
  return out;
}

std::vector<std::pair<std::string, Tensor*>> Model::buffers() {
  std::vector<std::pair<std::string, Tensor*>> out;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    for (auto [n, t] : layers_[i]->buffers())
      out.emplace_back("L" + std::to_string(i) + "." + layers_[i]->kind() + "." + n, t);
  return out;
}

std::size_t Model::num_params() {
  std::size_t n = 0;
  for (auto& p : params()) n += p.w->size();
  return n;
}

std::vector<Layer*> Model::layers() {
  std::vector<Layer*> out;
  std::function<void(Layer*)> add = [&](Layer* l) {
    out.push_back(l);
    for (auto* c : l->children()) add(c);
  };
  for (auto& l : layers_) add(l.get());
  return out;
}

std::vector<Probe> Model::probes() {
  // A fused Dense/Conv2D reports its own activation; an unfused one is
  // followed by an Activation layer that does. Report the activation site
  // once: skip an identity affine layer when the next layer (after norms)
  // is an Activation.
  std::vector<Probe> out;
  auto ls = layers();
  for (std::size_t i = 0; i < ls.size(); ++i) {
    Probe p = ls[i]->probe();
    if (!p.has_act) continue;
    if ((p.kind == "dense" || p.kind == "conv2d") && p.act == act::Act::identity) {
      std::size_t j = i + 1;
      while (j < ls.size() && (ls[j]->kind() == "batchnorm" || ls[j]->kind() == "layernorm")) ++j;
      if (j < ls.size() && ls[j]->kind() == "activation") {
        // Carry the weights over to the activation site.
        Probe q = ls[j]->probe();
        q.weight = p.weight;
        q.weight_grad = p.weight_grad;
        out.push_back(q);
        i = j;
        continue;
      }
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace actlab::nn
