// Prototype harness: exhaustive (or strided) ULP sweep against actlab's
// reference (double screen, long double recheck above 0.75 ULP) and
// speed side by side with oneDNN eltwise, 1 thread, n = 2^14 and 2^20.
// A prototype translation unit defines kernels with PROTO_FWD / PROTO_BWD
// and calls run_entries() from main.
#pragma once
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>
#include <oneapi/dnnl/dnnl.hpp>
#include "actlab/act/catalogue.hpp"
#include "actlab/act/reference.hpp"
#include "hwy/highway.h"
namespace hn = hwy::HWY_NAMESPACE;
namespace act = actlab::act;

// y = f(x) (backward: dx = f'(x) * dy) over whole vectors of n (n % 16 == 0).
using FwdFn = void (*)(const float*, float*, size_t);
using BwdFn = void (*)(const float*, const float*, float*, size_t);
#define PROTO_FWD(NAME, EXPR)                                              \
  static void NAME(const float* xp, float* yp, size_t n) {                 \
    const hn::ScalableTag<float> d;                                        \
    for (size_t i = 0; i < n; i += hn::Lanes(d)) {                         \
      const auto x = hn::LoadU(d, xp + i);                                 \
      hn::StoreU(EXPR, d, yp + i);                                         \
    }                                                                      \
  }
#define PROTO_BWD(NAME, EXPR)                                              \
  static void NAME(const float* xp, const float* dyp, float* dxp, size_t n) { \
    const hn::ScalableTag<float> d;                                        \
    for (size_t i = 0; i < n; i += hn::Lanes(d)) {                         \
      const auto x = hn::LoadU(d, xp + i);                                 \
      const auto dy = hn::LoadU(d, dyp + i);                               \
      hn::StoreU(EXPR, d, dxp + i);                                        \
    }                                                                      \
  }

struct Entry {
  const char* name;       // label
  act::Act a;             // reference entry (default parameters unless p set)
  FwdFn fwd = nullptr;    // either fwd or bwd
  BwdFn bwd = nullptr;
  int onednn_alg = -1;    // dnnl::algorithm, or -1: no speed comparison
  float lo = -INFINITY, hi = INFINITY;  // sweep only x in [lo, hi] (rare lanes excluded)
  float alpha = 0, beta = 0;            // oneDNN alpha/beta
  bool has_p = false; act::Params p{};
};

inline double ulp_of(long double r) {
  int e; std::frexp((double)std::fabs(r), &e);
  return std::ldexp(1.0, std::max(e - 1, -126) - 23);
}
inline double ulp_err(float y, long double r) {
  if (std::isnan((double)r) || std::isnan(y)) return (std::isnan((double)r) && std::isnan(y)) ? 0 : INFINITY;
  float rf = (float)r;
  if (std::isinf(rf) || std::isinf(y)) return rf == y ? 0 : INFINITY;
  return (double)(std::fabs((long double)y - r) / ulp_of(r));
}

struct Res { double mx = 0; float wx = 0, wy = 0; double wr = 0; unsigned long long n = 0, a1 = 0, a2 = 0, bad = 0; };

inline Res sweep(const Entry& e, uint32_t step, int threads = 2) {
  const act::Params p = e.has_p ? e.p : act::defaults(e.a);
  std::vector<Res> rs(threads);
  std::vector<std::thread> th;
  for (int t = 0; t < threads; ++t) th.emplace_back([&, t] {
    Res R; constexpr size_t B = 4096;
    std::vector<float> xs(B), ys(B), ones(B, 1.f);
    const uint64_t begin = (uint64_t(1) << 32) * t / threads, end = (uint64_t(1) << 32) * (t + 1) / threads;
    size_t m = 0;
    auto flush = [&] {
      size_t mm = (m + 15) / 16 * 16;
      for (size_t i = m; i < mm; ++i) xs[i] = 0.f;
      if (e.fwd) e.fwd(xs.data(), ys.data(), mm); else e.bwd(xs.data(), ones.data(), ys.data(), mm);
      for (size_t i = 0; i < m; ++i) {
        const double rd = e.fwd ? act::ref::forward_d(e.a, p, xs[i]) : act::ref::derivative_d(e.a, p, xs[i]);
        double u = ulp_err(ys[i], rd);
        long double r = rd;
        if (!(u < 0.75)) {  // recheck in long double
          r = e.fwd ? act::ref::forward(e.a, p, xs[i]) : act::ref::derivative(e.a, p, xs[i]);
          u = ulp_err(ys[i], r);
        }
        R.n++;
        if (std::isinf(u)) { R.bad++; if (R.bad < 4) fprintf(stderr, "  mismatch x=%a y=%a ref=%a\n", xs[i], ys[i], (double)r); continue; }
        if (u > 1) R.a1++;
        if (u > 2) R.a2++;
        if (u > R.mx) { R.mx = u; R.wx = xs[i]; R.wy = ys[i]; R.wr = (double)r; }
      }
      m = 0;
    };
    for (uint64_t b = begin; b < end; b += step) {
      const uint32_t u = (uint32_t)b; float f; std::memcpy(&f, &u, 4);
      if (!(f >= e.lo && f <= e.hi)) continue;
      xs[m++] = f;
      if (m == B) flush();
    }
    flush();
    rs[t] = R;
  });
  for (auto& x : th) x.join();
  Res out;
  for (auto& r : rs) {
    if (r.mx > out.mx) { out.mx = r.mx; out.wx = r.wx; out.wy = r.wy; out.wr = r.wr; }
    out.n += r.n; out.a1 += r.a1; out.a2 += r.a2; out.bad += r.bad;
  }
  return out;
}

