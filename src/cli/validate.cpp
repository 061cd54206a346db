#include "src/cli/validate.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "actlab/core/error.hpp"
#include "actlab/nn/model.hpp"

namespace actlab::cli {
namespace {
std::string num(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::ostringstream os;
  os << v;
  return os.str();
}
}  // namespace

CLI::Validator finite_in(double lo, double hi, bool lo_open, bool hi_open) {
  const std::string range = std::string(lo_open ? "(" : "[") + num(lo) + ", " + num(hi) +
                            (hi_open || std::isinf(hi) ? ")" : "]");
  return CLI::Validator(
      [=](std::string& s) -> std::string {
        const char* b = s.c_str();
        char* end = nullptr;
        const double v = std::strtod(b, &end);
        if (s.empty() || end != b + s.size() || !std::isfinite(v))
          return "'" + s + "' is not a finite number in " + range;
        if (v < lo || v > hi || (lo_open && v == lo) || (hi_open && v == hi))
          return "'" + s + "' is outside " + range;
        return {};
      },
      "NUMBER in " + range);
}

void reject_duplicate_acts(const std::vector<nn::ActSpec>& acts, const std::string& flag) {
  for (std::size_t i = 0; i < acts.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (nn::act_text(acts[i]) == nn::act_text(acts[j]))
        throw UsageError(flag + ": '" + nn::act_text(acts[i]) +
                         "' is listed twice; give each activation once (a ranking of one "
                         "activation against itself is noise)");
}

void refuse_with_resume(const CLI::App& app, const std::vector<std::string>& flags,
                        const std::string& checkpoint) {
  for (const auto& f : flags) {
    const CLI::Option* o = app.get_option_no_throw(f);
    if (o && o->count() > 0)
      throw UsageError(f + " cannot be combined with --resume: the run continues with the settings "
                       "stored in checkpoint '" + checkpoint + "'; drop " + f +
                       ", or start a new run without --resume");
  }
}

}  // namespace actlab::cli
