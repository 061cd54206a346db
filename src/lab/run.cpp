// One lab run through the engine's training loop (nn::train): the probes,
// the per-epoch evaluations and the convergence curve hang on its hooks.
#include "actlab/lab/run.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cmath>
#include <nlohmann/json.hpp>

#include "actlab/core/error.hpp"
#include "actlab/data/tabular.hpp"
#include "actlab/lab/batch_source.hpp"
#include "actlab/nn/loss.hpp"
#include "actlab/nn/train.hpp"
#include "src/lab/json_fields.hpp"

namespace actlab::lab {
namespace {

using nlohmann::json;
using namespace json_fields;
using clock_type = std::chrono::steady_clock;

nn::EvalSet first_rows(const data::Dataset& d, std::size_t rows) {
  return {d.x.data(), d.y.data(), rows ? std::min(rows, d.rows) : d.rows};
}

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

}  // namespace

nn::InputGeom geom_of(const data::Dataset& d) {
  nn::InputGeom g;
  g.features = static_cast<std::int64_t>(d.features);
  g.channels = d.channels;
  g.height = d.height;
  g.width = d.width;
  g.classes = d.classes;
  return g;
}

void fingerprint_user_data(DataSpec& d) {
  std::vector<std::string> files;
  if (d.name.rfind("csv:", 0) == 0) {
    const data::CsvSpec c = data::parse_csv_spec(d.name, d.dir);
    files = {c.path, c.test};
  } else if (d.name.rfind("npy:", 0) == 0) {
    const data::NpySpec n = data::parse_npy_spec(d.name, d.dir);
    files = {n.x, n.y, n.test_x, n.test_y};
  } else {
    return;
  }
  std::string fp;
  for (const auto& f : files) {
    if (f.empty()) continue;
    struct stat st {};
    if (::stat(f.c_str(), &st) != 0)
      throw DataError("data file '" + f + "' (of --data " + d.name + ") cannot be read: " + std::strerror(errno));
    fp += (fp.empty() ? "" : ";") + f + ":" + std::to_string(st.st_size) + "@" + std::to_string(st.st_mtim.tv_sec) + "." +
          std::to_string(st.st_mtim.tv_nsec);
  }
  d.fingerprint = fp;
}

data::Split load_run_data(const DataSpec& d) {
  data::LoadOptions o;
  o.seed = d.seed;
  o.val_fraction = 0;  // the lab reports test accuracy; no model selection
  o.limit_train = d.train_rows;
  o.limit_test = d.test_rows;
  o.synthetic_rows = d.synthetic_rows;
  o.noise = d.noise;
  data::Split s = data::load(d.name, d.dir, o);
  data::normalise(s);
  return s;
}

std::vector<LayerStats> probe_model(nn::Model& m, const data::Dataset& d, std::size_t rows) {
  const std::size_t n = std::min(rows, d.rows);
  std::vector<LayerStats> out;
  if (n == 0) return out;
  const nn::Tensor& logits = m.forward(d.x.data(), std::int64_t(n), nn::Ctx{false});
  nn::Tensor dlogits(logits.shape);
  nn::head_loss(m.spec().head, logits, d.y.data(), &dlogits);
  m.backward(dlogits);
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

RunRecord run_one(const RunSpec& spec, const data::Split& split, const StepProgress& progress,
                  const std::function<void(nn::Model&, const data::Split&)>& inspect, const RunHooks& hooks) {
  spec.validate();
  const auto t_run = clock_type::now();
  RunRecord r;
  r.key = spec.key();
  r.hash = spec.hash();
  nn::Model model(spec.model, geom_of(split.train), spec.seed);
  nn::OptConfig oc = spec.opt;
  oc.total_epochs = spec.epochs;
  nn::Optimizer opt(oc);
  const MeasureSpec& ms = spec.measure;
  const nn::EvalSet test = first_rows(split.test, 0), train_eval = first_rows(split.train, ms.train_eval_rows),
                    curve_set = first_rows(split.test, ms.eval_rows);

  // Time spent in the hooks (evaluations, probes) is not training time.
  double hook_s = 0, epoch_hook_s = 0, done_s = 0;
  auto record = [&](int epoch, double seconds, std::uint64_t steps, const nn::EvalResult& te) {
    EpochProbe e;
    e.epoch = epoch;
    e.seconds = seconds;
    e.steps = steps;
    const nn::EvalResult tr = nn::evaluate(model, train_eval);
    e.train_loss = tr.loss;
    e.train_acc = tr.acc;
    e.test_loss = te.loss;
    e.test_acc = te.acc;
    e.test_ece = te.ece;
    e.layers = probe_model(model, split.train, ms.probe_rows);
    const bool finite = std::isfinite(e.train_loss) && std::isfinite(e.test_loss);
    r.epochs.push_back(std::move(e));
    return finite;
  };
  if (!record(0, 0, 0, nn::evaluate(model, test))) {
    r.diverged = true;
    r.note = "non-finite loss at initialisation";
    r.seconds = seconds_since(t_run);
    return r;
  }

  BatcherSource src(split.train, std::size_t(spec.batch), nn::hash_u64(spec.seed, 0xba7c));
  const std::uint64_t epoch_steps = std::uint64_t(spec.epochs) * src.batches_per_epoch();
  const std::uint64_t total_steps = spec.max_steps ? std::min(spec.max_steps, epoch_steps) : epoch_steps;
  nn::TrainConfig tc;
  tc.epochs = spec.epochs;
  tc.seed = spec.seed;
  tc.clip_grad = spec.clip_grad;
  tc.max_steps = spec.max_steps;
  tc.after_backward = hooks.after_backward;
  tc.on_step = [&](const nn::StepInfo& s) {
    if (progress) progress(s.step, total_steps);
    if (ms.eval_every > 0 && s.step % std::uint64_t(ms.eval_every) == 0) {
      const auto t0 = clock_type::now();
      const nn::EvalResult ev = nn::evaluate(model, curve_set);
      r.curve.push_back({s.step, done_s + s.elapsed_s - epoch_hook_s, ev.acc, ev.loss});
      epoch_hook_s += seconds_since(t0);
    }
    if (hooks.on_step) hooks.on_step(s);
  };
  std::uint64_t steps_done = 0;
  bool finite = true;
  tc.on_epoch = [&](const nn::EpochRecord& rec) {
    steps_done += src.batches_per_epoch();
    const double secs = rec.train_s - epoch_hook_s;
    done_s += secs;
    hook_s += epoch_hook_s;
    epoch_hook_s = 0;
    nn::EvalResult te;
    te.loss = rec.test_loss;
    te.acc = rec.test_acc;
    te.ece = rec.test_ece;
    finite = record(rec.epoch, secs, steps_done, te) && finite;
  };
  nn::RunState st;
  const nn::TrainResult res = nn::train(model, opt, src, test, nn::EvalSet{}, st, tc);
  if (!res.diverged && st.batch > 0) {  // stopped by max_steps inside an epoch: record that partial epoch
    const double secs = st.train_s - epoch_hook_s;
    finite = record(st.epoch + 1, secs, st.step, nn::evaluate(model, test)) && finite;
  }
  if (res.diverged) {
    r.diverged = true;
    r.note = res.message;
  } else if (!finite) {
    r.diverged = true;
    r.note = "the evaluation loss became non-finite";
  }
  if (inspect) inspect(model, split);
  r.seconds = seconds_since(t_run);
  return r;
}

json to_json(const RunRecord& r) {
  json epochs = json::array(), curve = json::array();
  for (const auto& e : r.epochs) {
    json layers = json::array();
    for (const auto& l : e.layers) layers.push_back(to_json(l));
    epochs.push_back({{"epoch", e.epoch},
                      {"train_loss", num(e.train_loss)},
                      {"train_acc", num(e.train_acc)},
                      {"test_loss", num(e.test_loss)},
                      {"test_acc", num(e.test_acc)},
                      {"test_ece", num(e.test_ece)},
                      {"seconds", num(e.seconds)},
                      {"steps", e.steps},
                      {"layers", layers}});
  }
  for (const auto& c : r.curve)
    curve.push_back({{"step", c.step}, {"seconds", num(c.seconds)}, {"test_acc", num(c.test_acc)},
                     {"test_loss", num(c.test_loss)}});
  return {{"key", r.key},   {"hash", r.hash},     {"diverged", r.diverged}, {"note", r.note},
          {"seconds", num(r.seconds)}, {"epochs", epochs}, {"curve", curve}};
}

RunRecord record_from_json(const json& j) {
  if (!j.is_object()) throw DataError("a run record is not a JSON object");
  RunRecord r;
  try {
    r.key = j.at("key").get<std::string>();
    r.hash = j.at("hash").get<std::string>();
    r.diverged = j.at("diverged").get<bool>();
    r.note = j.at("note").get<std::string>();
    if (!j.at("epochs").is_array() || !j.at("curve").is_array())
      throw DataError("fields 'epochs' and 'curve' must be arrays");
  } catch (const json::exception& e) {
    throw DataError(std::string("run record: ") + e.what());
  }
  r.seconds = nonneg(j, "seconds");
  int expect = 0;
  std::uint64_t last_steps = 0;
  for (const auto& je : j.at("epochs")) {
    if (!je.is_object()) throw DataError("an epoch record is not an object");
    EpochProbe e;
    if (!je.contains("epoch") || !je.at("epoch").is_number_integer() || je.at("epoch").get<int>() != expect)
      throw DataError("epoch records must be numbered 0, 1, 2, ... (expected " + std::to_string(expect) + ")");
    e.epoch = expect++;
    e.train_loss = nonneg(je, "train_loss");
    e.train_acc = fraction(je, "train_acc");
    e.test_loss = nonneg(je, "test_loss");
    e.test_acc = fraction(je, "test_acc");
    e.test_ece = fraction(je, "test_ece");
    e.seconds = nonneg(je, "seconds");
    if (!je.contains("steps") || !je.at("steps").is_number_unsigned())
      throw DataError("field 'steps' must be a non-negative integer");
    e.steps = je.at("steps").get<std::uint64_t>();
    if (e.steps < last_steps) throw DataError("field 'steps' decreases from one epoch to the next");
    last_steps = e.steps;
    if (!je.contains("layers") || !je.at("layers").is_array()) throw DataError("field 'layers' must be an array");
    for (const auto& jl : je.at("layers")) e.layers.push_back(layer_stats_from_json(jl));
    r.epochs.push_back(std::move(e));
  }
  if (r.epochs.empty()) throw DataError("a run record has no epoch (not even the initialisation)");
  for (const auto& jc : j.at("curve")) {
    if (!jc.is_object() || !jc.contains("step") || !jc.at("step").is_number_unsigned())
      throw DataError("a curve point needs a non-negative integer 'step'");
    CurvePoint c;
    c.step = jc.at("step").get<std::uint64_t>();
    c.seconds = nonneg(jc, "seconds");
    c.test_acc = fraction(jc, "test_acc");
    c.test_loss = nonneg(jc, "test_loss");
    r.curve.push_back(c);
  }
  return r;
}

}  // namespace actlab::lab
