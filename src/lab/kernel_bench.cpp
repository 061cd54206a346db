// actlab bench: the measurement loop, inputs, correctness checks and the
// copy limit. oneDNN lives in kernel_bench_onednn.cpp, PyTorch in
// kernel_bench_torch.cpp, output formats in kernel_bench_report.cpp.
#include "actlab/lab/kernel_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "actlab/act/kernels.hpp"
#include "actlab/act/parallel.hpp"
#include "actlab/act/reference.hpp"
#include "actlab/core/error.hpp"
#include "src/lab/kernel_bench_internal.hpp"

namespace actlab::lab {
namespace {

// splitmix64: a stateless hash of (seed, index), so value i does not depend
// on how many values are drawn (sizes share a prefix) or on the thread.
std::uint64_t mix(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
// Uniform in (0, 1), never 0 (log below).
double unit(std::uint64_t seed, std::uint64_t i, std::uint64_t stream) {
  const std::uint64_t h = mix(seed ^ mix(i * 4 + stream));
  return (static_cast<double>(h >> 11) + 0.5) * 0x1.0p-53;
}
double normal01(std::uint64_t seed, std::uint64_t i) {
  const double u1 = unit(seed, i, 0), u2 = unit(seed, i, 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

// 64-byte aligned float buffer (no zeroing: every use fills it first).
struct Buffer {
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float[], Free> p;
  explicit Buffer(std::size_t n) {
    const std::size_t bytes = (std::max<std::size_t>(n, 1) * sizeof(float) + 63) / 64 * 64;
    p.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
    if (!p) throw DataError("actlab bench: cannot allocate " + std::to_string(bytes) + " bytes; use a smaller --n");
    std::memset(p.get(), 0, bytes);  // first touch here, not in the timed loop
  }
  float* get() const { return p.get(); }
};

constexpr std::size_t kCheck = 4096;  // values checked at each end of a buffer

// Max error over the first and the last kCheck values (chunk boundaries of
// threaded calls sit in between; the ends catch tail handling).
template <class F>
double check_ends(std::size_t n, F&& err) {
  if (n <= 2 * kCheck) return err(std::size_t{0}, n);
  return std::max(err(std::size_t{0}, kCheck), err(n - kCheck, kCheck));
}

double rel_err(long double ref, float out) {
  const bool rn = std::isnan(ref), on = std::isnan(out);
  if (rn || on) return rn == on ? 0.0 : std::numeric_limits<double>::infinity();
  if (std::isinf(ref) || std::isinf(out)) return ref == out ? 0.0 : std::numeric_limits<double>::infinity();
  return static_cast<double>(std::fabs(ref - out) / std::max(std::fabs(ref), 1.0L));
}

// Copy limit on `threads` threads, split like the kernels split.
void split_copy(std::size_t n, int threads, const std::function<void(std::size_t, std::size_t)>& f) {
  if (threads <= 1 || n < 2 * act::kMinPerThread) return f(0, n);
  const std::size_t parts = std::min<std::size_t>(threads, n / act::kMinPerThread);
  const std::size_t chunk = ((n + parts - 1) / parts + 15) / 16 * 16;
  act::parallel_for((n + chunk - 1) / chunk, threads, [&](std::size_t c) {
    const std::size_t b = c * chunk;
    f(b, std::min(n, b + chunk) - b);
  });
}

// The backward limit: read 2n, write n floats (dx = x + dy). Large arrays
// use non-temporal stores, as glibc's memcpy does for the forward limit, so
// the limit is the best this machine can do, not a strawman. SSE2 is the
// x86-64 baseline (no -march); the loop is memory-bound at those sizes.
void add_limit(const float* __restrict a, const float* __restrict b, float* __restrict out, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  if (n >= (std::size_t{1} << 22)) {
    for (; i < n && (reinterpret_cast<std::uintptr_t>(out + i) & 15) != 0; ++i) out[i] = a[i] + b[i];
    for (; i + 4 <= n; i += 4) _mm_stream_ps(out + i, _mm_add_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
    _mm_sfence();
  }
#endif
  for (; i < n; ++i) out[i] = a[i] + b[i];
}

void validate(const BenchOptions& o) {
  if (o.acts.empty()) throw UsageError("actlab bench: no activation to measure");
  for (const auto& e : o.acts)
    if (act::is_rowwise(e.act))
      throw UsageError(std::string("actlab bench: '") + act::name(e.act) +
                       "' is rowwise (softmax family); bench measures pointwise activations");
  if (o.sizes.empty()) throw UsageError("--n: give at least one size");
  for (auto n : o.sizes)
    if (n == 0 || n > (std::size_t{1} << 30))
      throw UsageError("--n: " + std::to_string(n) + " is out of range; use 1 .. 2^30 elements");
  if (o.threads.empty()) throw UsageError("--threads: give at least one thread count");
  for (int t : o.threads)
    if (t < 1 || t > 1024) throw UsageError("--threads: " + std::to_string(t) + " is out of range; use 1 .. 1024");
  if (o.repeats < 1) throw UsageError("--repeats: must be >= 1");
  if (!(o.min_seconds >= 0) || o.min_seconds > 60) throw UsageError("--min-time: must be in [0, 60] seconds");
}

}  // namespace

// ---------------------------------------------------------------------------
std::optional<InputDist> parse_dist(std::string_view s) {
  if (s == "normal") return InputDist::normal;
  if (s == "uniform") return InputDist::uniform;
  if (s == "negative") return InputDist::negative;
  if (s == "large") return InputDist::large;
  return std::nullopt;
}
const char* dist_name(InputDist d) {
  switch (d) {
    case InputDist::normal: return "normal";
    case InputDist::uniform: return "uniform";
    case InputDist::negative: return "negative";
    case InputDist::large: return "large";
  }
  return "?";
}
const char* dist_description(InputDist d) {
  switch (d) {
    case InputDist::normal: return "normal(0, sigma=3)";
    case InputDist::uniform: return "uniform(-100, 100)";
    case InputDist::negative: return "-|normal(0, sigma=10)| - 1e-3 (all negative)";
    case InputDist::large: return "+-10^uniform(3, 30) (large magnitudes)";
  }
  return "?";
}

void fill_inputs(InputDist d, std::uint64_t seed, float* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    double v = 0;
    switch (d) {
      case InputDist::normal: v = 3.0 * normal01(seed, i); break;
      case InputDist::uniform: v = -100.0 + 200.0 * unit(seed, i, 2); break;
      case InputDist::negative: v = -std::fabs(10.0 * normal01(seed, i)) - 1e-3; break;
      case InputDist::large: {
        const double mag = std::pow(10.0, 3.0 + 27.0 * unit(seed, i, 2));
        v = unit(seed, i, 3) < 0.5 ? -mag : mag;
        break;
      }
    }
    x[i] = static_cast<float>(v);
  }
}

double onednn_target(act::Act a) { return act::has(a, act::kPiecewiseLinear) ? 1.0 : 1.3; }

double max_error_fwd(act::Act a, const act::Params& p, const float* x, const float* y, std::size_t n) {
  double m = 0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, rel_err(act::ref::forward(a, p, x[i]), y[i]));
  return m;
}
double max_error_bwd(act::Act a, const act::Params& p, const float* x, const float* dy,
                     const float* dx, std::size_t n) {
  double m = 0;
  for (std::size_t i = 0; i < n; ++i)
    m = std::max(m, rel_err(static_cast<long double>(dy[i]) * act::ref::derivative(a, p, x[i]), dx[i]));
  return m;
}

std::string cpu_model() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("model name", 0) == 0) {
      const auto c = line.find(':');
      if (c != std::string::npos) return line.substr(line.find_first_not_of(' ', c + 1));
    }
  return "unknown";
}

namespace detail {

namespace {
using Clock = std::chrono::steady_clock;
double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }
double pick(std::vector<double>& v, bool median) {
  std::sort(v.begin(), v.end());
  return median ? v[v.size() / 2] : v.front();
}
}  // namespace

void run_interleaved(const BenchOptions& o, std::size_t n, std::vector<Task>& tasks) {
  // Verify first (untimed; doubles as the warm-up), then calibrate each task
  // so that one repetition lasts min_seconds.
  std::vector<std::size_t> iters(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    auto& tk = tasks[i];
    if (tk.restore) tk.restore();
    tk.fn();
    tk.err = tk.verify ? tk.verify() : kNotMeasured;
    if (tk.restore) tk.restore();
    const auto t0 = Clock::now();
    tk.fn();
    const double first = std::max(seconds(t0, Clock::now()), 1e-9);
    iters[i] = std::clamp<std::size_t>(static_cast<std::size_t>(o.min_seconds / first) + 1, 1, 1000000);
  }
  // Repetitions round-robin over the tasks: on a shared machine every
  // implementation sees the same background load, so ratios stay fair.
  std::vector<std::vector<double>> per_call(tasks.size());
  for (int r = 0; r < o.repeats; ++r) {
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      auto& tk = tasks[i];
      double sum = 0;
      if (tk.restore) {
        for (std::size_t k = 0; k < iters[i]; ++k) {
          tk.restore();
          const auto t0 = Clock::now();
          tk.fn();
          sum += seconds(t0, Clock::now());
        }
      } else {
        const auto t0 = Clock::now();
        for (std::size_t k = 0; k < iters[i]; ++k) tk.fn();
        sum = seconds(t0, Clock::now());
      }
      per_call[i].push_back(sum / static_cast<double>(iters[i]));
    }
  }
  for (std::size_t i = 0; i < tasks.size(); ++i)
    tasks[i].gelem = static_cast<double>(n) / pick(per_call[i], o.median) * 1e-9;
}

}  // namespace detail

