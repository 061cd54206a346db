// Model spec parsing: user text -> ModelSpec, with errors that name the spec
// and show a valid example. Every number is checked before it sizes anything.
#include <algorithm>
#include <charconv>
#include <sstream>

#include "actlab/core/error.hpp"
#include "actlab/nn/model.hpp"

namespace actlab::nn {
namespace {

constexpr std::int64_t kMaxWidth = 1 << 16;  // per layer; larger is a typo, not a model
constexpr int kMaxDepth = 1000;

const char* kExamples =
    "valid specs: mlp:256,128,100 | cnn | cnn:32,64,1024 | resmlp:depth=20,width=64 | linear";

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;  // commas inside "(...)" belong to an activation's parameters
  for (char c : s) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == sep && depth == 0) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::int64_t parse_int(const std::string& tok, const std::string& spec, const char* what,
                       std::int64_t lo, std::int64_t hi) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  if (tok.empty() || ec != std::errc() || p != tok.data() + tok.size())
    throw UsageError("--model '" + spec + "': " + what + " '" + tok + "' is not an integer; " +
                     kExamples);
  if (v < lo || v > hi)
    throw UsageError("--model '" + spec + "': " + what + " " + tok + " is outside [" +
                     std::to_string(lo) + ", " + std::to_string(hi) + "]; " + kExamples);
  return v;
}

}  // namespace

std::vector<std::string> split_act_list(const std::string& text) { return split(text, ','); }

int ModelSpec::hidden_layers() const {
  if (arch == "cnn") return 3;
  if (arch == "resmlp") return depth + 1;
  if (arch == "linear") return 0;
  return static_cast<int>(widths.size());
}

ActSpec parse_act_spec(const std::string& text) {
  const auto lp = text.find('(');
  const std::string name = text.substr(0, lp);
  const auto a = act::find(name);
  if (!a)
    throw UsageError("activation '" + name + "' is not in the catalogue; choose one of: " +
                     act::all_names() + " (see 'actlab list')");
  ActSpec s{*a, act::defaults(*a)};
  if (lp != std::string::npos) {
    if (text.back() != ')')
      throw UsageError("activation '" + text + "': missing ')'; write e.g. leaky_relu(negative_slope=0.2)");
    std::vector<std::string> kvs;
    for (const auto& kv : split(text.substr(lp + 1, text.size() - lp - 2), ','))
      if (!kv.empty()) kvs.push_back(kv);
    const std::string err = act::set_params(s.act, s.params, kvs);
    if (!err.empty()) throw UsageError("activation '" + text + "': " + err);
  }
  const std::string err = act::validate(s.act, s.params);
  if (!err.empty()) throw UsageError("activation '" + text + "': " + err);
  return s;
}

std::string act_text(const ActSpec& a) {
  const auto& in = act::info(a.act);
  std::string s = in.name;
  if (in.nparams == 0) return s;
  s += "(";
  for (int i = 0; i < in.nparams; ++i) {
    std::ostringstream os;
    os.precision(9);
    os << a.params.v[i];
    s += (i ? "," : "") + std::string(in.params[i].name) + "=" + os.str();
  }
  return s + ")";
}

