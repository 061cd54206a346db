// Kernel throughput, side by side: actlab's activation kernels against
// oneDNN eltwise and PyTorch, with the machine's copy bandwidth as the
// physical limit, on the same inputs, sizes and thread counts.
//
// One run measures, for every (activation, n, threads):
//   actlab          forward x -> y, backward (x, y, dy) -> dx
//   actlab_inplace  forward x -> x, backward dy -> dy (dx overwrites dy)
//   actlab_y        backward from y only (use_dst), where it exists
//   onednn          dnnl::eltwise_forward / eltwise_backward (from src)
//   onednn_y        eltwise_backward with the *_use_dst_for_bwd algorithm
//   torch           torch.nn.functional out of place, as users call it, and
//                   the aten backward op autograd would call
//   copy            the copy limit: fwd = read n + write n floats (memcpy),
//                   bwd = read 2n + write n (dx = x + dy); both with
//                   non-temporal stores for large n, as the kernels use
// Throughput is Gelem/s = 1e9 elements per second, from the best (or the
// median) of `repeats` timed repetitions after a warm-up; each repetition
// runs the call enough times to last at least `min_seconds`.
//
// Every implementation's output is also compared with the long double
// reference (not timed), so a mis-mapped oneDNN algorithm or a wrong PyTorch
// parameter shows up as an error instead of a fast wrong number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlab/act/catalogue.hpp"

namespace actlab::lab {

// Input distributions. Value-dependent slow paths are a known trap (MKL's
// GELU below x = -14), hence more than one.
enum class InputDist : std::uint8_t {
  normal,    // N(0, 3^2): the default, typical pre-activations
  uniform,   // U(-100, 100): wide range, both saturations
  negative,  // -|N(0, 10^2)| - 1e-3: all negative (exp / erfc tails)
  large,     // +-U(1e3, 1e30) log-uniform: overflow and cut-off paths
};
std::optional<InputDist> parse_dist(std::string_view name);
const char* dist_name(InputDist d);
const char* dist_description(InputDist d);
// Deterministic for (d, seed, i): the first k values do not depend on n, so
// every size sees a prefix of the same stream.
void fill_inputs(InputDist d, std::uint64_t seed, float* x, std::size_t n);

struct BenchEntry {
  act::Act act;
  act::Params params;
};

struct BenchOptions {
  std::vector<BenchEntry> acts;
  std::vector<std::size_t> sizes;
  std::vector<int> threads;
  bool onednn = false;
  bool torch = false;
  InputDist dist = InputDist::normal;
  int repeats = 5;
  double min_seconds = 0.02;  // per repetition
  bool median = false;        // best-of by default
  std::uint64_t seed = 20240607;
  bool inplace = true;        // also time in-place forward/backward
  std::string python = "/usr/bin/python3";
  std::string torch_script;   // bench/torch_eltwise.py; empty: next to the source tree
  std::function<void(const std::string&)> progress;  // optional, one line per step
};

inline constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

struct BenchRow {
  std::string act;
  act::Act id{};
  std::size_t n = 0;
  int threads = 1;
  std::string impl;              // actlab, actlab_inplace, actlab_y, onednn, onednn_y, torch, copy
  double fwd = kNotMeasured;     // Gelem/s
  double bwd = kNotMeasured;
  double fwd_err = kNotMeasured; // max |out - ref| / max(|ref|, 1) (not for copy)
  double bwd_err = kNotMeasured;
};

struct BenchReport {
  std::vector<BenchRow> rows;
  // Why a comparison is missing ("oneDNN 2.6 has no eltwise algorithm for
  // softsign", "PyTorch unavailable: ..."): printed, never dropped.
  std::vector<std::string> notes;
  std::string target;  // SIMD target actlab used
  std::string cpu;     // CPU model
  std::string onednn_version, torch_version;
  BenchOptions options;
};

// Runs the whole benchmark. Throws UsageError for invalid options (empty
// lists, rowwise entries, n = 0, threads < 1, repeats < 1).
BenchReport run_kernel_bench(const BenchOptions& opt);

// CSV: act,n,threads,impl,fwd_Gelem_s,bwd_Gelem_s (empty = not measured).
void write_csv(const BenchReport& r, std::ostream& os);
// The readable table: throughput per implementation, then the ratios
// actlab / oneDNN, actlab / PyTorch and actlab / copy against the issue's
// targets, then the notes.
void write_table(const BenchReport& r, std::ostream& os);

// Issue 5 target for the ratio actlab / oneDNN: 1.0 for piecewise-linear
// entries, 1.3 for transcendental ones.
double onednn_target(act::Act a);

// Max error of `out` against the reference forward (or derivative * dy)
// over the first n values: max |out - ref| / max(|ref|, 1).
double max_error_fwd(act::Act a, const act::Params& p, const float* x, const float* y,
                     std::size_t n);
double max_error_bwd(act::Act a, const act::Params& p, const float* x, const float* dy,
                     const float* dx, std::size_t n);

// oneDNN 2.6's eltwise for `a` in the form act::SweepOptions::impl expects
// (x -> f(x); backward: f'(x), i.e. diff_src from src with diff_dst = 1),
// for `actlab ulp --impl onednn`. nullopt with `why` when oneDNN has no
// equivalent algorithm.
struct OnednnEltwiseFn {
  std::function<void(const float* x, float* out, std::size_t n, bool backward)> fn;
  std::string algorithm;  // e.g. "eltwise_logistic"
  std::string version;    // e.g. "2.6.3"
};
std::optional<OnednnEltwiseFn> onednn_eltwise_fn(act::Act a, const act::Params& p, std::string& why);

// CPU model name from /proc/cpuinfo ("unknown" if unreadable).
std::string cpu_model();

}  // namespace actlab::lab
