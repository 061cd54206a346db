// ULP error measurement; see ulp.hpp for the definition.
#include "actlab/act/ulp.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <random>
#include <vector>

#include "actlab/act/kernels.hpp"
#include "actlab/act/parallel.hpp"
#include "actlab/act/reference.hpp"

namespace actlab::act {
namespace {

using ld = long double;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::uint32_t bits_of(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

float float_of(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// Rowwise backward: error in ULPs of `scale` (the larger term), see ulp.hpp.
double scaled_error(float y, ld r, ld scale) {
  if (std::isnan(y) || std::isnan(r) || std::isinf(y) || std::isinf(static_cast<float>(r)) ||
      scale == 0 || !std::isfinite(scale))
    return ulp_error(y, r);
  return static_cast<double>(std::fabs(static_cast<ld>(y) - r) / ulp_of(std::max(std::fabs(r), scale)));
}

void record_err(UlpStats& s, float x, float y, ld r, double e) {
  ++s.count;
  if (std::isinf(e)) ++s.nonfinite_mismatch;
  if (e > 1) ++s.above1;
  if (e > 2) ++s.above2;
  if (e > s.max_ulp) {
    s.max_ulp = e;
    s.worst_x = x;
    s.worst_y = y;
    s.worst_ref = r;
  }
}

UlpStats sweep_pointwise(Act a, const Params& p, const SweepOptions& o) {
  const std::uint64_t step = std::max<std::uint64_t>(1, o.step);
  const std::uint64_t total = ((std::uint64_t{1} << 32) + step - 1) / step;  // patterns i*step < 2^32
  constexpr std::uint64_t kChunk = 1 << 14;                                  // below the kernels' split
  const std::uint64_t chunks = (total + kChunk - 1) / kChunk;
  UlpStats all;
  std::mutex mu;
  std::atomic<std::uint64_t> done{0};
  const int threads = o.threads > 0 ? o.threads : num_threads();
  parallel_for(chunks, threads, [&](std::size_t c) {
    const std::uint64_t b = c * kChunk, n = std::min(total, b + kChunk) - b;
    std::vector<float> x(n), y(n), one(n, 1.f), dx(n);
    for (std::uint64_t i = 0; i < n; ++i) x[i] = float_of(static_cast<std::uint32_t>((b + i) * step));
    forward(a, p, x.data(), y.data(), n);
    if (o.backward) backward(a, p, x.data(), y.data(), one.data(), dx.data(), n);
    UlpStats s;
    for (std::uint64_t i = 0; i < n; ++i) {
      if (o.backward)
        ulp_record(s, x[i], dx[i], ref::derivative(a, p, x[i]));
      else
        ulp_record(s, x[i], y[i], ref::forward(a, p, x[i]));
    }
    std::lock_guard<std::mutex> lk(mu);
    ulp_merge(all, s);
    const std::uint64_t d = ++done;
    if (o.progress && (d % 64 == 0 || d == chunks)) o.progress(double(d) / double(chunks));
  });
  return all;
}

// One random row: a mix of scales so that both the max-subtraction and the
// summation are exercised (normal sigma 3, wide uniform, near-ties, one
// dominant element).
void random_row(std::mt19937_64& rng, std::vector<float>& x) {
  std::normal_distribution<float> nd(0.f, 3.f);
  std::uniform_real_distribution<float> ud(-100.f, 100.f);
  const int kind = static_cast<int>(rng() % 4);
  for (auto& v : x) {
    switch (kind) {
      case 0: v = nd(rng); break;
      case 1: v = ud(rng); break;
      case 2: v = 5.f + nd(rng) * 1e-3f; break;
      default: v = nd(rng) * 0.1f; break;
    }
  }
  if (kind == 3 && !x.empty()) x[rng() % x.size()] = 30.f;
}

UlpStats sweep_rows(Act a, const Params& p, const SweepOptions& o) {
  static const std::size_t kLens[] = {1, 2, 3, 5, 8, 16, 31, 64, 100, 257, 1000};
  const std::uint64_t rows = std::max<std::uint64_t>(1, o.rows);
  constexpr std::uint64_t kPer = 64;
  const std::uint64_t chunks = (rows + kPer - 1) / kPer;
  UlpStats all;
  std::mutex mu;
  std::atomic<std::uint64_t> done{0};
  const int threads = o.threads > 0 ? o.threads : num_threads();
  parallel_for(chunks, threads, [&](std::size_t c) {
    UlpStats s;
    for (std::uint64_t r = c * kPer; r < std::min(rows, (c + 1) * kPer); ++r) {
      std::mt19937_64 rng(o.seed * 1000003u + r);
      const std::size_t n = kLens[r % std::size(kLens)];
      std::vector<float> x(n), y(n), dy(n), dx(n);
      std::vector<ld> ry(n), rdx(n);
      random_row(rng, x);
      forward(a, p, x.data(), y.data(), n);
      ref::forward_row(a, x.data(), ry.data(), n);
      if (!o.backward) {
        for (std::size_t j = 0; j < n; ++j) ulp_record(s, x[j], y[j], ry[j]);
        continue;
      }
      std::normal_distribution<float> nd(0.f, 1.f);
      for (auto& v : dy) v = nd(rng);
      backward(a, p, x.data(), y.data(), dy.data(), dx.data(), n);
      ref::backward_row(a, x.data(), dy.data(), rdx.data(), n);
      // Magnitudes of the sums the kernel forms (see ulp.hpp).
      ld abs_sum = 0, abs_dot = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const ld pj = a == Act::log_softmax ? std::exp(ry[j]) : ry[j];
        abs_sum += std::fabs(static_cast<ld>(dy[j]));
        abs_dot += std::fabs(dy[j] * pj);
      }
      for (std::size_t j = 0; j < n; ++j) {
        const ld scale = a == Act::log_softmax
                             ? std::fabs(static_cast<ld>(dy[j])) + std::exp(ry[j]) * abs_sum
                             : std::fabs(ry[j]) * (std::fabs(static_cast<ld>(dy[j])) + abs_dot);
        record_err(s, x[j], dx[j], rdx[j], scaled_error(dx[j], rdx[j], scale));
      }
    }
    std::lock_guard<std::mutex> lk(mu);
    ulp_merge(all, s);
    const std::uint64_t d = ++done;
    if (o.progress) o.progress(double(d) / double(chunks));
  });
  return all;
}

}  // namespace

// floor(log2 |r|) of a finite non-zero long double, from its bits (x87
// 80-bit format on x86-64: 15-bit biased exponent, explicit integer bit);
// much cheaper than frexpl in the 2^32-input sweep. Other formats: frexp.
int exponent_of(long double r) {
#if defined(__x86_64__) || defined(__i386__)
  static_assert(std::numeric_limits<long double>::digits == 64);
  unsigned char b[sizeof(long double)];
  std::memcpy(b, &r, sizeof r);
  std::uint64_t mant;
  std::uint16_t se;
  std::memcpy(&mant, b, 8);
  std::memcpy(&se, b + 8, 2);
  const int biased = se & 0x7fff;
  (void)mant;
  // A denormal long double (< 1e-4931) is far below float's range: any
  // exponent under -126 gives the same float ULP.
  return biased != 0 ? biased - 16383 : -16383;
#else
  int e = 0;
  std::frexp(r, &e);
  return e - 1;
#endif
}

long double ulp_of(long double r) {
  if (r == 0) return std::ldexp(1.0L, -149);
  const int ex = std::min(std::max(exponent_of(std::fabs(r)), -126), 127);
  return std::ldexp(1.0L, ex - 23);
}

double ulp_error(float y, long double r) {
  const bool yn = std::isnan(y), rn = std::isnan(r);
  if (yn || rn) return yn && rn ? 0.0 : kInf;
  const float rf = static_cast<float>(r);  // round to nearest
  if (std::isinf(rf) || std::isinf(y)) return rf == y ? 0.0 : kInf;
  const long double diff = std::fabs(static_cast<ld>(y) - r);
  if (diff == 0) return 0.0;
  const int ex = r == 0 ? -126 : std::min(std::max(exponent_of(std::fabs(r)), -126), 127);
  // diff / 2^(ex - 23), as an exact power-of-two scaling.
  return static_cast<double>(diff) * std::ldexp(1.0, 23 - ex);
}

void ulp_record(UlpStats& s, float x, float y, long double r) { record_err(s, x, y, r, ulp_error(y, r)); }

void ulp_merge(UlpStats& into, const UlpStats& from) {
  const bool take = from.max_ulp > into.max_ulp ||
                    (from.max_ulp == into.max_ulp && from.count && from.max_ulp > 0 &&
                     bits_of(from.worst_x) < bits_of(into.worst_x));
  if (take) {
    into.max_ulp = from.max_ulp;
    into.worst_x = from.worst_x;
    into.worst_y = from.worst_y;
    into.worst_ref = from.worst_ref;
  }
  into.count += from.count;
  into.above1 += from.above1;
  into.above2 += from.above2;
  into.nonfinite_mismatch += from.nonfinite_mismatch;
}

bool meets_contract(const UlpStats& s, int ulp) {
  return s.nonfinite_mismatch == 0 && s.max_ulp <= std::max(static_cast<double>(ulp), 0.5);
}

UlpStats ulp_sweep(Act a, const Params& p, const SweepOptions& o) {
  return is_rowwise(a) ? sweep_rows(a, p, o) : sweep_pointwise(a, p, o);
}

}  // namespace actlab::act
