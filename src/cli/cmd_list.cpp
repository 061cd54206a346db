// actlab list: the catalogue as a table, or JSON for machines.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "actlab/act/catalogue.hpp"
#include "actlab/core/error.hpp"
#include "src/cli/command.hpp"

namespace actlab::cli {
namespace {

std::string props_text(std::uint32_t p) {
  static const std::pair<act::Prop, const char*> names[] = {
      {act::kZeroCentred, "zero-centred"}, {act::kMonotonic, "monotonic"},
      {act::kSmooth, "smooth"},            {act::kSaturating, "saturating"},
      {act::kSelfNormalising, "self-normalising"}, {act::kPiecewiseLinear, "piecewise-linear"},
      {act::kNoGradient, "no-gradient"},   {act::kLearnable, "learnable"}};
  std::string s;
  for (auto& [bit, n] : names)
    if (p & bit) s += (s.empty() ? "" : ",") + std::string(n);
  if ((p & act::kBoundedBelow) && (p & act::kBoundedAbove)) s += (s.empty() ? "" : ",") + std::string("bounded");
  return s;
}

std::string params_text(const act::ActInfo& in) {
  std::ostringstream os;
  for (int i = 0; i < in.nparams; ++i) os << (i ? " " : "") << in.params[i].name << "=" << in.params[i].def;
  return os.str();
}

nlohmann::json to_json() {
  nlohmann::json arr = nlohmann::json::array();
  for (std::size_t i = 0; i < act::kNumActs; ++i) {
    const auto& in = act::info(static_cast<act::Act>(i));
    nlohmann::json params = nlohmann::json::array();
    for (int k = 0; k < in.nparams; ++k) {
      const auto& p = in.params[k];
      params.push_back({{"name", p.name}, {"default", p.def}, {"domain", act::domain_text(p)}});
    }
    arr.push_back({{"name", in.name},
                   {"kind", in.kind == act::Kind::rowwise ? "rowwise" : "pointwise"},
                   {"params", params},
                   {"range", in.range},
                   {"properties", props_text(in.props)},
                   {"zero_centred", (in.props & act::kZeroCentred) != 0},
                   {"monotonic", (in.props & act::kMonotonic) != 0},
                   {"smooth", (in.props & act::kSmooth) != 0},
                   {"bounded_below", (in.props & act::kBoundedBelow) != 0},
                   {"bounded_above", (in.props & act::kBoundedAbove) != 0},
                   {"saturating", (in.props & act::kSaturating) != 0},
                   {"self_normalising", (in.props & act::kSelfNormalising) != 0},
                   {"init", act::init_name(in.init)},
                   {"ulp_fwd", in.ulp_fwd},
                   {"ulp_bwd", in.ulp_bwd},
                   {"formula", in.formula},
                   {"latex", in.latex},
                   {"derivative", in.derivative},
                   {"note", in.note}});
  }
  return arr;
}

const Registrar reg{"list", "Print the activation catalogue (table, or --format json)", [](CLI::App& app) {
  auto format = std::make_shared<std::string>("table");
  app.add_option("--format", *format, "Output format")->check(CLI::IsMember({"table", "json"}));
  return std::function<int()>([format] {
    if (*format == "json") {
      std::cout << to_json().dump(2) << "\n";
      return 0;
    }
    std::printf("%-12s %-30s %-22s %-6s %-7s %s\n", "name", "parameters", "range", "init", "ulp f/b",
                "properties");
    for (std::size_t i = 0; i < act::kNumActs; ++i) {
      const auto& in = act::info(static_cast<act::Act>(i));
      std::printf("%-12s %-30s %-22s %-6s %2d / %-2d %s\n", in.name, params_text(in).c_str(), in.range,
                  act::init_name(in.init), in.ulp_fwd, in.ulp_bwd, props_text(in.props).c_str());
    }
    return 0;
  });
}};

}  // namespace
}  // namespace actlab::cli
