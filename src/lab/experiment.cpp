#include "actlab/lab/experiment.hpp"

#include <sstream>

namespace actlab::lab {

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

std::string model_label(const nn::ModelSpec& m) {
  const std::string t = nn::to_text(m);
  return t.substr(0, t.find(' '));
}

std::vector<nn::ActSpec> catalogue_acts(std::initializer_list<const char*> names) {
  std::vector<nn::ActSpec> v;
  for (const char* n : names) {
    const act::Act a = *act::find(n);
    v.push_back({a, act::defaults(a)});
  }
  return v;
}

}  // namespace actlab::lab