inline double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Best-of-7 round-robin timing against oneDNN (1 thread), x ~ normal(0, 3), dy ~ normal(0, 1).
inline void speed(const Entry& e) {
  for (size_t n : {size_t(1) << 14, size_t(1) << 20}) {
    std::vector<float> x(n), dy(n), y(n), y2(n);
    std::mt19937 g(20240607); std::normal_distribution<float> nd(0, 3), nd1(0, 1);
    for (auto& v : x) v = nd(g);
    for (auto& v : dy) v = nd1(g);
    auto run_a = [&] { if (e.fwd) e.fwd(x.data(), y.data(), n); else e.bwd(x.data(), dy.data(), y.data(), n); };
    std::function<void()> run_d;
    dnnl::engine eng(dnnl::engine::kind::cpu, 0); dnnl::stream st(eng);
    dnnl::memory::desc md({(long)n}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::a);
    dnnl::memory mx(md, eng, x.data()), my(md, eng, y2.data()), mdy(md, eng, dy.data());
    dnnl::eltwise_forward prim; dnnl::eltwise_backward bprim;
    if (e.onednn_alg >= 0) {
      auto alg = (dnnl::algorithm)e.onednn_alg;
      dnnl::eltwise_forward::primitive_desc pd({dnnl::prop_kind::forward_training, alg, md, e.alpha, e.beta}, eng);
      prim = dnnl::eltwise_forward(pd);
      dnnl::eltwise_backward::primitive_desc bpd({alg, md, md, e.alpha, e.beta}, eng, pd);
      bprim = dnnl::eltwise_backward(bpd);
      if (e.fwd) run_d = [&] { prim.execute(st, {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DST, my}}); st.wait(); };
      else run_d = [&] { bprim.execute(st, {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DIFF_DST, mdy}, {DNNL_ARG_DIFF_SRC, my}}); st.wait(); };
    }
    const int reps = n < 100000 ? 1000 : 20;
    double ba = 1e9, bd = 1e9;
    for (int round = 0; round < 7; ++round) {
      double t = now_s(); for (int i = 0; i < reps; ++i) run_a(); ba = std::min(ba, now_s() - t);
      if (run_d) { t = now_s(); for (int i = 0; i < reps; ++i) run_d(); bd = std::min(bd, now_s() - t); }
    }
    if (run_d) printf("  n=2^%d: ours %.3f Gelem/s, oneDNN %.3f Gelem/s, ratio %.2f\n", n < 100000 ? 14 : 20, n * reps / ba * 1e-9, n * reps / bd * 1e-9, bd / ba);
    else printf("  n=2^%d: ours %.3f Gelem/s\n", n < 100000 ? 14 : 20, n * reps / ba * 1e-9);
  }
}

// argv: [name|all] [step] [--no-speed] [--no-acc]
inline int run_entries(const std::vector<Entry>& es, int argc, char** argv) {
  std::string which = argc > 1 ? argv[1] : "all";
  uint32_t step = argc > 2 ? (uint32_t)std::stoul(argv[2]) : 1;
  bool do_speed = true, do_acc = true;
  for (int i = 3; i < argc; ++i) { if (std::string(argv[i]) == "--no-speed") do_speed = false; if (std::string(argv[i]) == "--no-acc") do_acc = false; }
  for (const auto& e : es) {
    if (which != "all" && which != e.name) continue;
    printf("%s (%s, x in [%g, %g], step %u)\n", e.name, e.fwd ? "forward" : "backward, dy = 1", e.lo, e.hi, step);
    if (do_acc) {
      const double t0 = now_s();
      const Res R = sweep(e, step);
      printf("  max %.4f ulp at x=%a (%.9g): y=%a ref=%a; >1: %llu, >2: %llu of %llu, non-finite mismatches %llu [%.1fs]\n",
             R.mx, R.wx, R.wx, R.wy, R.wr, R.a1, R.a2, R.n, R.bad, now_s() - t0);
    }
    if (do_speed) speed(e);
    fflush(stdout);
  }
  return 0;
}
