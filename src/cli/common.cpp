#include "src/cli/common.hpp"

#include "actlab/core/error.hpp"

namespace actlab::cli {

static act::Act lookup(const std::string& name, const std::string& what) {
  auto a = act::find(name);
  if (!a)
    throw UsageError(what + "unknown activation '" + name + "'; expected one of: " + act::all_names() +
                     " (see 'actlab list')");
  return *a;
}

ActSpec parse_act(const std::string& name, const std::vector<std::string>& params) {
  ActSpec s{lookup(name, ""), {}};
  s.params = act::defaults(s.act);
  for (const auto& p : params)
    if (std::string err = act::set_param(s.act, s.params, p); !err.empty()) throw UsageError(err);
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
    out.push_back(lookup(item, flag + ": "));
    b = e + 1;
  }
  return out;
}

}  // namespace actlab::cli
