// actlab ulp: accuracy of the fast kernels against the long double reference
// over a float32 bit-pattern sweep (see include/actlab/act/ulp.hpp).
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "actlab/act/catalogue.hpp"
#include "actlab/act/kernels.hpp"
#include "actlab/act/ulp.hpp"
#include "actlab/core/error.hpp"
#include "actlab/core/resources.hpp"
#include "actlab/lab/kernel_bench.hpp"
#include "src/cli/command.hpp"
#include "src/cli/common.hpp"

namespace actlab::cli {
namespace {

struct Opts {
  std::string act;
  std::vector<std::string> params;
  std::uint64_t step = 1;
  bool backward = false;
  std::string target;
  int threads = 0;
  std::uint64_t rows = 4000;
  bool quiet = false;
  bool exact = false;
  std::string impl = "actlab";
};

std::string params_text(act::Act a, const act::Params& p) {
  std::string s;
  const auto& in = act::info(a);
  for (int i = 0; i < in.nparams; ++i)
    s += (i ? "," : "") + std::string(in.params[i].name) + "=" + std::to_string(p.v[i]);
  return s.empty() ? "-" : s;
}

// Which inputs the long double reference judged (see SweepOptions::screen).
void print_reference(const act::UlpStats& s, bool exact) {
  if (s.screened) {
    std::printf("reference    long double for %" PRIu64 " of %" PRIu64
                " inputs (%.2f %%), double screen elsewhere; max screen deviation %.1e ULP "
                "(bound %g) at x = %.9g\n",
                s.exact_evals, s.count, s.count ? 100.0 * double(s.exact_evals) / double(s.count) : 0.0,
                s.screen_dev, act::kScreenEps, s.screen_dev_x);
  } else if (s.screen_fallback) {
    std::printf("reference    long double for all %" PRIu64
                " inputs: the double screen deviated by %.3g ULP at x = %.9g (bound %g), so the "
                "sweep was rerun exactly\n",
                s.count, s.screen_dev, s.screen_dev_x, act::kScreenEps);
  } else {
    std::printf("reference    long double for all %" PRIu64 " inputs (%s)\n", s.count,
                exact ? "--exact" : "this entry is not screened, see act::screen_rule");
  }
}

int run(const Opts& o) {
  const ActSpec spec = parse_act(o.act, o.params);
  if (o.step == 0) throw UsageError("--step 0: the step must be >= 1 (1 = all 2^32 inputs)");
  if (o.threads < 0) throw UsageError("--threads " + std::to_string(o.threads) + ": must be >= 1");
  if (!o.target.empty() && !act::force_target(o.target)) {
    std::string all;
    for (const auto& t : act::supported_targets()) all += (all.empty() ? "" : ", ") + t;
    throw UsageError("--target '" + o.target + "': not supported here; expected one of: " + all);
  }
  act::SweepOptions so;
  so.step = o.step;
  so.backward = o.backward;
  so.threads = o.threads;
  so.rows = o.rows;
  so.screen = !o.exact;
  std::string impl_text;  // non-empty: measuring another implementation
  if (o.impl == "onednn") {
    if (act::is_rowwise(spec.act))
      throw UsageError("--impl onednn: only for pointwise entries (" + o.act + " works along rows)");
    if (!o.target.empty()) throw UsageError("--impl onednn with --target: oneDNN dispatches by itself");
    std::string why;
    const auto fn = lab::onednn_eltwise_fn(spec.act, spec.params, why);
    if (!fn) throw UsageError("--impl onednn: " + why);
    so.impl = fn->fn;
    impl_text = "oneDNN " + fn->version + " " + fn->algorithm + (o.backward ? " backward from src" : "");
  } else if (o.impl != "actlab") {
    throw UsageError("--impl '" + o.impl + "': expected actlab or onednn");
  }
  int last = -1;
  if (!o.quiet)
    so.progress = [&last](double f) {
      const int pct = static_cast<int>(f * 100);
      if (pct != last) {
        last = pct;
        std::fprintf(stderr, "\rulp: %3d%%", pct);
        if (pct == 100) std::fprintf(stderr, "\n");
        std::fflush(stderr);
      }
    };
  const act::UlpStats s = act::ulp_sweep(spec.act, spec.params, so);
  const std::string target = act::current_target();
  act::force_target("");
  const auto& in = act::info(spec.act);
  const int contract = o.backward ? in.ulp_bwd : in.ulp_fwd;
  const bool ok = act::meets_contract(s, contract);
  std::printf("activation   %s (%s)\n", in.name, params_text(spec.act, spec.params).c_str());
  std::printf("direction    %s\n", o.backward ? "backward (dy = 1, vs reference f'(x))" : "forward");
  if (impl_text.empty())
    std::printf("target       %s\n", target.c_str());
  else
    std::printf("impl         %s (its own CPU dispatch)\n", impl_text.c_str());
  if (act::is_rowwise(spec.act))
    std::printf("inputs       %" PRIu64 " row elements from %" PRIu64 " random rows\n", s.count, o.rows);
  else
    std::printf("inputs       %" PRIu64 " (every %" PRIu64 "-th float32 bit pattern)\n", s.count, o.step);
  if (!act::is_rowwise(spec.act)) print_reference(s, o.exact);
  std::printf("max_ulp      %.6f\n", s.max_ulp);
  std::printf("worst_x      %.9g (y = %.9g, reference = %.12Lg)\n", s.worst_x, s.worst_y, s.worst_ref);
  std::printf("frac_gt_1ulp %.3e\n", s.frac_above1());
  std::printf("frac_gt_2ulp %.3e\n", s.frac_above2());
  std::printf("nonfinite_mismatch %" PRIu64 "\n", s.nonfinite_mismatch);
  if (s.nonfinite_mismatch)
    std::printf("max_ulp_finite %.6f at x = %.9g (the mismatches left out)\n", s.max_finite_ulp, s.worst_finite_x);
  if (!impl_text.empty()) {
    // Another library: actlab's contract is shown for comparison only.
    std::printf("contract     %d ULP (actlab's): %s by %s\n", contract, ok ? "met" : "not met", impl_text.c_str());
    return 0;
  }
  std::printf("contract     %d ULP: %s\n", contract, ok ? "met" : "VIOLATED");
  return ok ? 0 : 1;
}

const Registrar reg{
    "ulp",
    "Measure kernel accuracy in ULPs vs the long double reference (exit 1 if the catalogue "
    "contract is violated)",
    [](CLI::App& app) {
      auto o = std::make_shared<Opts>();
      app.description(
          "Compares the fast kernel with the long double reference over every N-th float32 bit "
          "pattern (--step 1 = all 2^32 inputs, NaN and inf included) and prints the max ULP "
          "error, the worst input and the fractions above 1 and 2 ULP. Softmax-family entries "
          "are checked on --rows random rows instead. Pointwise sweeps compute the long double "
          "reference only where a double screen cannot decide (see docs/accuracy.md; --exact: "
          "everywhere). Progress goes to stderr.\n"
          "--impl onednn measures oneDNN's eltwise on the same inputs instead (the entries "
          "oneDNN 2.6 has; its accuracy next to actlab's in docs/accuracy.md).\n"
          "Exit codes: 0 contract met (always 0 with --impl onednn), 1 the catalogue's ULP "
          "contract (ulp_fwd / ulp_bwd) is violated, 2 bad input.");
      app.add_option("act", o->act, "Activation name (see 'actlab list')")->required();
      app.add_option("--param", o->params, "Parameter NAME=VALUE (repeatable)");
      app.add_option("--step", o->step, "Test every N-th bit pattern (1 = all 2^32)");
      app.add_flag("--backward", o->backward, "Check f'(x) (backward with dy = 1) instead of f(x)");
      app.add_option("--target", o->target, "SIMD target to force (e.g. AVX3, AVX2, SSE4)");
      app.add_option("--threads", o->threads, "Threads (default: all cores)")->check(CLI::Range(0, kMaxThreads));
      app.add_option("--rows", o->rows, "Random rows for softmax-family entries");
      app.add_flag("--quiet", o->quiet, "No progress on stderr");
      app.add_option("--impl", o->impl, "Implementation to measure: actlab (default) or onednn");
      app.add_flag("--exact", o->exact,
                   "Long double reference for every input (default: a double screen decides where "
                   "it is needed; the results are the same, ~10x faster)");
      return std::function<int()>([o] { return run(*o); });
    }};

}  // namespace
}  // namespace actlab::cli
