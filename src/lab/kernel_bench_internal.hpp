// Internal pieces of the kernel benchmark (src/lab/kernel_bench*.cpp): the
// oneDNN side, the PyTorch side and the timing loop. Not installed.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actlab/lab/kernel_bench.hpp"

namespace actlab::lab::detail {

// ---- timing (kernel_bench.cpp) -------------------------------------------
// One timed call of one implementation, for run_interleaved.
struct Task {
  std::string impl;
  bool fwd = true;                 // which column it fills
  std::function<void()> fn;        // the timed call
  std::function<double()> verify;  // error against the reference after fn (empty: none)
  std::function<void()> restore;   // before every call, untimed (in place); may be empty
  double gelem = kNotMeasured;     // result
  double err = kNotMeasured;
};
// Verifies every task once, then times them round-robin: repetition r of
// every task runs before repetition r + 1 of any, so a burst of background
// load hits all implementations alike. Fills gelem and err.
void run_interleaved(const BenchOptions& o, std::size_t n, std::vector<Task>& tasks);

// ---- oneDNN (kernel_bench_onednn.cpp) ------------------------------------
// How a catalogue entry maps to oneDNN 2.6 eltwise: algorithm kinds (as
// dnnl_alg_kind_t values, keeping dnnl.hpp out of this header) and alpha/beta.
struct OnednnMapping {
  int fwd_alg = 0;
  int dst_alg = -1;  // *_use_dst_for_bwd variant, -1 if none
  float alpha = 0.f;
  float beta = 0.f;
  std::string text;  // e.g. "eltwise_relu(alpha=0.01)"
};
// nullopt with `why` set when oneDNN has no equivalent algorithm.
std::optional<OnednnMapping> onednn_mapping(act::Act a, const act::Params& p, std::string& why);

// Primitives for one size over caller-owned buffers (x, y, dy, dx, n floats).
class OnednnEltwise {
 public:
  OnednnEltwise(const OnednnMapping& m, std::size_t n, const float* x, float* y, const float* dy,
                float* dx);
  ~OnednnEltwise();
  void forward();       // y = f(x)
  void backward();      // dx from (x, dy)
  bool has_backward_y() const;
  void backward_y();    // dx from (y, dy); y must hold forward()'s output

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Pins oneDNN's OpenMP team to `threads` (omp_set_num_threads of the libgomp
// oneDNN is linked with). False with `why` when that is impossible.
bool onednn_set_threads(int threads, std::string& why);
std::string onednn_version();

// ---- PyTorch (kernel_bench_torch.cpp) -------------------------------------
struct TorchResult {
  std::string act;
  std::size_t n = 0;
  int threads = 1;
  double fwd = kNotMeasured, bwd = kNotMeasured;
};
struct TorchRun {
  bool ok = false;
  std::string why;      // when !ok: the reason PyTorch could not be measured
  std::string version;
  std::vector<TorchResult> results;
  std::vector<std::string> notes;  // per-activation reasons
  // Per activation (index into opt.acts): y and dx over the first check_n
  // inputs, for the correctness check; empty when not produced.
  std::vector<std::vector<float>> check_y, check_dx;
};
// Runs bench/torch_eltwise.py once for every activation, size and thread
// count. x and dy hold at least max(sizes) values.
TorchRun run_torch(const BenchOptions& o, const float* x, const float* dy, std::size_t n_max,
                   std::size_t check_n);

}  // namespace actlab::lab::detail
