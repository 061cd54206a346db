// Fuzz target: activation names and --param NAME=VALUE parsing and domain
// validation (act::set_param / act::validate via the CLI's parse_act, and
// parse_act_list). Input: first line an activation name (or a comma list),
// each further line one NAME=VALUE assignment.
// Bad input must end in actlab::UsageError. Accepted parameters must lie in
// their domain, and the reference activation with them must not turn a
// finite input into NaN (a NaN there means the domain admits a value the
// formula cannot take).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "actlab/act/catalogue.hpp"
#include "actlab/act/reference.hpp"
#include "actlab/core/error.hpp"
#include "src/cli/common.hpp"

namespace {

void fail(const char* what, const actlab::cli::ActSpec& s, long double x) {
  std::fprintf(stderr, "fuzz_param: %s for %s(", what, actlab::act::name(s.act));
  const auto& in = actlab::act::info(s.act);
  for (int i = 0; i < in.nparams; ++i) std::fprintf(stderr, "%s%s=%.9g", i ? ", " : "", in.params[i].name, s.params.v[i]);
  std::fprintf(stderr, ") at x=%Lg\n", x);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  std::size_t b = 0;
  while (b <= text.size()) {
    std::size_t e = text.find('\n', b);
    if (e == std::string::npos) e = text.size();
    lines.push_back(text.substr(b, e - b));
    b = e + 1;
  }
  using namespace actlab;
  try {
    cli::parse_act_list(lines[0], "--acts");
  } catch (const UsageError&) {
  }
  try {
    const cli::ActSpec s =
        cli::parse_act(lines[0], std::vector<std::string>(lines.begin() + 1, lines.end()));
    if (!act::validate(s.act, s.params).empty()) std::abort();  // accepted but invalid
    if (act::is_rowwise(s.act)) return 0;
    for (long double x : {-30.0L, -2.0L, -0.5L, 0.0L, 0.25L, 1.0L, 3.0L, 30.0L}) {
      if (std::isnan(act::ref::forward(s.act, s.params, x))) fail("NaN forward", s, x);
      if (std::isnan(act::ref::derivative(s.act, s.params, x))) fail("NaN derivative", s, x);
    }
  } catch (const UsageError&) {
  }
  return 0;
}
