// One training run with probes: the lab's training loop over the engine's
// Model, loss head and Optimizer.
#include <chrono>
#include <cmath>
#include <cstring>
#include <sstream>

#include "actlab/core/error.hpp"
#include "actlab/lab/experiment.hpp"
#include "actlab/nn/loss.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/nn/optim.hpp"

namespace actlab::lab {
namespace {

nn::InputGeom geom_of(const data::Dataset& d) {
  nn::InputGeom g;
  g.features = std::int64_t(d.features);
  g.channels = d.channels;
  g.height = d.height;
  g.width = d.width;
  g.classes = d.classes;
  return g;
}

struct Eval {
  double loss = 0, acc = 0;
};

// Loss and accuracy over the first `limit` rows (all when 0), evaluation mode.
Eval evaluate(nn::Model& m, const data::Dataset& d, std::size_t limit) {
  const std::size_t n = limit ? std::min(limit, d.rows) : d.rows;
  const std::size_t chunk = 1000;
  double loss = 0;
  std::size_t correct = 0;
  nn::Ctx ctx;
  for (std::size_t b = 0; b < n; b += chunk) {
    const std::size_t k = std::min(chunk, n - b);
    const nn::Tensor& logits = m.forward(d.x.data() + b * d.features, std::int64_t(k), ctx);
    std::size_t c = 0;
    loss += nn::softmax_cross_entropy(logits, d.y.data() + b, nullptr, &c) * double(k);
    correct += c;
  }
  return {n ? loss / double(n) : 0.0, n ? double(correct) / double(n) : 0.0};
}

}  // namespace

std::vector<LayerStats> probe_model(nn::Model& m, const data::Dataset& d, std::size_t rows) {
  const std::size_t n = std::min(rows, d.rows);
  nn::Ctx ctx;
  const nn::Tensor& logits = m.forward(d.x.data(), std::int64_t(n), ctx);
  nn::Tensor dlogits(logits.shape);
  nn::softmax_cross_entropy(logits, d.y.data(), &dlogits);
  m.backward(dlogits);
  std::vector<LayerStats> out;
  const auto probes = m.probes();
  for (std::size_t i = 0; i < probes.size(); ++i) {
    const auto& p = probes[i];
    if (!p.pre || !p.post) continue;
    const std::size_t batch = std::size_t(p.pre->rows()), units = std::size_t(p.pre->cols());
    LayerStats s = probe_layer(
        (i + 1 == probes.size() ? "output" : "hidden" + std::to_string(i + 1)), p.act, p.params, p.pre->data(),
        p.post->data(), p.grad_pre && p.grad_pre->size() == p.pre->size() ? p.grad_pre->data() : nullptr,
        p.weight_grad ? p.weight_grad->data() : nullptr, p.weight_grad ? p.weight_grad->size() : 0, batch, units);
    if (p.slope) s.prelu_slopes.assign(p.slope->v.begin(), p.slope->v.end());
    out.push_back(std::move(s));
  }
  return out;
}

std::string act_label(const nn::ActSpec& a) {
  const auto& in = act::info(a.act);
  const act::Params d = act::defaults(a.act);
  std::string s = in.name;
  bool any = false;
  for (int i = 0; i < in.nparams; ++i) {
    if (a.params.v[i] == d.v[i]) continue;
    std::ostringstream os;
    os << a.params.v[i];
    s += any ? ',' : '(';
    s += in.params[i].name;
    s += '=';
    s += os.str();
    any = true;
  }
  return any ? s + ")" : s;
}

std::string TrainConfig::key() const {
  std::ostringstream os;
  os << "data=" << data << ";dir=" << data_dir << ";model=" << model << ";bn=" << batchnorm << ";res=" << residual
     << ";dropout=" << dropout << ";init=" << init << ";epochs=" << epochs << ";batch=" << batch
     << ";opt=" << optimizer << ";lr=" << lr << ";limit_train=" << limit_train << ";limit_test=" << limit_test
     << ";rows=" << synthetic_rows << ";threads=" << threads << ";probe=" << probe_rows;
  return os.str();
}

data::Split load_data(const TrainConfig& c, std::uint64_t seed) {
  data::LoadOptions o;
  o.seed = seed;
  o.val_fraction = 0;  // the lab reports test accuracy; no model selection
  o.limit_train = c.limit_train;
  o.limit_test = c.limit_test;
  o.synthetic_rows = c.synthetic_rows;
  data::Split s = data::load(c.data, c.data_dir, o);
  data::normalise(s);
  return s;
}

RunResult train_run(const TrainConfig& c, const nn::ActSpec& act, std::uint64_t seed, const data::Split& split,
                    const RunProgress& progress, const std::function<void(nn::Model&)>& inspect) {
  nn::set_num_threads(c.threads);
  nn::ModelSpec spec = nn::parse_model_spec(c.model, nn::act_text(act));
  spec.acts = {act};
  spec.batchnorm = c.batchnorm;
  spec.residual = c.residual;
  spec.dropout = c.dropout;
  spec.init = nn::parse_init(c.init);
  nn::Model model(spec, geom_of(split.train), seed);
  nn::OptConfig oc;
  oc.name = c.optimizer;
  oc.lr = c.lr;
  oc.total_epochs = c.epochs;
  nn::Optimizer opt(oc);

  RunResult r;
  r.act = act_label(act);
  r.seed = seed;
  r.config_key = c.key();
  const std::size_t train_eval_rows = 10000;
  auto record = [&](int epoch, double seconds) {
    EpochRecord e;
    e.epoch = epoch;
    e.seconds = seconds;
    const Eval tr = evaluate(model, split.train, train_eval_rows), te = evaluate(model, split.test, 0);
    e.train_loss = tr.loss;
    e.train_acc = tr.acc;
    e.test_loss = te.loss;
    e.test_acc = te.acc;
    e.layers = probe_model(model, split.train, c.probe_rows);
    const bool finite = std::isfinite(e.train_loss) && std::isfinite(e.test_loss);
    r.epochs.push_back(std::move(e));
    return finite;
  };
  if (!record(0, 0)) {
    r.diverged = true;
    r.note = "non-finite loss at initialisation";
    return r;
  }
  data::Batcher batcher(split.train, std::size_t(c.batch), nn::hash_u64(seed, 0xba7c));
  std::vector<float> x;
  std::vector<std::int32_t> y;
  nn::Tensor dlogits;
  std::uint64_t step = 0;
  const std::size_t batches = batcher.batches_per_epoch();
  for (int epoch = 1; epoch <= c.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    batcher.start_epoch(std::uint64_t(epoch));
    const float lr = nn::scheduled_lr(oc, epoch - 1);
    std::size_t bi = 0;
    bool finite = true;
    while (const std::size_t k = batcher.next(x, y)) {
      nn::Ctx ctx{true, seed, step++};
      const nn::Tensor& logits = model.forward(x.data(), std::int64_t(k), ctx);
      dlogits.resize(logits.shape);
      const double loss = nn::softmax_cross_entropy(logits, y.data(), &dlogits);
      if (!std::isfinite(loss)) {
        finite = false;
        break;
      }
      model.backward(dlogits);
      opt.step(model.params(), lr);
      if (progress) progress(epoch, c.epochs, ++bi, batches);
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!finite || !record(epoch, secs)) {
      r.diverged = true;
      r.note = "loss became non-finite in epoch " + std::to_string(epoch);
      break;
    }
  }
  if (inspect) inspect(model);
  return r;
}

}  // namespace actlab::lab
