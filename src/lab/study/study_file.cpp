// Study files: TOML -> experiments -> grids of RunSpecs. Every value is
// type- and range-checked at its line against the one table of keys
// (keys.cpp); every grid point is then built in the fixed application order
// and checked as a whole (RunSpec::validate's checks), so an error names the
// file, the line, the field and what is accepted.
#include "actlab/lab/study_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "keys.hpp"

namespace actlab::lab {
namespace {

using nlohmann::json;
using study::Kind;
using study::KeyDef;
using study::Value;

constexpr std::size_t kMaxFileBytes = std::size_t{1} << 20;
constexpr std::int64_t kMaxSeeds = 1000;
constexpr std::size_t kMaxCells = 10000;     // grid points per experiment
constexpr std::size_t kMaxRuns = 1'000'000;  // cells x seeds over the study

// Where a value came from: "FILE:LINE" (or "--set 'k=v'") and the field.
struct Origin {
  std::string where, field;
};

[[noreturn]] void fail(const Origin& o, const std::string& msg) {
  throw UsageError(o.where + ": field '" + o.field + "': " + msg);
}

struct Setting {
  const KeyDef* key = nullptr;
  Value value;
  Origin at;
};
// The settings of one table ([defaults], [experiment.set], one grid point
// of the axes, the command line's --set), at most one per key.
using Level = std::vector<Setting>;

// One value of an axis: a value of its key (depth = [2, 4]), or a table of
// settings with a label (variant = [{ label = "bn", norm = "batchnorm" }]).
struct AxisValue {
  std::string label;
  Level settings;
  Origin at;
};

struct Axis {
  std::string name;             // the coordinate's name
  const KeyDef* key = nullptr;  // the key of a value axis; nullptr for a table axis
  Origin at;
  std::uint32_t line = 0, column = 0;  // of the key: the axes' order
  std::vector<AxisValue> values;
  std::set<const KeyDef*> sets;  // every key its values set
};

struct ExperimentDef {
  Experiment e;
  Origin at;
  Level set;
  std::vector<Axis> axes;
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() > 64 || b.size() > 64) return 64;  // no suggestion for long text
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::vector<std::string> setting_names() {
  std::vector<std::string> n;
  for (const auto& k : study::keys()) n.push_back(k.name);
  n.push_back("activation");  // alias of act
  return n;
}

// "unknown key 'lrr'; did you mean 'lr'? accepted: ..."
std::string unknown(const std::string& what, const std::string& name, const std::vector<std::string>& known,
                    const std::string& hint = "") {
  std::string best;
  std::size_t bd = 64;
  for (const auto& k : known)
    if (const auto d = edit_distance(name, k); d < bd) bd = d, best = k;
  const std::size_t tolerance = name.size() <= 3 ? 1 : name.size() <= 6 ? 2 : 3;
  std::string s = "unknown " + what;
  if (bd <= tolerance) s += "; did you mean '" + best + "'?";
  if (!hint.empty()) s += "; " + hint;
  return s + "; accepted: " + join(known);
}

const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date/time";
    default: return "nothing";
  }
}

bool is(const KeyDef* k, const char* name) { return k && std::string(k->name) == name; }

class Parser {
 public:
  explicit Parser(std::string source) : source_(std::move(source)) {}

  std::string where(const toml::source_region& r) const { return source_ + ":" + std::to_string(r.begin.line); }
  Origin at(const toml::node& n, const std::string& field) const { return {where(n.source()), field}; }
  Origin at(const toml::key& k, const std::string& field) const { return {where(k.source()), field}; }

