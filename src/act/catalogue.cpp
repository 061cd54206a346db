// Name table, lookup and parameter validation, all generated from the list.
#include "actlab/act/catalogue.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace actlab::act {
namespace {

constexpr ActInfo kInfo[] = {
#define ACTLAB_X_INFO(id, ...) ActInfo{#id, __VA_ARGS__},
    ACTLAB_ACTIVATIONS(ACTLAB_X_INFO)
#undef ACTLAB_X_INFO
};
static_assert(sizeof(kInfo) / sizeof(kInfo[0]) == kNumActs);

std::string fmt(float v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::ostringstream os;
  os << v;
  return os.str();
}

bool in_domain(const ParamInfo& pi, float v) {
  if (std::isnan(v)) return false;
  if (pi.lo_open ? !(v > pi.lo) : !(v >= pi.lo)) return false;
  if (pi.hi_open ? !(v < pi.hi) : !(v <= pi.hi)) return false;
  // Infinite parameters make every formula degenerate; reject them too.
  return std::isfinite(v);
}

}  // namespace

const ActInfo& info(Act a) { return kInfo[static_cast<std::size_t>(a)]; }

const char* init_name(Init i) {
  switch (i) {
    case Init::xavier: return "xavier";
    case Init::he: return "he";
    case Init::lecun: return "lecun";
  }
  return "?";
}

std::optional<Act> find(std::string_view n) {
  for (std::size_t i = 0; i < kNumActs; ++i)
    if (n == kInfo[i].name) return static_cast<Act>(i);
  if (n == "gelu_erf") return Act::gelu;
  if (n == "hard_sigmoid") return Act::hardsigmoid;
  if (n == "hard_swish") return Act::hardswish;
  if (n == "linear") return Act::identity;
  if (n == "heaviside") return Act::step;
  return std::nullopt;
}

std::string all_names() {
  std::string s;
  for (std::size_t i = 0; i < kNumActs; ++i) {
    if (i) s += ", ";
    s += kInfo[i].name;
  }
  return s;
}

Params defaults(Act a) {
  Params p;
  const ActInfo& in = info(a);
  for (int i = 0; i < in.nparams; ++i) p.v[i] = in.params[i].def;
  return p;
}

int param_index(Act a, std::string_view pname) {
  const ActInfo& in = info(a);
  for (int i = 0; i < in.nparams; ++i)
    if (pname == in.params[i].name) return i;
  return -1;
}

std::string domain_text(const ParamInfo& pi) {
  return std::string(pi.lo_open || std::isinf(pi.lo) ? "(" : "[") + fmt(pi.lo) + ", " + fmt(pi.hi) +
         (pi.hi_open || std::isinf(pi.hi) ? ")" : "]");
}

std::string validate(Act a, const Params& p) {
  const ActInfo& in = info(a);
  for (int i = 0; i < in.nparams; ++i) {
    if (!in_domain(in.params[i], p.v[i]))
      return std::string(in.name) + ": parameter " + in.params[i].name + "=" + fmt(p.v[i]) +
             " is outside its domain " + domain_text(in.params[i]);
  }
  if (a == Act::hardtanh && !(p.v[0] < p.v[1]))
    return "hardtanh: min_val=" + fmt(p.v[0]) + " must be less than max_val=" + fmt(p.v[1]);
  if (a == Act::rrelu && !(p.v[0] <= p.v[1]))
    return "rrelu: lower=" + fmt(p.v[0]) + " must not exceed upper=" + fmt(p.v[1]);
  return {};
}

std::string set_param(Act a, Params& p, std::string_view assignment) {
  const ActInfo& in = info(a);
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return "--param '" + std::string(assignment) + "': expected NAME=VALUE, e.g. --param " +
           (in.nparams ? std::string(in.params[0].name) + "=" + fmt(in.params[0].def) : "alpha=1");
  std::string key(assignment.substr(0, eq));
  std::string val(assignment.substr(eq + 1));
  int idx = param_index(a, key);
  if (idx < 0) {
    std::string known;
    for (int i = 0; i < in.nparams; ++i) known += (i ? ", " : "") + std::string(in.params[i].name);
    return std::string(in.name) + " has no parameter '" + key + "' (" +
           (in.nparams ? "its parameters: " + known : std::string("it takes no parameters")) + ")";
  }
  const char* s = val.c_str();
  char* end = nullptr;
  errno = 0;
  float v = std::strtof(s, &end);
  // ERANGE on underflow still gives the nearest float (a denormal or 0), which
  // the domain check judges; only overflow to +-inf is "not finite".
  if (val.empty() || end != s + val.size() || (errno == ERANGE && std::isinf(v)))
    return "--param " + key + "='" + val + "' is not a finite number";
  Params q = p;
  q.v[idx] = v;
  if (std::string err = validate(a, q); !err.empty() && !in_domain(in.params[idx], v)) return err;
  p = q;
  return {};
}

std::string set_params(Act a, Params& p, const std::vector<std::string>& assignments) {
  std::vector<std::string> seen(kMaxParams);
  for (const auto& kv : assignments) {
    const auto eq = kv.find('=');
    const int idx = eq == std::string::npos ? -1 : param_index(a, std::string_view(kv).substr(0, eq));
    if (idx >= 0 && !seen[idx].empty())
      return std::string(info(a).params[idx].name) + " is given twice (" + seen[idx] + ", " + kv +
             "); give each parameter once";
    if (std::string err = set_param(a, p, kv); !err.empty()) return err;
    if (idx >= 0) seen[idx] = kv;
  }
  return {};
}

}  // namespace actlab::act
