// actlab plot ACT[,ACT...] --out FILE.png|FILE.svg: curves and derivatives.
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/lab/curves.hpp"
#include "src/cli/command.hpp"
#include "src/cli/common.hpp"

namespace actlab::cli {
namespace {

struct PlotArgs {
  std::string acts;
  std::vector<std::string> params;
  std::string range = "-5,5";
  std::string out;
  int points = 801;
  std::string size;
  std::string title;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (true) {
    const std::size_t e = s.find(sep, b);
    out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return out;
}

double parse_number(const std::string& s, const std::string& what) {
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size() && std::isfinite(v)) return v;
  } catch (...) {
  }
  throw UsageError(what + ": '" + s + "' is not a finite number");
}

// "elu:alpha=0.5" -> elu with alpha 0.5. --param NAME=VALUE applies to every
// listed activation that has a parameter NAME; a --param no listed
// activation has is an error (a typo would otherwise be silently ignored).
std::vector<lab::CurveSpec> parse_specs(const PlotArgs& a) {
  std::vector<lab::CurveSpec> specs;
  std::vector<bool> used(a.params.size(), false);
  for (const auto& item : split(a.acts, ',')) {
    if (item.empty()) throw UsageError("ACTS '" + a.acts + "': empty activation name in the list");
    auto parts = split(item, ':');
    const auto probe = act::find(parts[0]);
    std::vector<std::string> ps;
    if (probe) {
      for (std::size_t i = 0; i < a.params.size(); ++i) {
        const auto eq = a.params[i].find('=');
        if (eq != std::string::npos && act::param_index(*probe, a.params[i].substr(0, eq)) >= 0) {
          ps.push_back(a.params[i]);
          used[i] = true;
        }
      }
    }
    ps.insert(ps.end(), parts.begin() + 1, parts.end());
    ActSpec s = parse_act(parts[0], ps);
    specs.push_back({s.act, s.params, ""});
  }
  for (std::size_t i = 0; i < a.params.size(); ++i)
    if (!used[i])
      throw UsageError("--param '" + a.params[i] +
                       "': none of the listed activations has that parameter (see 'actlab list'); "
                       "write NAME=VALUE, or ACT:NAME=VALUE for one activation");
  return specs;
}

const Registrar reg{
    "plot", "Plot activation curves and their derivatives to a PNG or SVG file", [](CLI::App& app) {
      auto a = std::make_shared<PlotArgs>();
      app.add_option("acts", a->acts, "Activations, comma separated; ACT:NAME=VALUE sets a parameter of one")
          ->required();
      app.add_option("--param,-p", a->params, "NAME=VALUE for every listed activation that has NAME");
      app.add_option("--range", a->range, "x range LO,HI")->capture_default_str();
      app.add_option("--out,-o", a->out, "Output file, .png or .svg")->required();
      app.add_option("--points", a->points, "Samples per curve")->capture_default_str()->check(CLI::Range(2, 100000));
      app.add_option("--size", a->size, "Image size WxH in pixels (default 1000x420)");
      app.add_option("--title", a->title, "Figure title");
      return std::function<int()>([a] {
        if (a->title.size() > 256)
          throw UsageError("--title: " + std::to_string(a->title.size()) +
                           " characters; a figure title may have at most 256");
        check_output_paths({{"--out", a->out}});
        const auto specs = parse_specs(*a);
        const auto r = split(a->range, ',');
        if (r.size() != 2) throw UsageError("--range '" + a->range + "': expected LO,HI, e.g. --range -6,6");
        const double lo = parse_number(r[0], "--range LO"), hi = parse_number(r[1], "--range HI");
        if (!(lo < hi)) throw UsageError("--range '" + a->range + "': LO must be smaller than HI");
        lab::Figure fig = lab::curves_figure(specs, lo, hi, a->points, a->title);
        if (!a->size.empty()) {
          const auto wh = split(a->size, 'x');
          if (wh.size() != 2) throw UsageError("--size '" + a->size + "': expected WxH, e.g. 1000x420");
          const double w = parse_number(wh[0], "--size W"), h = parse_number(wh[1], "--size H");
          if (!(w >= 16 && w <= 10000 && h >= 16 && h <= 10000) || w != std::floor(w) || h != std::floor(h))
            throw UsageError("--size '" + a->size + "': W and H must be whole numbers in [16, 10000]");
          fig.width = int(w);
          fig.height = int(h);
        }
        lab::save_figure(fig, a->out);
        std::printf("wrote %s (%zu activation%s, x in [%g, %g])\n", a->out.c_str(), specs.size(),
                    specs.size() == 1 ? "" : "s", lo, hi);
        return 0;
      });
    }};

}  // namespace
}  // namespace actlab::cli