// ---------------------------------------------------------------------------
BenchReport run_kernel_bench(const BenchOptions& opt) {
  validate(opt);
  BenchReport rep;
  rep.options = opt;
  rep.target = act::current_target();
  rep.cpu = cpu_model();
  auto progress = [&](const std::string& s) {
    if (opt.progress) opt.progress(s);
  };

  const std::size_t n_max = *std::max_element(opt.sizes.begin(), opt.sizes.end());
  Buffer x(n_max), y(n_max), dy(n_max), dx(n_max), z(n_max), w(n_max);
  fill_inputs(opt.dist, opt.seed, x.get(), n_max);
  fill_inputs(InputDist::normal, opt.seed + 1, dy.get(), n_max);
  for (std::size_t i = 0; i < n_max; ++i) dy.get()[i] /= 3.f;  // dy ~ N(0, 1)

  // oneDNN: which entries it has, and whether its threads can be pinned.
  std::vector<std::optional<detail::OnednnMapping>> maps(opt.acts.size());
  bool onednn_threads_ok = true;
  if (opt.onednn) {
    rep.onednn_version = detail::onednn_version();
    std::string why;
    onednn_threads_ok = detail::onednn_set_threads(opt.threads.front(), why);
    if (!onednn_threads_ok) rep.notes.push_back("oneDNN not measured: " + why);
    for (std::size_t k = 0; k < opt.acts.size() && onednn_threads_ok; ++k) {
      maps[k] = detail::onednn_mapping(opt.acts[k].act, opt.acts[k].params, why);
      if (!maps[k]) rep.notes.push_back(std::string("oneDNN: ") + act::name(opt.acts[k].act) + ": " + why);
    }
  } else {
    rep.notes.push_back("oneDNN not compared (add --against onednn)");
  }

  const int saved_threads = act::num_threads();
  for (std::size_t k = 0; k < opt.acts.size(); ++k) {
    const act::Act a = opt.acts[k].act;
    const act::Params& p = opt.acts[k].params;
    const bool has_y = act::has_backward_from_y(a, p);
    for (std::size_t n : opt.sizes) {
      for (int t : opt.threads) {
        progress(std::string(act::name(a)) + " n=" + std::to_string(n) + " threads=" + std::to_string(t));
        act::set_num_threads(t);
        if (maps[k]) {
          std::string why;
          detail::onednn_set_threads(t, why);
        }
        auto err_fwd = [&](const float* out) {
          return check_ends(n, [&](std::size_t b, std::size_t len) {
            return max_error_fwd(a, p, x.get() + b, out + b, len);
          });
        };
        auto err_bwd = [&](const float* out) {
          return check_ends(n, [&](std::size_t b, std::size_t len) {
            return max_error_bwd(a, p, x.get() + b, dy.get() + b, out + b, len);
          });
        };
        // y = f(x) from actlab is the input of every actlab backward.
        act::forward(a, p, x.get(), y.get(), n);

        std::vector<detail::Task> tasks;
        auto add = [&](const char* impl, bool fwd, std::function<void()> fn, std::function<double()> verify,
                       std::function<void()> restore = {}) {
          tasks.push_back({impl, fwd, std::move(fn), std::move(verify), std::move(restore)});
        };
        add("actlab", true, [&] { act::forward(a, p, x.get(), y.get(), n); }, [&] { return err_fwd(y.get()); });
        add("actlab", false, [&] { act::backward(a, p, x.get(), y.get(), dy.get(), dx.get(), n); },
            [&] { return err_bwd(dx.get()); });
        if (has_y)
          add("actlab_y", false, [&] { act::backward_from_y(a, p, y.get(), dy.get(), dx.get(), n); },
              [&] { return err_bwd(dx.get()); });
        if (opt.inplace) {
          add("actlab_inplace", true, [&] { act::forward(a, p, z.get(), z.get(), n); }, [&] { return err_fwd(z.get()); },
              [&] { std::memcpy(z.get(), x.get(), n * sizeof(float)); });
          add("actlab_inplace", false, [&] { act::backward(a, p, x.get(), y.get(), z.get(), z.get(), n); },
              [&] { return err_bwd(z.get()); }, [&] { std::memcpy(z.get(), dy.get(), n * sizeof(float)); });
        }
        // oneDNN writes its y to w, so its use_dst backward reads its own output.
        std::unique_ptr<detail::OnednnEltwise> e;
        if (maps[k]) {
          e = std::make_unique<detail::OnednnEltwise>(*maps[k], n, x.get(), w.get(), dy.get(), dx.get());
          add("onednn", true, [&] { e->forward(); }, [&] { return err_fwd(w.get()); });
          add("onednn", false, [&] { e->backward(); }, [&] { return err_bwd(dx.get()); });
          if (e->has_backward_y()) add("onednn_y", false, [&] { e->backward_y(); }, [&] { return err_bwd(dx.get()); });
        }
        // The physical limit at this thread count (no error: not an activation).
        add("copy", true, [&] {
          split_copy(n, t, [&](std::size_t b, std::size_t len) {
            std::memcpy(z.get() + b, x.get() + b, len * sizeof(float));
          });
        }, {});
        add("copy", false, [&] {
          split_copy(n, t, [&](std::size_t b, std::size_t len) { add_limit(x.get() + b, dy.get() + b, dx.get() + b, len); });
        }, {});

        detail::run_interleaved(opt, n, tasks);

        for (const auto& tk : tasks) {
          auto it = std::find_if(rep.rows.begin(), rep.rows.end(), [&](const BenchRow& r) {
            return r.id == a && r.n == n && r.threads == t && r.impl == tk.impl;
          });
          if (it == rep.rows.end()) {
            BenchRow r;
            r.act = act::name(a);
            r.id = a;
            r.n = n;
            r.threads = t;
            r.impl = tk.impl;
            rep.rows.push_back(r);
            it = rep.rows.end() - 1;
          }
          (tk.fwd ? it->fwd : it->bwd) = tk.gelem;
          (tk.fwd ? it->fwd_err : it->bwd_err) = tk.err;
        }
      }
    }
  }
  act::set_num_threads(saved_threads);

  if (opt.torch) {
    progress("PyTorch (one python process for every activation, size and thread count)");
    const std::size_t check_n = std::min(n_max, kCheck);
    detail::TorchRun tr = detail::run_torch(opt, x.get(), dy.get(), n_max, check_n);
    if (!tr.ok) {
      rep.notes.push_back("PyTorch not measured: " + tr.why);
    } else {
      rep.torch_version = tr.version;
      for (auto& s : tr.notes) rep.notes.push_back("PyTorch: " + s);
      std::map<std::string, std::size_t> index;
      for (std::size_t k = 0; k < opt.acts.size(); ++k) index[act::name(opt.acts[k].act)] = k;
      for (const auto& t : tr.results) {
        const auto it = index.find(t.act);
        if (it == index.end()) continue;
        const std::size_t k = it->second;
        const auto& e = opt.acts[k];
        BenchRow r;
        r.act = t.act;
        r.id = e.act;
        r.n = t.n;
        r.threads = t.threads;
        r.impl = "torch";
        r.fwd = t.fwd;
        r.bwd = t.bwd;
        // The check output is over the first check_n inputs, shared by all sizes.
        if (tr.check_y[k].size() == check_n)
          r.fwd_err = max_error_fwd(e.act, e.params, x.get(), tr.check_y[k].data(), check_n);
        if (tr.check_dx[k].size() == check_n)
          r.bwd_err = max_error_bwd(e.act, e.params, x.get(), dy.get(), tr.check_dx[k].data(), check_n);
        rep.rows.push_back(r);
      }
    }
  } else {
    rep.notes.push_back("PyTorch not compared (add --against torch)");
  }

  // Group rows per (activation in the given order, n, threads), impls in a fixed order.
  auto impl_rank = [](const std::string& s) {
    static const char* order[] = {"actlab", "actlab_y", "actlab_inplace", "onednn", "onednn_y", "torch", "copy"};
    for (int i = 0; i < 7; ++i)
      if (s == order[i]) return i;
    return 7;
  };
  std::map<int, std::size_t> act_rank;
  for (std::size_t k = 0; k < opt.acts.size(); ++k) act_rank.emplace(static_cast<int>(opt.acts[k].act), k);
  std::stable_sort(rep.rows.begin(), rep.rows.end(), [&](const BenchRow& l, const BenchRow& r) {
    const auto kl = act_rank[static_cast<int>(l.id)], kr = act_rank[static_cast<int>(r.id)];
    if (kl != kr) return kl < kr;
    if (l.n != r.n) return l.n < r.n;
    if (l.threads != r.threads) return l.threads < r.threads;
    return impl_rank(l.impl) < impl_rank(r.impl);
  });
  return rep;
}

}  // namespace actlab::lab
