// actlab fx: f(x) and f'(x) for numbers on the command line, or over raw
// little-endian float32 files. "eval" is its old name (an alias that prints
// a notice): it was too close to "evaluate" (a model's test accuracy).
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include "actlab/act/kernels.hpp"
#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "src/cli/command.hpp"
#include "src/cli/common.hpp"

namespace actlab::cli {
namespace {

struct EvalArgs {
  std::string act;
  std::vector<std::string> params;
  std::vector<std::string> xs;
  std::string input, output, grad;
  std::size_t cols = 0;
};

float parse_number(const std::string& s) {
  const char* b = s.c_str();
  char* end = nullptr;
  errno = 0;
  const float v = std::strtof(b, &end);  // accepts nan, inf, -inf, hex floats
  if (s.empty() || end != b + s.size())
    throw UsageError("fx: '" + s + "' is not a number (examples: 1.5, -2e-3, inf, nan)");
  return v;  // ERANGE: strtof already gives +-inf or a denormal/0, which is what was typed
}

// Backward with dy = 1 gives f'(x) for pointwise entries, J^T 1 for rows.
void eval_all(const ActSpec& s, const std::vector<float>& x, std::size_t rows, std::size_t cols,
              std::vector<float>& y, std::vector<float>& dx) {
  y.resize(x.size());
  dx.resize(x.size());
  const std::vector<float> ones(x.size(), 1.f);
  act::forward_rows(s.act, s.params, x.data(), y.data(), rows, cols);
  act::backward_rows(s.act, s.params, x.data(), y.data(), ones.data(), dx.data(), rows, cols);
}

int run(const EvalArgs& a) {
  const ActSpec s = parse_act(a.act, a.params);
  const bool rowwise = act::is_rowwise(s.act);
  if (!a.input.empty()) {
    if (!a.xs.empty()) throw UsageError("fx: give numbers or --input FILE, not both");
    if (a.output.empty() && a.grad.empty())
      throw UsageError("fx: --input needs --output FILE and/or --grad FILE");
    if (rowwise && a.cols == 0)
      throw UsageError("fx: " + a.act + " works along rows: give the row length with --cols N");
    // Before any work: the outputs are usable and distinct files.
    check_output_paths({{"--output", a.output}, {"--grad", a.grad}});
    const std::vector<float> x = read_f32_file(a.input);
    const std::size_t cols = rowwise ? a.cols : x.size();
    if (rowwise && x.size() % cols != 0)
      throw DataError("fx: input file '" + a.input + "' holds " + std::to_string(x.size()) +
                      " floats, not a multiple of --cols " + std::to_string(cols));
    std::vector<float> y, dx;
    eval_all(s, x, cols ? x.size() / cols : 0, cols, y, dx);
    // Both outputs are complete in temporary files before either is renamed.
    std::optional<AtomicFile> fy, fg;
    if (!a.output.empty()) {
      fy.emplace(a.output);
      fy->write(y.data(), y.size() * sizeof(float));
    }
    if (!a.grad.empty()) {
      fg.emplace(a.grad);
      fg->write(dx.data(), dx.size() * sizeof(float));
    }
    if (fy) fy->commit();
    if (fg) fg->commit();
    std::fprintf(stderr, "fx: %s over %zu values -> %s%s%s\n", a.act.c_str(), x.size(),
                 a.output.empty() ? "" : a.output.c_str(), a.output.empty() || a.grad.empty() ? "" : ", ",
                 a.grad.empty() ? "" : a.grad.c_str());
    return 0;
  }
  if (!a.output.empty() || !a.grad.empty())
    throw UsageError("fx: --output/--grad need --input FILE");
  if (a.cols != 0) throw UsageError("fx: --cols is the row length of an --input FILE; numbers are one row");
  if (a.xs.empty()) throw UsageError("fx: give at least one number, e.g. 'actlab fx " + a.act + " -1 0 1'");
  std::vector<float> x;
  for (const auto& t : a.xs) x.push_back(parse_number(t));
  std::vector<float> y, dx;
  eval_all(s, x, 1, x.size(), y, dx);
  std::printf("%-16s %-16s %s\n", "x", "f(x)", rowwise ? "dx (dy = 1)" : "f'(x)");
  for (std::size_t i = 0; i < x.size(); ++i) std::printf("%-16.9g %-16.9g %.9g\n", x[i], y[i], dx[i]);
  return 0;
}

std::function<int()> setup(CLI::App& app, bool old_name) {
      auto a = std::make_shared<EvalArgs>();
      app.add_option("activation", a->act,
                     "Activation name (see 'actlab list'), parameters inline or with --param, "
                     "e.g. 'elu(alpha=0.5)'")
          ->required();
      // Numbers fill the positional "x" ("-2" too: CLI11 reads a dash and a
      // digit as a number). "-inf", "-nan" and "-.5" look like unknown short
      // options to CLI11, so they are taken from the leftovers (allow_extras)
      // and listed after the others; run() rejects anything not a number.
      app.add_option("x", a->xs, "Numbers to evaluate (or after --)");
      app.allow_extras();
      app.add_option("--param", a->params, "Parameter as NAME=VALUE (repeatable), e.g. --param alpha=0.5")
          ->allow_extra_args(false);
      app.add_option("--input", a->input, "Raw little-endian float32 input file");
      app.add_option("--output", a->output, "Write f(x) here (raw float32)");
      app.add_option("--grad", a->grad, "Write f'(x) here, i.e. backward with dy = 1 (raw float32)");
      app.add_option("--cols", a->cols, "Row length for softmax-family entries with --input")
          ->check(CLI::Range(1, 1 << 28));
      app.footer(
          "Numbers to evaluate follow the activation (nan, inf and -inf accepted).\n"
          "Examples:\n  actlab fx gelu -1 0 1\n  actlab fx 'elu(alpha=0.5)' -2 2\n  actlab fx elu --param alpha=0.5 -2 2\n"
          "  actlab fx softmax --input x.f32 --cols 10 --output y.f32");
      return std::function<int()>([a, &app, old_name] {
        if (old_name)
          std::fprintf(stderr, "actlab: 'eval' is now 'actlab fx' (f(x) of an activation; 'actlab evaluate' "
                               "scores a model); the old name still works\n");
        for (const std::string& t : app.remaining()) {
          if (t == "--") continue;
          if (t.size() > 1 && t[0] == '-' && t[1] == '-')
            throw UsageError("fx: unknown option '" + t + "' (see 'actlab fx --help')");
          a->xs.push_back(t);
        }
        return run(*a);
      });
}

const Registrar reg{"fx", "Evaluate f(x) and f'(x) of an activation: for numbers given, or over raw float32 files",
                    [](CLI::App& app) { return setup(app, false); }};
const Registrar old_reg{"eval", "Old name of 'fx' (prints a notice on stderr)",
                        [](CLI::App& app) { return setup(app, true); }};

}  // namespace
}  // namespace actlab::cli
