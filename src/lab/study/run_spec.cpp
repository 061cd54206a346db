// RunSpec: its canonical key, the key's hash, and the checks of a finished
// spec (the ranges of the study keys' table, keys.cpp).
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "actlab/core/error.hpp"
#include "actlab/lab/run.hpp"
#include "keys.hpp"

namespace actlab::lab {
namespace {

using nlohmann::json;

// A float as a JSON number that reads back as the same float: the shortest
// decimal that round-trips the float (std::to_chars), held as the double
// nearest to it, which nlohmann prints round-trip exact. Non-finite values
// (never valid, but a key must still tell them apart) as strings.
json exact(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}
json exact(float v) {
  if (!std::isfinite(v)) return exact(double(v));
  const std::string s = study::shortest(v);
  double d = 0;
  std::from_chars(s.data(), s.data() + s.size(), d);
  return d;
}

json text(const std::string& s, const char* field) {
  if (!study::valid_utf8(s)) throw UsageError("field '" + std::string(field) + "': the text is not valid UTF-8");
  return s;
}

}  // namespace

std::string RunSpec::key() const {
  // nlohmann's objects keep their keys sorted: the text is canonical.
  // opt.total_epochs is left out: the run uses `epochs` (run_one sets it).
  json j = {
      {"v", 1},  // the key's format; a change re-runs every cached record
      {"data",
       {{"name", text(data.name, "data")},
        {"dir", text(data.dir, "data_dir")},
        {"train_rows", data.train_rows},
        {"test_rows", data.test_rows},
        {"synthetic_rows", data.synthetic_rows},
        {"noise", exact(data.noise)},
        {"seed", data.seed}}},
      {"model", nn::to_text(model)},  // exact: floats at 9 significant digits, the head included
      {"opt",
       {{"name", text(opt.name, "optimizer")},
        {"lr", exact(opt.lr)},
        {"momentum", exact(opt.momentum)},
        {"nesterov", opt.nesterov},
        {"weight_decay", exact(opt.weight_decay)},
        {"beta1", exact(opt.beta1)},
        {"beta2", exact(opt.beta2)},
        {"eps", exact(opt.eps)},
        {"alpha", exact(opt.alpha)},
        {"schedule", text(opt.schedule, "schedule")},
        {"step_epochs", opt.step_epochs},
        {"gamma", exact(opt.gamma)}}},
      {"epochs", epochs},
      {"batch", batch},
      {"clip_grad", exact(clip_grad)},
      {"seed", seed},
      {"measure",
       {{"eval_every", measure.eval_every},
        {"eval_rows", measure.eval_rows},
        {"probe_rows", measure.probe_rows},
        {"train_eval_rows", measure.train_eval_rows}}},
  };
  if (max_steps) j["max_steps"] = max_steps;
  if (!data.fingerprint.empty()) j["data"]["files"] = data.fingerprint;  // only for the user's files  // only when set: the keys of full-epoch runs stay as they were
  return j.dump();
}

std::string RunSpec::hash() const { return study::hash16(key()); }

void RunSpec::validate() const {
  if (const auto e = study::check_spec(*this)) throw UsageError("field '" + e->field + "': " + e->message);
}

}  // namespace actlab::lab