  // A TOML value as what `k` takes; type and range checked.
  Value value(const toml::node& n, const KeyDef& k, const Origin& o) const {
    Value v;
    const auto wrong = [&] { fail(o, std::string("expected ") + expected(k) + ", got " + type_name(n) + "; accepted: " + study::accepted(k)); };
    switch (k.kind) {
      case Kind::integer:
        if (const auto* x = n.as_integer()) {
          v.type = Value::Type::integer;
          v.i = x->get();
        } else {
          wrong();
        }
        break;
      case Kind::real:
        v.type = Value::Type::real;
        if (const auto* x = n.as_integer()) v.d = double(x->get());
        else if (const auto* f = n.as_floating_point()) v.d = f->get();
        else wrong();
        break;
      case Kind::boolean:
        if (const auto* x = n.as_boolean()) {
          v.type = Value::Type::boolean;
          v.b = x->get();
        } else {
          wrong();
        }
        break;
      case Kind::text:
        if (const auto* x = n.as_string()) v.s = x->get();
        else wrong();
        break;
      case Kind::act:
        if (const auto* x = n.as_string()) {
          v.s = x->get();
        } else if (const auto* a = n.as_array()) {
          v.type = Value::Type::texts;
          for (const auto& e : *a) {
            const auto* s = e.as_string();
            if (!s) fail(at(e, o.field), std::string("a per-layer array holds strings, got ") + type_name(e) +
                                             "; write e.g. [\"relu\", \"tanh\"]");
            v.list.push_back(s->get());
          }
        } else {
          wrong();
        }
        break;
    }
    if (const std::string e = study::check_value(k, v); !e.empty()) fail(o, e);
    return v;
  }

  static const char* expected(const KeyDef& k) {
    switch (k.kind) {
      case Kind::integer: return "an integer";
      case Kind::real: return "a number";
      case Kind::boolean: return "a boolean";
      case Kind::text: return "a string";
      case Kind::act: return "a string or an array of strings";
    }
    return "";
  }

  // [defaults] or [experiment.set].
  Level settings(const toml::node& n, const std::string& field) const {
    const auto* t = n.as_table();
    if (!t) fail(at(n, field), std::string("expected a table of settings, got ") + type_name(n) + "; write [" + field + "]");
    return settings(*t, field, nullptr);
  }

  // A table of settings; `label`, when given, receives its "label" key.
  Level settings(const toml::table& t, const std::string& field, std::string* label) const {
    Level out;
    for (auto&& [k, v] : t) {
      const std::string name(k.str());
      const Origin o = at(k, field + "." + name);
      if (label && name == "label") {
        *label = text(v, at(v, o.field));
        if (label->empty()) fail(at(v, o.field), "an empty label; write e.g. label = \"batchnorm\"");
        continue;
      }
      const KeyDef* def = study::find_key(name);
      if (!def)
        fail(o, unknown("key", name, setting_names(), label ? "a table value of an axis holds a label and settings" : ""));
      add(out, Setting{def, value(v, *def, at(v, o.field)), o});
    }
    return out;
  }

  // Adds to a level, refusing two spellings of one key and model + depth.
  static void add(Level& level, Setting s) {
    for (const auto& x : level)
      if (x.key == s.key)
        fail(s.at, "sets '" + std::string(s.key->name) + "' again (" + x.at.where + ", as '" + x.at.field +
                       "'); keep one");
    level.push_back(std::move(s));
    check_structure(level);
  }

  // `model` and `depth` both build the model: not in one table.
  static void check_structure(const Level& level) {
    const Setting *m = nullptr, *d = nullptr;
    for (const auto& x : level) {
      if (std::string(x.key->name) == "model") m = &x;
      if (std::string(x.key->name) == "depth") d = &x;
    }
    if (m && d)
      fail(d->at, "'depth' and 'model' (" + m->at.where + ") in one table: depth builds an mlp of `depth` layers "
                  "of `width` units in place of `model`; keep one");
  }