ModelSpec parse_model_spec(const std::string& model, const std::string& acts) {
  ModelSpec s;
  const auto colon = model.find(':');
  s.arch = model.substr(0, colon);
  const std::string rest = colon == std::string::npos ? "" : model.substr(colon + 1);
  if (colon != std::string::npos && rest.empty())
    throw UsageError("--model '" + model + "': nothing after ':'; " + kExamples);
  if (s.arch == "mlp") {
    if (rest.empty())
      throw UsageError("--model '" + model + "': an mlp needs its hidden widths, e.g. mlp:256,128");
    for (const auto& t : split(rest, ','))
      s.widths.push_back(parse_int(t, model, "width", 1, kMaxWidth));
  } else if (s.arch == "cnn") {
    s.widths = {32, 64, 1024};
    if (!rest.empty()) {
      const auto t = split(rest, ',');
      if (t.size() != 3)
        throw UsageError("--model '" + model + "': cnn takes 3 numbers (conv1 channels, conv2 "
                         "channels, dense width), e.g. cnn:32,64,1024");
      for (std::size_t i = 0; i < 3; ++i) s.widths[i] = parse_int(t[i], model, "size", 1, kMaxWidth);
    }
  } else if (s.arch == "resmlp") {
    s.depth = 20;
    s.widths = {64};
    if (!rest.empty()) {
      std::vector<std::string> seen;
      for (const auto& kv : split(rest, ',')) {
        const auto eq = kv.find('=');
        const std::string k = kv.substr(0, eq), v = eq == std::string::npos ? "" : kv.substr(eq + 1);
        if ((k == "depth" || k == "width") && std::find(seen.begin(), seen.end(), k) != seen.end())
          throw UsageError("--model '" + model + "': " + k + " is given twice; give each key once, "
                           "e.g. resmlp:depth=20,width=64");
        seen.push_back(k);
        if (k == "depth") s.depth = static_cast<int>(parse_int(v, model, "depth", 1, kMaxDepth));
        else if (k == "width") s.widths = {parse_int(v, model, "width", 1, kMaxWidth)};
        else
          throw UsageError("--model '" + model + "': unknown resmlp key '" + k +
                           "'; use depth=N,width=N, e.g. resmlp:depth=20,width=64");
      }
    }
  } else if (s.arch == "linear") {
    if (!rest.empty())
      throw UsageError("--model '" + model + "': linear takes no sizes (the input goes straight "
                       "to the output layer); write --model linear");
  } else {
    throw UsageError("--model '" + model + "': unknown architecture '" + s.arch + "'; " + kExamples);
  }
  s.acts.clear();
  for (const auto& t : split(acts, ',')) {
    if (t.empty()) throw UsageError("--acts '" + acts + "': empty entry; write e.g. relu,tanh");
    s.acts.push_back(parse_act_spec(t));
  }
  // linear has no hidden layer: its one (default) activation entry is unused.
  const int h = s.hidden_layers();
  if (s.acts.size() != 1 && static_cast<int>(s.acts.size()) != h)
    throw UsageError("--acts '" + acts + "' has " + std::to_string(s.acts.size()) +
                     " entries but --model '" + model + "' has " + std::to_string(h) +
                     " hidden layers; give one activation for all or exactly " + std::to_string(h));
  return s;
}

std::string to_text(const ModelSpec& s) {
  std::ostringstream os;
  os << s.arch;
  if (s.arch == "resmlp") {
    os << ":depth=" << s.depth << ",width=" << s.widths.at(0);
  } else if (s.arch != "linear") {
    os << ":";
    for (std::size_t i = 0; i < s.widths.size(); ++i) os << (i ? "," : "") << s.widths[i];
  }
  os << " acts=";
  for (std::size_t i = 0; i < s.acts.size(); ++i) os << (i ? ";" : "") << act_text(s.acts[i]);
  os.precision(9);
  os << " batchnorm=" << s.batchnorm << " layernorm=" << s.layernorm << " residual=" << s.residual
     << " dropout=" << s.dropout << " init=" << init_text(s.init)
     << " prelu_per_channel=" << s.prelu_per_channel << " head=" << head_text(s.head);
  return os.str();
}

ModelSpec from_text(const std::string& text) {
  std::istringstream is(text);
  std::string model, tok, acts;
  is >> model;
  ModelSpec opts;
  while (is >> tok) {
    const auto eq = tok.find('=');
    if (eq == std::string::npos) throw DataError("model spec '" + text + "': bad field '" + tok + "'");
    const std::string k = tok.substr(0, eq), v = tok.substr(eq + 1);
    try {
      if (k == "acts") {
        acts = v;
        for (auto& c : acts) if (c == ';') c = ',';
      } else if (k == "batchnorm") opts.batchnorm = v == "1";
      else if (k == "layernorm") opts.layernorm = v == "1";
      else if (k == "residual") opts.residual = v == "1";
      else if (k == "dropout") opts.dropout = std::stof(v);
      else if (k == "init") opts.init = parse_init(v);
      else if (k == "prelu_per_channel") opts.prelu_per_channel = v == "1";
      else if (k == "head") opts.head = parse_head(v);
      else throw DataError("model spec '" + text + "': unknown field '" + k + "'");
    } catch (const std::logic_error&) {
      throw DataError("model spec '" + text + "': bad value in '" + tok + "'");
    } catch (const UsageError& e) {  // parse_init / parse_head: an unknown name
      throw DataError("model spec '" + text + "': bad value in '" + tok + "': " + e.what());
    }
  }
  ModelSpec s;
  try {
    s = parse_model_spec(model, acts);
  } catch (const UsageError& e) {
    throw DataError(std::string("stored model spec is invalid: ") + e.what());
  }
  s.batchnorm = opts.batchnorm;
  s.layernorm = opts.layernorm;
  s.residual = opts.residual;
  s.dropout = opts.dropout;
  s.init = opts.init;
  s.prelu_per_channel = opts.prelu_per_channel;
  s.head = opts.head;
  if (!(s.dropout >= 0 && s.dropout < 1)) throw DataError("model spec '" + text + "': dropout out of [0, 1)");
  return s;
}

}  // namespace actlab::nn
