#include "src/cli/common.hpp"

#include "actlab/core/error.hpp"

namespace actlab::cli {

static act::Act lookup(const std::string& name, const std::string& what) {
  if (name.empty())
    throw UsageError(what + "empty activation name; expected one of: " + act::all_names() +
                     " (see 'actlab list')");
  auto a = act::find(name);
  if (!a)
    throw UsageError(what + "unknown activation '" + name + "'; expected one of: " + act::all_names() +
                     " (see 'actlab list')");
  return *a;
}

// "elu(alpha=0.5)" is the same activation as "elu" with --param alpha=0.5;
// both forms may be combined, but a parameter may be given only once.
ActSpec parse_act(const std::string& text, const std::vector<std::string>& params) {
  const auto lp = text.find('(');
  std::vector<std::string> kvs;
  if (lp != std::string::npos) {
    if (text.back() != ')')
      throw UsageError("activation '" + text + "': missing ')'; write e.g. elu(alpha=0.5)");
    const std::string inner = text.substr(lp + 1, text.size() - lp - 2);
    std::size_t b = 0;
    while (b <= inner.size()) {
      std::size_t e = inner.find(',', b);
      if (e == std::string::npos) e = inner.size();
      if (e > b) kvs.push_back(inner.substr(b, e - b));
      b = e + 1;
    }
  }
  kvs.insert(kvs.end(), params.begin(), params.end());
  ActSpec s{lookup(text.substr(0, lp), ""), {}};
  s.params = act::defaults(s.act);
  if (std::string err = act::set_params(s.act, s.params, kvs); !err.empty())
    throw UsageError((params.empty() ? "activation '" + text + "': " : std::string("--param: ")) + err);
  if (std::string err = act::validate(s.act, s.params); !err.empty()) throw UsageError(err);
  return s;
}

std::vector<act::Act> parse_act_list(const std::string& csv, const std::string& flag) {
  std::vector<act::Act> out;
  std::size_t b = 0;
  while (b <= csv.size()) {
    std::size_t e = csv.find(',', b);
    if (e == std::string::npos) e = csv.size();
    std::string item = csv.substr(b, e - b);
    if (item.empty()) throw UsageError(flag + " '" + csv + "': empty activation name in the list");
    const act::Act a = lookup(item, flag + ": ");
    for (act::Act prev : out)
      if (prev == a)
        throw UsageError(flag + " '" + csv + "': '" + item +
                         "' is listed twice; give each activation once");
    out.push_back(a);
    b = e + 1;
  }
  return out;
}

}  // namespace actlab::cli
