// The settings keys of a study: the one table (keys.hpp) and the checks of
// a finished RunSpec built on it.
#include "keys.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "actlab/core/error.hpp"
#include "actlab/nn/loss.hpp"

namespace actlab::lab::study {
namespace {

constexpr std::int64_t kMaxRows = 100'000'000;           // a data set's rows; larger is a typo
constexpr std::int64_t kMaxSynthetic = std::int64_t{1} << 26;  // data::LoadOptions' bound
constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();

Value I(std::int64_t i) {
  Value v;
  v.type = Value::Type::integer;
  v.i = i;
  return v;
}
Value D(double d) {
  Value v;
  v.type = Value::Type::real;
  v.d = d;
  return v;
}
Value B(bool b) {
  Value v;
  v.type = Value::Type::boolean;
  v.b = b;
  return v;
}
Value S(std::string s) {
  Value v;
  v.type = Value::Type::text;
  v.s = std::move(s);
  return v;
}

using Apply = void (*)(RunSpec&, const Value&);
using Get = std::optional<Value> (*)(const RunSpec&);
using Check = std::string (*)(const std::string&);

KeyDef integer(const char* name, Stage st, std::int64_t lo, std::int64_t hi, const char* help, Apply apply, Get get) {
  KeyDef k{name, st, Kind::integer};
  k.ilo = lo;
  k.ihi = hi;
  k.help = help;
  k.apply = apply;
  k.get = get;
  return k;
}

KeyDef real(const char* name, Stage st, double lo, bool lo_open, double hi, bool hi_open, bool f32, const char* help,
            Apply apply, Get get) {
  KeyDef k{name, st, Kind::real};
  k.dlo = lo;
  k.dhi = hi;
  k.dlo_open = lo_open;
  k.dhi_open = hi_open;
  k.f32 = f32;
  k.help = help;
  k.apply = apply;
  k.get = get;
  return k;
}

KeyDef boolean(const char* name, const char* help, Apply apply, Get get) {
  KeyDef k{name, Stage::rest, Kind::boolean};
  k.help = help;
  k.apply = apply;
  k.get = get;
  return k;
}

KeyDef text(const char* name, Stage st, const char* choices, Check check, const char* help, Apply apply, Get get) {
  KeyDef k{name, st, Kind::text};
  k.choices = choices;
  k.check = check;
  k.help = help;
  k.apply = apply;
  k.get = get;
  return k;
}

std::string check_data(const std::string& s) {
  for (const char* n : {"fashion-mnist", "xor", "spiral", "moons", "circles"})
    if (s == n) return "";
  if (s.rfind("csv:", 0) == 0 || s.rfind("npy:", 0) == 0) {
    if (s.size() > 4) return "";  // the loader checks the files
    return "'" + s + "' names no file; write e.g. csv:iris.csv,label=species or npy:x.npy,y.npy";
  }
  return "'" + s + "' is not a data set; choose fashion-mnist, xor, spiral, moons, circles, csv:PATH or npy:PATH";
}

std::string check_model(const std::string& s) {
  try {
    nn::parse_model_spec(s);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

std::string check_init(const std::string& s) {
  try {
    nn::parse_init(s);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

std::string check_head(const std::string& s) {
  try {
    nn::parse_head(s);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

// Applies an optimizer name; presets set momentum and nesterov (a later
// `momentum` key overrides the preset's 0.9).
void apply_optimizer(RunSpec& r, const Value& v) {
  auto& o = r.opt;
  o.momentum = 0;
  o.nesterov = false;
  if (v.s == "sgd+momentum" || v.s == "nesterov") {
    o.name = "sgd";
    o.momentum = 0.9f;
    o.nesterov = v.s == "nesterov";
  } else {
    o.name = v.s;
  }
}

std::vector<KeyDef> make_keys() {
  using R = RunSpec;
  using V = Value;
  using O = std::optional<Value>;
  std::vector<KeyDef> k;
  // Data.
  k.push_back(text("data", Stage::data, nullptr, check_data, "data set (data::load name)",
                   [](R& r, const V& v) { r.data.name = v.s; }, [](const R& r) -> O { return S(r.data.name); }));
  k.push_back(text("data_dir", Stage::data, nullptr, nullptr, "fashion-mnist folder (\"\" = Debian's package)",
                   [](R& r, const V& v) { r.data.dir = v.s; }, [](const R& r) -> O { return S(r.data.dir); }));
  k.push_back(integer("train_size", Stage::data, 0, kMaxRows, "training rows, 0 = all",
                      [](R& r, const V& v) { r.data.train_rows = std::size_t(v.i); },
                      [](const R& r) -> O { return I(std::int64_t(r.data.train_rows)); }));
  k.push_back(integer("test_size", Stage::data, 0, kMaxRows, "test rows, 0 = all",
                      [](R& r, const V& v) { r.data.test_rows = std::size_t(v.i); },
                      [](const R& r) -> O { return I(std::int64_t(r.data.test_rows)); }));
  k.push_back(integer("rows", Stage::data, 4, kMaxSynthetic, "synthetic sets: training rows (test: half)",
                      [](R& r, const V& v) { r.data.synthetic_rows = std::size_t(v.i); },
                      [](const R& r) -> O { return I(std::int64_t(r.data.synthetic_rows)); }));
  k.push_back(real("noise", Stage::data, 0, false, kInf, false, false, "synthetic sets: Gaussian noise (std)",
                   [](R& r, const V& v) { r.data.noise = v.d; }, [](const R& r) -> O { return D(r.data.noise); }));
  k.push_back(integer("data_seed", Stage::data, 0, kMaxInt, "which subset / synthetic draw, the same for every run seed (default 1)",
                      [](R& r, const V& v) { r.data.seed = std::uint64_t(v.i); }, nullptr));  // any uint64 runs
  // Model structure: built together (study_file.cpp), checked by check_spec.
  k.push_back(text("model", Stage::structure, nullptr, check_model,
                   "the model, nn::parse_model_spec syntax (default mlp:128,64)",
                   nullptr, nullptr));
  k.push_back(integer("depth", Stage::structure, 0, 1000,
                      "an mlp of `depth` hidden layers of `width` units instead of `model` (0 = linear)", nullptr,
                      nullptr));
  k.push_back(integer("width", Stage::structure, 1, 1 << 16,
                      "units per hidden layer of the depth-built mlp (default 64); without depth: every hidden "
                      "width of an mlp or resmlp `model`",
                      nullptr, nullptr));
  {
    KeyDef a{"act", Stage::structure, Kind::act};
    a.help = "the hidden layers' activations (alias: activation; default relu)";
    k.push_back(a);
  }
  // Everything else, in this order.
  k.push_back(text("norm", Stage::rest, "none|batchnorm|layernorm", nullptr, "normalisation after every hidden affine layer",
                   [](R& r, const V& v) {
                     r.model.batchnorm = v.s == "batchnorm";
                     r.model.layernorm = v.s == "layernorm";
                   },
                   [](const R& r) -> O {
                     return S(r.model.batchnorm ? (r.model.layernorm ? "batchnorm+layernorm" : "batchnorm")
                                                : r.model.layernorm ? "layernorm" : "none");
                   }));
  k.push_back(boolean("residual", "skip connections around hidden layers of equal width",
                      [](R& r, const V& v) { r.model.residual = v.b; }, [](const R& r) -> O { return B(r.model.residual); }));
  k.push_back(real("dropout", Stage::rest, 0, false, 1, true, true, "dropout probability after hidden activations",
                   [](R& r, const V& v) { r.model.dropout = float(v.d); },
                   [](const R& r) -> O { return D(r.model.dropout); }));
  k.push_back(boolean("prelu_per_channel", "prelu: one learnable slope per channel instead of per layer",
                      [](R& r, const V& v) { r.model.prelu_per_channel = v.b; },
                      [](const R& r) -> O { return B(r.model.prelu_per_channel); }));
  k.push_back(text("init", Stage::rest, nullptr, check_init,
                   "weight initializer (nn::parse_init)",
                   [](R& r, const V& v) { r.model.init = nn::parse_init(v.s); },
                   [](const R& r) -> O { return S(nn::init_text(r.model.init)); }));
  k.push_back(text("head", Stage::rest, nullptr, check_head, "output head and loss (nn::parse_head)",
                   [](R& r, const V& v) { r.model.head = nn::parse_head(v.s); },
                   [](const R& r) -> O { return S(nn::head_text(r.model.head)); }));
  k.push_back(text("optimizer", Stage::rest, "sgd|sgd+momentum|nesterov|rmsprop|adam|adamw", nullptr,
                   "sgd+momentum = sgd with momentum 0.9, nesterov = the same with Nesterov momentum", apply_optimizer,
                   [](const R& r) -> O { return S(r.opt.nesterov && r.opt.name == "sgd" ? "nesterov" : r.opt.name); }));
  k.push_back(real("lr", Stage::rest, 0, true, kInf, false, true, "learning rate",
                   [](R& r, const V& v) { r.opt.lr = float(v.d); }, [](const R& r) -> O { return D(r.opt.lr); }));
  k.push_back(real("momentum", Stage::rest, 0, false, 1, true, true, "sgd momentum (after `optimizer`'s preset)",
                   [](R& r, const V& v) { r.opt.momentum = float(v.d); },
                   [](const R& r) -> O { return D(r.opt.momentum); }));
  k.push_back(real("weight_decay", Stage::rest, 0, false, kInf, false, true,
                   "weight decay of the weights (L2 in sgd/rmsprop/adam, decoupled in adamw)",
                   [](R& r, const V& v) { r.opt.weight_decay = float(v.d); },
                   [](const R& r) -> O { return D(r.opt.weight_decay); }));
  k.push_back(text("schedule", Stage::rest, "none|step|cosine", nullptr,
                   "learning-rate schedule: step multiplies by gamma every step_epochs, cosine decays to 0 over the epochs",
                   [](R& r, const V& v) { r.opt.schedule = v.s; }, [](const R& r) -> O { return S(r.opt.schedule); }));
  k.push_back(integer("step_epochs", Stage::rest, 1, 10000, "schedule step: epochs between decays",
                      [](R& r, const V& v) { r.opt.step_epochs = int(v.i); },
                      [](const R& r) -> O { return I(r.opt.step_epochs); }));
  k.push_back(real("gamma", Stage::rest, 0, true, 1, false, true, "schedule step: factor per decay",
                   [](R& r, const V& v) { r.opt.gamma = float(v.d); }, [](const R& r) -> O { return D(r.opt.gamma); }));
  k.push_back(integer("epochs", Stage::rest, 1, 10000, "training epochs",
                      [](R& r, const V& v) { r.epochs = int(v.i); }, [](const R& r) -> O { return I(r.epochs); }));
  k.push_back(integer("max_steps", Stage::rest, 0, 1'000'000'000'000, "> 0: stop after this many optimisation steps, "
                      "inside an epoch if need be (`epochs` must cover them)",
                      [](R& r, const V& v) { r.max_steps = std::uint64_t(v.i); },
                      [](const R& r) -> O { return I(r.max_steps > std::uint64_t(kMaxInt) ? -1 : std::int64_t(r.max_steps)); }));
  k.push_back(integer("batch", Stage::rest, 1, 65536, "mini-batch size",
                      [](R& r, const V& v) { r.batch = int(v.i); }, [](const R& r) -> O { return I(r.batch); }));
  k.push_back(real("clip_grad", Stage::rest, 0, false, kInf, false, true, "> 0: clip the global gradient norm to this",
                   [](R& r, const V& v) { r.clip_grad = float(v.d); }, [](const R& r) -> O { return D(r.clip_grad); }));
  k.push_back(integer("eval_every", Stage::rest, 0, 1'000'000'000, "> 0: test accuracy every N steps too (curves)",
                      [](R& r, const V& v) { r.measure.eval_every = int(v.i); },
                      [](const R& r) -> O { return I(r.measure.eval_every); }));
  k.push_back(integer("eval_rows", Stage::rest, 0, kMaxRows, "test rows of those evaluations, 0 = all",
                      [](R& r, const V& v) { r.measure.eval_rows = std::size_t(v.i); },
                      [](const R& r) -> O { return I(std::int64_t(r.measure.eval_rows)); }));
  k.push_back(integer("probe_rows", Stage::rest, 0, 100000, "training rows of the probe batch, 0 = no probes",
                      [](R& r, const V& v) { r.measure.probe_rows = std::size_t(v.i); },
                      [](const R& r) -> O { return I(std::int64_t(r.measure.probe_rows)); }));
  k.push_back(integer("train_eval_rows", Stage::rest, 0, kMaxRows, "training rows evaluated per epoch, 0 = all",
                      [](R& r, const V& v) { r.measure.train_eval_rows = std::size_t(v.i); },
                      [](const R& r) -> O { return I(std::int64_t(r.measure.train_eval_rows)); }));
  return k;
}

std::string choices_text(const char* c) {
  std::string s;
  for (const char* p = c; *p; ++p) s += *p == '|' ? std::string(", ") : std::string(1, *p);
  return s;
}

bool in_choices(const char* c, const std::string& v) {
  std::string_view all(c);
  std::size_t at = 0;
  while (at <= all.size()) {
    const auto bar = all.find('|', at);
    const auto e = bar == std::string_view::npos ? all.size() : bar;
    if (all.substr(at, e - at) == v) return true;
    at = e + 1;
  }
  return false;
}

std::string num(double d) {
  if (d == kInf) return "inf";
  return shortest(d);
}

}  // namespace

std::string shortest(float v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string shortest(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

bool valid_utf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned c = p[i];
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > n) return false;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (std::size_t j = 1; j < len; ++j) {
      if ((p[i + j] >> 6) != 2) return false;
      cp = (cp << 6) | (p[i + j] & 0x3f);
    }
    // Overlong forms, surrogates, beyond U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

std::string hash16(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a, 64 bits
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  static const char* digits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[std::size_t(i)] = digits[h & 15];
  return out;
}

const std::vector<KeyDef>& keys() {
  static const std::vector<KeyDef> k = make_keys();
  return k;
}

const KeyDef* find_key(const std::string& name) {
  const std::string n = name == "activation" ? "act" : name;
  for (const auto& k : keys())
    if (n == k.name) return &k;
  return nullptr;
}

std::string accepted(const KeyDef& k) {
  switch (k.kind) {
    case Kind::integer:
      return "an integer in [" + std::to_string(k.ilo) + ", " + std::to_string(k.ihi) + "]";
    case Kind::real: {
      std::string s = "a number";
      if (k.dhi == kInf) return s + (k.dlo_open ? " > " : " >= ") + num(k.dlo) + " (finite)";
      return s + " in " + (k.dlo_open ? "(" : "[") + num(k.dlo) + ", " + num(k.dhi) + (k.dhi_open ? ")" : "]");
    }
    case Kind::boolean: return "true or false";
    case Kind::text:
      if (k.choices) return "one of: " + choices_text(k.choices);
      if (std::string(k.name) == "data") return "fashion-mnist, xor, spiral, moons, circles, csv:PATH or npy:PATH";
      if (std::string(k.name) == "model")
        return "a model spec: mlp:128,64 | cnn | cnn:8,16,64 | resmlp:depth=8,width=64 | linear";
      if (std::string(k.name) == "init") {  // nn's names, in InitKind order
        std::string s = "one of: ";
        for (int i = 0; i < 64; ++i) {
          const std::string t = nn::init_text(static_cast<nn::InitKind>(i));
          if (t == "?") break;
          s += (i ? ", " : "") + t;
        }
        return s;
      }
      if (std::string(k.name) == "head") return "one of: " + nn::head_names();
      return "a string";
    case Kind::act:
      return "an activation (\"relu\", \"leaky_relu(negative_slope=0.1)\"), a per-layer list \"relu,relu,tanh\", or "
             "an array of activations, one per hidden layer (names: actlab list)";
  }
  return "";
}

std::string check_value(const KeyDef& k, const Value& v) {
  switch (k.kind) {
    case Kind::integer:
      if (v.i < k.ilo || v.i > k.ihi) return std::to_string(v.i) + " is out of range; accepted: " + accepted(k);
      return "";
    case Kind::real: {
      const bool lo_ok = k.dlo_open ? v.d > k.dlo : v.d >= k.dlo;
      const bool hi_ok = k.dhi == kInf ? std::isfinite(v.d) : k.dhi_open ? v.d < k.dhi : v.d <= k.dhi;
      if (!lo_ok || !hi_ok || !std::isfinite(v.d))
        return shortest(v.d) + " is out of range; accepted: " + accepted(k);
      if (k.f32 && ((v.d != 0 && float(v.d) == 0.f) || !std::isfinite(float(v.d))))  // stored as float32
        return shortest(v.d) + " is " + (float(v.d) == 0.f ? "0" : "infinite") + " as a float32; accepted: " +
               accepted(k);
      return "";
    }
    case Kind::boolean: return "";
    case Kind::text:
      if (!valid_utf8(v.s)) return "the text is not valid UTF-8; accepted: " + accepted(k);
      if (k.choices && !in_choices(k.choices, v.s)) return "'" + v.s + "' is not accepted; accepted: " + accepted(k);
      if (k.check) return k.check(v.s);
      return "";
    case Kind::act: {
      const auto one = [](const std::string& t) -> std::string {
        if (!valid_utf8(t)) return "the text is not valid UTF-8";
        try {
          nn::parse_act_spec(t);
        } catch (const UsageError& e) {
          return e.what();
        }
        return "";
      };
      if (v.type == Value::Type::texts) {
        if (v.list.empty()) return "an empty array; give one activation per hidden layer, e.g. [\"relu\", \"tanh\"]";
        for (const auto& t : v.list)
          if (const auto e = one(t); !e.empty()) return e;
        return "";
      }
      // A string: one activation or a comma list; the list is checked
      // against the model it applies to (nn::parse_model_spec splits it).
      if (v.s.empty()) return "an empty activation; accepted: " + accepted(k);
      return valid_utf8(v.s) ? "" : "the text is not valid UTF-8";
    }
  }
  return "";
}

std::string label(const Value& v) {
  switch (v.type) {
    case Value::Type::integer: return std::to_string(v.i);
    case Value::Type::real: return shortest(v.d);
    case Value::Type::boolean: return v.b ? "true" : "false";
    case Value::Type::text: return v.s;
    case Value::Type::texts: {
      std::string s;
      for (std::size_t i = 0; i < v.list.size(); ++i) s += (i ? "," : "") + v.list[i];
      return s;
    }
  }
  return "";
}

std::string canonical(const KeyDef& k, const Value& v) {
  if (v.type == Value::Type::real && k.f32) return shortest(float(v.d));
  return label(v);
}

const RunSpec& default_spec() {
  static const RunSpec s = [] {
    RunSpec r;
    r.model = nn::parse_model_spec(kDefaultModel);
    return r;
  }();
  return s;
}

std::optional<FieldError> check_spec(const RunSpec& s) {
  // The table's ranges and choices on every field it can read back.
  for (const auto& k : keys()) {
    if (!k.get) continue;
    const auto v = k.get(s);
    if (!v) continue;
    std::string e = check_value(k, *v);
    if (!e.empty()) return FieldError{k.name, e};
  }
  // Model structure.
  const auto& m = s.model;
  const int h = m.hidden_layers();
  const auto width_ok = [&] {
    for (auto w : m.widths)
      if (w < 1 || w > (1 << 16)) return false;
    return true;
  }();
  if (m.arch == "mlp") {
    if (m.widths.empty()) return FieldError{"model", "an mlp without hidden widths; write e.g. mlp:128,64 (or linear)"};
  } else if (m.arch == "cnn") {
    if (m.widths.size() != 3) return FieldError{"model", "a cnn takes 3 sizes, e.g. cnn:32,64,1024"};
  } else if (m.arch == "resmlp") {
    if (m.widths.size() != 1 || m.depth < 1 || m.depth > 1000)
      return FieldError{"model", "a resmlp takes depth in [1, 1000] and one width, e.g. resmlp:depth=20,width=64"};
  } else if (m.arch == "linear") {
    if (!m.widths.empty()) return FieldError{"model", "linear has no hidden widths"};
  } else {
    return FieldError{"model", "unknown architecture '" + m.arch + "'; accepted: mlp, cnn, resmlp, linear"};
  }
  if (!width_ok) return FieldError{"model", "a hidden width outside [1, 65536]"};
  if (m.acts.empty()) return FieldError{"act", "no activation; give one for all hidden layers or one per layer"};
  if (m.acts.size() != 1 && static_cast<int>(m.acts.size()) != h)
    return FieldError{"act", std::to_string(m.acts.size()) + " activations for a model with " + std::to_string(h) +
                                 " hidden layers; give one for all or exactly " + std::to_string(h)};
  for (const auto& a : m.acts)
    if (const std::string e = act::validate(a.act, a.params); !e.empty())
      return FieldError{"act", "activation '" + nn::act_text(a) + "': " + e};
  // Optimizer fields without a key of their own.
  const auto& o = s.opt;
  if (o.nesterov && o.name != "sgd") return FieldError{"optimizer", "nesterov momentum is an sgd option"};
  if (!(o.beta1 >= 0 && o.beta1 < 1) || !(o.beta2 >= 0 && o.beta2 < 1) || !(o.eps > 0) || !std::isfinite(o.eps) ||
      !(o.alpha >= 0 && o.alpha < 1))
    return FieldError{"optimizer", "beta1, beta2, alpha must be in [0, 1) and eps > 0"};
  try {
    nn::validate(o);
  } catch (const UsageError& e) {
    return FieldError{"optimizer", e.what()};
  }
  return std::nullopt;
}

}  // namespace actlab::lab::study