  std::vector<Axis> axes(const toml::node& n, const std::string& field) const {
    const auto* t = n.as_table();
    if (!t) fail(at(n, field), std::string("expected a table of axes, got ") + type_name(n) +
                                   "; write [experiment.axes] with e.g. depth = [2, 4, 8]");
    std::vector<Axis> out;
    for (auto&& [k, v] : *t) {
      const std::string name(k.str());
      Axis ax;
      ax.at = at(k, field + "." + name);
      ax.line = k.source().begin.line;
      ax.column = k.source().begin.column;
      const auto* arr = v.as_array();
      const bool tables = arr && !arr->empty() && (*arr)[0].is_table();
      const KeyDef* key = study::find_key(name);
      ax.name = key ? key->name : name;
      if (!tables) {
        ax.key = key;
        if (!ax.key)
          fail(ax.at, unknown("axis", name, setting_names(),
                              "an axis of another name takes tables: " + name +
                                  " = [{ label = \"a\", lr = 0.1 }, { label = \"b\", lr = 0.01, momentum = 0.9 }]"));
      } else if (!valid_name(name)) {
        fail(ax.at, "'" + name + "' is not a valid axis name; accepted: 1 to 64 characters of a-z, 0-9, _ and -");
      }
      if (!arr)
        fail(at(v, ax.at.field), std::string("an axis takes an array of values, got ") + type_name(v) +
                                     "; write e.g. " + name + " = [a, b]; a single value goes in [experiment.set]");
      if (arr->empty()) fail(at(v, ax.at.field), "an empty axis; give at least one value, e.g. " + name + " = [a, b]");
      std::map<std::string, std::string> seen;  // canonical value or label -> where
      for (const auto& e : *arr) {
        AxisValue av;
        av.at = at(e, ax.at.field);
        std::string c;
        if (tables) {
          const auto* et = e.as_table();
          if (!et)
            fail(av.at, std::string("the axis' values are tables (label and settings), this one is ") + type_name(e) +
                            "; write { label = \"...\", KEY = VALUE }");
          av.settings = settings(*et, ax.at.field, &av.label);
          if (av.label.empty()) fail(av.at, "a table value of an axis needs label = \"...\" (its coordinate)");
          c = av.label;
        } else {
          Setting s{ax.key, value(e, *ax.key, av.at), av.at};
          c = study::canonical(*ax.key, s.value);
          av.label = study::label(s.value);
          av.settings.push_back(std::move(s));
        }
        if (const auto it = seen.find(c); it != seen.end())
          fail(av.at, std::string(tables ? "duplicate label " : "duplicate value ") + av.label + " (also at " +
                          it->second + "); give each value of an axis once");
        seen.emplace(c, av.at.where);
        for (const auto& st : av.settings) ax.sets.insert(st.key);
        ax.values.push_back(std::move(av));
      }
      for (const auto& other : out)
        if (other.name == ax.name)
          fail(ax.at, "the axis '" + ax.name + "' twice (also " + other.at.field + " at " + other.at.where +
                          "); keep one");
      out.push_back(std::move(ax));
    }
    // toml++ iterates keys sorted by name: the file's order is that of the lines.
    std::sort(out.begin(), out.end(), [](const Axis& a, const Axis& b) {
      return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    // One grid point takes one value of every axis: they must not set the same
    // key, nor build the model two ways (model and depth).
    for (std::size_t i = 0; i < out.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        for (const KeyDef* k : out[i].sets)
          for (const KeyDef* l : out[j].sets)
            if (k == l || (is(k, "model") && is(l, "depth")) || (is(k, "depth") && is(l, "model")))
              fail(out[i].at, "the axes '" + out[j].name + "' (" + out[j].at.where + ") and '" + out[i].name +
                                  "' both set " + (k == l ? "'" + std::string(k->name) + "'"
                                                          : std::string("the model ('model' and 'depth')")) +
                                  "; a grid point takes one value of each axis, so set it in one of them");
    return out;
  }

  static json to_json(const toml::node& n) {
    if (const auto* t = n.as_table()) {
      json j = json::object();
      for (auto&& [k, v] : *t) j[std::string(k.str())] = to_json(v);
      return j;
    }
    if (const auto* a = n.as_array()) {
      json j = json::array();
      for (const auto& v : *a) j.push_back(to_json(v));
      return j;
    }
    if (const auto* s = n.as_string()) return s->get();
    if (const auto* i = n.as_integer()) return i->get();
    if (const auto* f = n.as_floating_point()) return f->get();
    if (const auto* b = n.as_boolean()) return b->get();
    std::ostringstream os;  // dates and times: their TOML text
    if (const auto* d = n.as_date()) os << *d;
    else if (const auto* t = n.as_time()) os << *t;
    else if (const auto* dt = n.as_date_time()) os << *dt;
    return os.str();
  }

  static bool valid_name(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
    return true;
  }

  std::string text(const toml::node& n, const Origin& o) const {
    const auto* s = n.as_string();
    if (!s) fail(o, std::string("expected a string, got ") + type_name(n));
    return s->get();
  }

  int seeds(const toml::node& n, const Origin& o) const {
    const auto* i = n.as_integer();
    if (!i) fail(o, std::string("expected an integer, got ") + type_name(n) + "; accepted: an integer in [1, 1000]");
    if (i->get() < 1 || i->get() > kMaxSeeds)
      fail(o, std::to_string(i->get()) + " is out of range; accepted: an integer in [1, 1000]");
    return static_cast<int>(i->get());
  }

  ExperimentDef experiment(const toml::node& n, std::size_t index, int default_seeds) const {
    const std::string field = "experiment[" + std::to_string(index + 1) + "]";
    const auto* t = n.as_table();
    if (!t) fail(at(n, field), std::string("expected a table, got ") + type_name(n) + "; write each experiment as [[experiment]]");
    ExperimentDef d;
    d.at = at(n, field);
    d.e.line = static_cast<int>(n.source().begin.line);
    d.e.seeds = default_seeds;
    bool named = false, titled = false;
    static const std::vector<std::string> known = {"name", "title", "claim", "seeds", "set", "axes", "params"};
    for (auto&& [k, v] : *t) {
      const std::string key(k.str());
      const Origin o = at(k, field + "." + key);
      const Origin ov = at(v, o.field);
      if (key == "name") {
        d.e.name = text(v, ov);
        if (!valid_name(d.e.name))
          fail(ov, "'" + d.e.name + "' is not a valid name; accepted: 1 to 64 characters of a-z, 0-9, _ and -");
        named = true;
      } else if (key == "title") {
        d.e.title = text(v, ov);
        titled = true;
      } else if (key == "claim") {
        d.e.claim = text(v, ov);
      } else if (key == "seeds") {
        d.e.seeds = seeds(v, ov);
      } else if (key == "set") {
        d.set = settings(v, o.field);
      } else if (key == "axes") {
        d.axes = axes(v, o.field);
      } else if (key == "params") {
        if (!v.is_table()) fail(ov, std::string("expected a table, got ") + type_name(v) + "; write [experiment.params]");
        d.e.params = to_json(v);
      } else {
        fail(o, unknown("key", key, known,
                        study::find_key(key) ? "settings of an experiment go in [experiment.set], axes in "
                                               "[experiment.axes]"
                                             : ""));
      }
    }
    if (!named) fail(d.at, "the experiment has no name; add name = \"...\" (a-z, 0-9, _ and -, unique in the study)");
    if (!titled) d.e.title = d.e.name;
    for (const auto& a : d.axes) {
      d.e.axes.push_back(a.name);
      std::vector<std::string> l;
      for (const auto& v : a.values) l.push_back(v.label);
      d.e.labels.push_back(std::move(l));
    }
    return d;
  }

 private:
  std::string source_;
};

// --set KEY=VALUE: VALUE as a TOML value (lr=0.01, act="relu", act=["relu", "tanh"]);
// for string keys, text that is not a TOML string is the string itself
// (data=moons, model=mlp:64,64, act=relu,tanh).
Level overrides(const StudyOverrides& o) {
  Level out;
  const Parser p("--set");
  for (const auto& [k, text] : o.set) {
    const Origin at{"--set '" + k + "=" + text + "'", k};
    const KeyDef* def = study::find_key(k);
    if (!def) fail(at, unknown("key", k, setting_names()));
    if (text.find_first_of("\r\n") != std::string::npos) fail(at, "a --set value is one line");
    std::optional<Value> v;
    try {
      const toml::table t = toml::parse(std::string_view("v = " + text), std::string_view("--set"));
      const toml::node* n = t.get("v");
      const bool is_text = n && (n->is_string() || (def->kind == Kind::act && n->is_array()));
      if (n && t.size() == 1 && (is_text || (def->kind != Kind::text && def->kind != Kind::act)))
        v = p.value(*n, *def, at);
    } catch (const toml::parse_error&) {
    }
    if (!v) {
      if (def->kind != Kind::text && def->kind != Kind::act)
        fail(at, "'" + text + "' is not " + Parser::expected(*def) + "; accepted: " + study::accepted(*def));
      Value s;
      s.s = text;
      if (const std::string e = study::check_value(*def, s); !e.empty()) fail(at, e);
      v = std::move(s);
    }
    // A later --set of the same key wins.
    out.erase(std::remove_if(out.begin(), out.end(), [&](const Setting& s) { return s.key == def; }), out.end());
    Setting s{def, std::move(*v), at};
    Parser::add(out, std::move(s));
  }
  return out;
}

// Keys whose settings in earlier levels a setting of `k` makes unused.
bool replaces(const KeyDef* k, const KeyDef* other) {
  if (k == other) return true;
  if (is(k, "model")) return is(other, "depth") || is(other, "width");
  if (is(k, "depth")) return is(other, "model");
  return false;
}

using Merged = std::map<std::string, Setting>;

// A later level: its `model` drops the earlier depth and width (the model
// text replaces the structure they built); everything else replaces the key.
void merge(Merged& m, const Level& level) {
  for (const auto& s : level)
    if (is(s.key, "model")) {
      m.erase("depth");
      m.erase("width");
    }
  for (const auto& s : level) m.insert_or_assign(s.key->name, s);
}

std::string cell_text(const std::vector<std::string>& axes, const std::vector<std::string>& labels) {
  std::string s;
  for (std::size_t i = 0; i < axes.size(); ++i) s += (i ? ", " : "") + axes[i] + "=" + labels[i];
  return s;
}

// Builds one grid point's spec from its merged settings, in the fixed
// order: data, model structure, the rest; then checks it whole.
RunSpec build(const Merged& m, const Origin& experiment, const std::string& cell) {
  const std::string in = cell.empty() ? "" : "in the cell " + cell + ": ";
  const auto get = [&](const char* k) -> const Setting* {
    const auto it = m.find(k);
    return it == m.end() ? nullptr : &it->second;
  };
  RunSpec r = study::default_spec();
  for (const auto& k : study::keys())
    if (k.stage == study::Stage::data)
      if (const Setting* s = get(k.name)) k.apply(r, s->value);

  const Setting *model = get("model"), *depth = get("depth"), *width = get("width"), *act = get("act");
  std::string text = model ? model->value.s : study::kDefaultModel;
  const Setting* from = model;  // the setting the structure comes from
  const auto repeat = [](std::int64_t w, std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += (i ? "," : "") + std::to_string(w);
    return s;
  };
  if (depth) {
    const std::int64_t w = width ? width->value.i : study::kDefaultWidth;
    text = depth->value.i == 0 ? "linear" : "mlp:" + repeat(w, std::size_t(depth->value.i));
    from = depth;
  } else if (width) {
    nn::ModelSpec base;
    try {
      base = nn::parse_model_spec(text);
    } catch (const UsageError& e) {
      fail(model ? model->at : experiment, in + e.what());
    }
    if (base.arch == "mlp") text = "mlp:" + repeat(width->value.i, base.widths.size());
    else if (base.arch == "resmlp") text = "resmlp:depth=" + std::to_string(base.depth) + ",width=" + std::to_string(width->value.i);
    else
      fail(width->at, in + "width sets the hidden widths of an mlp or resmlp, but the model is '" + text +
                          "'; give depth too (an mlp of depth x width), or an mlp model");
    from = width;
  }
  try {
    r.model = nn::parse_model_spec(text);
  } catch (const UsageError& e) {
    fail(from ? from->at : experiment, in + e.what());
  }
  if (act) {
    std::string acts = study::label(act->value);  // a list joined by ','; parse_model_spec splits it
    try {
      r.model = nn::parse_model_spec(text, acts);
    } catch (const UsageError& e) {
      fail(act->at, in + e.what() + (from ? " (the model comes from " + from->at.field + ", " + from->at.where + ")"
                                          : ""));
    }
  }
  for (const auto& k : study::keys())
    if (k.stage == study::Stage::rest)
      if (const Setting* s = get(k.name)) k.apply(r, s->value);
  r.opt.total_epochs = r.epochs;
  r.seed = 1;
  if (const auto e = study::check_spec(r)) {
    const Setting* s = get(e->field.c_str());
    fail(s ? s->at : Origin{experiment.where, e->field}, in + e->message);
  }
  return r;
}

// --acts: the entries of a comma list (nn::split_act_list, the splitter
// parse_model_spec uses), each a valid activation, none twice.
std::vector<std::string> act_entries(const std::string& list) {
  const std::string flag = "--acts '" + list + "'";
  const std::vector<std::string> out = nn::split_act_list(list);
  if (out.size() > std::size_t(kMaxCells)) throw UsageError(flag + ": more than " + std::to_string(kMaxCells) + " entries");
  std::set<std::string> seen;
  for (const auto& e : out) {
    if (e.empty()) throw UsageError(flag + ": an empty entry; write e.g. --acts relu,tanh,gelu");
    if (!seen.insert(e).second) throw UsageError(flag + ": '" + e + "' twice; give each activation once");
    if (!study::valid_utf8(e)) throw UsageError(flag + ": the text is not valid UTF-8");
    try {
      nn::parse_act_spec(e);
    } catch (const UsageError& x) {
      throw UsageError(flag + ": " + x.what());
    }
  }
  return out;
}

// --acts replaces the values of every `act` value axis.
void replace_act_axes(std::vector<ExperimentDef>& defs, const std::string& list) {
  const std::vector<std::string> entries = act_entries(list);
  const Origin from{"--acts '" + list + "'", "act"};
  for (auto& d : defs)
    for (std::size_t i = 0; i < d.axes.size(); ++i) {
      Axis& a = d.axes[i];
      if (a.name != "act") continue;
      if (!a.key)
        fail(from, "the axis 'act' of experiment '" + d.e.name + "' (" + a.at.where +
                       ") holds tables; --acts replaces an axis of activations only");
      a.values.clear();
      for (const auto& e : entries) {
        Value v;
        v.s = e;
        a.values.push_back(AxisValue{e, {Setting{a.key, v, from}}, from});
      }
      d.e.labels[i] = entries;
    }
}

void expand(ExperimentDef& d, const Level& defaults, const Level& cli) {
  // --set of an axis (or of what the axis builds) would give every cell one configuration.
  // (A table axis may still differ in its other settings: the duplicate-cell
  // check below decides.)
  for (const auto& s : cli)
    for (const auto& a : d.axes)
      if (a.key && replaces(s.key, a.key))
        fail(s.at, "replaces the axis '" + a.name + "' of experiment '" + d.e.name + "' (" +
                       a.at.where + "): its cells would all run one configuration; leave the experiment out "
                                    "(--only) or drop this --set");
  std::size_t cells = 1;
  for (const auto& a : d.axes) {
    if (a.values.size() > kMaxCells / cells)
      fail({d.at.where, d.at.field + ".axes"}, "the grid has more than " + std::to_string(kMaxCells) +
                                                   " points; split the experiment or drop values");
    cells *= a.values.size();
  }
  std::map<std::string, std::size_t> seen;  // run key -> cell
  std::vector<std::size_t> idx(d.axes.size(), 0);
  for (std::size_t c = 0; c < cells; ++c) {
    // Row-major: the last axis varies fastest.
    std::size_t rest = c;
    for (std::size_t a = d.axes.size(); a-- > 0;) {
      idx[a] = rest % d.axes[a].values.size();
      rest /= d.axes[a].values.size();
    }
    Level point;
    Cell cell;
    std::vector<std::string> labels;
    for (std::size_t a = 0; a < d.axes.size(); ++a) {
      const AxisValue& v = d.axes[a].values[idx[a]];
      point.insert(point.end(), v.settings.begin(), v.settings.end());
      labels.push_back(v.label);
      cell.at[d.e.axes[a]] = v.label;
    }
    Merged m;
    merge(m, defaults);
    merge(m, d.set);
    merge(m, point);
    merge(m, cli);
    const std::string where = cell_text(d.e.axes, labels);
    cell.spec = build(m, d.at, where);
    const auto [it, fresh] = seen.emplace(cell.spec.key(), c);
    if (!fresh) {
      const Cell& other = d.e.cells[it->second];
      std::vector<std::string> ol;
      for (const auto& ax : d.e.axes) ol.push_back(other.at.at(ax));
      fail({d.at.where, d.at.field + ".axes"}, "the cells " + cell_text(d.e.axes, ol) + " and " + where +
                                                   " run the same configuration; drop one of the values");
    }
    d.e.cells.push_back(std::move(cell));
  }
}

}  // namespace

std::string Study::digest() const {
  json all = json::array();
  for (const auto& e : experiments) {
    json runs = json::array();
    for (const auto& c : e.cells) runs.push_back(c.spec.key());
    all.push_back({{"name", e.name},
                   {"claim", e.claim},
                   {"seeds", e.seeds},
                   {"params", e.params},
                   {"axes", e.axes},
                   {"labels", e.labels},
                   {"runs", std::move(runs)}});
  }
  return study::hash16(all.dump());
}

std::size_t Study::runs() const {
  std::size_t n = 0;
  for (const auto& e : experiments) n += e.cells.size() * std::size_t(e.seeds);
  return n;
}

Study parse_study(const std::string& toml_text, const std::string& source, const StudyOverrides& o) {
  toml::table root;
  try {
    root = toml::parse(std::string_view(toml_text), std::string_view(source));
  } catch (const toml::parse_error& e) {
    throw UsageError(source + ":" + std::to_string(e.source().begin.line) + ":" +
                     std::to_string(e.source().begin.column) + ": TOML syntax error: " + std::string(e.description()) +
                     "; the format is TOML (docs/lab.md, Study files)");
  }
  const Parser p(source);
  Study st;
  st.source = source;
  int seeds = 3;
  Level defaults;
  const toml::array* exps = nullptr;
  const toml::node* exps_node = nullptr;
  static const std::vector<std::string> top = {"title", "seeds", "defaults", "experiment"};
  for (auto&& [k, v] : root) {
    const std::string key(k.str());
    const Origin ov = p.at(v, key);
    if (key == "title") {
      st.title = p.text(v, ov);
    } else if (key == "seeds") {
      seeds = p.seeds(v, ov);
    } else if (key == "defaults") {
      defaults = p.settings(v, "defaults");
    } else if (key == "experiment") {
      exps = v.as_array();
      exps_node = &v;
      if (!exps) fail(ov, std::string("expected an array of tables, got ") + type_name(v) + "; write each experiment as [[experiment]]");
    } else {
      fail(p.at(k, key), unknown("key", key, top,
                                 study::find_key(key) ? "settings for every experiment go in [defaults]" : ""));
    }
  }
  if (!exps || exps->empty())
    throw UsageError(source + (exps_node ? ":" + std::to_string(exps_node->source().begin.line) : "") +
                     ": the study has no experiment; add at least one [[experiment]] with a name (docs/lab.md, "
                     "Study files)");
  std::vector<ExperimentDef> defs;
  std::map<std::string, std::string> names;  // name -> where
  for (std::size_t i = 0; i < exps->size(); ++i) {
    ExperimentDef d = p.experiment(*exps->get(i), i, seeds);
    if (const auto it = names.find(d.e.name); it != names.end())
      fail(d.at, "the name '" + d.e.name + "' is taken by the experiment at " + it->second + "; names are unique");
    names.emplace(d.e.name, d.at.where);
    defs.push_back(std::move(d));
  }
  if (!o.only.empty()) {
    std::vector<std::string> all;
    for (const auto& d : defs) all.push_back(d.e.name);
    for (const auto& n : o.only)
      if (!names.count(n))
        throw UsageError("--only '" + n + "': " + source + " has no experiment of that name; its experiments: " + join(all));
    const std::set<std::string> keep(o.only.begin(), o.only.end());
    defs.erase(std::remove_if(defs.begin(), defs.end(), [&](const ExperimentDef& d) { return !keep.count(d.e.name); }),
               defs.end());
  }
  if (!o.acts.empty()) replace_act_axes(defs, o.acts);
  if (o.seeds < 0 || o.seeds > kMaxSeeds)
    throw UsageError("--seeds " + std::to_string(o.seeds) + " is out of range; accepted: an integer in [1, 1000]");
  const Level cli = overrides(o);
  std::size_t runs = 0;
  for (auto& d : defs) {
    if (o.seeds > 0) d.e.seeds = o.seeds;
    expand(d, defaults, cli);
    runs += d.e.cells.size() * std::size_t(d.e.seeds);
    if (runs > kMaxRuns)
      fail({d.at.where, d.at.field}, "the study has more than " + std::to_string(kMaxRuns) +
                                         " runs (cells x seeds); split it or drop values");
    st.experiments.push_back(std::move(d.e));
  }
  return st;
}

Study load_study(const std::string& path, const StudyOverrides& o) {
  // The one reader rule (core's read_file): a regular file only, checked
  // before it is opened (a FIFO would block, /dev/zero never end), named
  // by its kind otherwise, and at most kMaxFileBytes.
  return parse_study(read_file(path, "study file", kMaxFileBytes), path, o);
}

const std::vector<std::pair<std::string, std::string>>& study_keys() {
  static const std::vector<std::pair<std::string, std::string>> list = [] {
    std::vector<std::pair<std::string, std::string>> l;
    const RunSpec& d = study::default_spec();
    for (const auto& k : study::keys()) {
      std::string s = study::accepted(k) + ": " + k.help;
      if (k.get)
        if (const auto v = k.get(d)) {
          const std::string t = study::canonical(k, *v);
          s += " (default " + (t.empty() ? std::string("\"\"") : t) + ")";
        }
      l.emplace_back(k.name, s);
    }
    return l;
  }();
  return list;
}

}  // namespace actlab::lab
