// ULP error measurement; see ulp.hpp for the definition.
#include "actlab/act/ulp.hpp"

#include <algorithm>
#include <cfloat>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <stdexcept>
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
  if (!std::isinf(e) && e > s.max_finite_ulp) {
    s.max_finite_ulp = e;
    s.worst_finite_x = x;
  }
}

// ---- Pointwise sweep with the double screen (see ulp.hpp) ----------------

constexpr std::uint64_t kChunk = 1 << 14;  // below the kernels' split; a multiple of kAudit
constexpr std::uint64_t kAudit = 64;       // every 64th input is computed both ways
// The pre-pass judges every 4096th input (a multiple of kAudit, so these are
// audited again in the main pass and exact_evals still counts inputs).
constexpr std::uint64_t kPrepass = 4096;

struct Pointwise {
  Act a;
  Params p;
  bool backward;
  bool screen;
  double skew;
  ScreenRule rule;
  double floor_max;  // exact max of the pre-pass: a lower bound of the sweep's max
};

ld ref_ld(const Pointwise& c, float x) {
  return c.backward ? ref::derivative(c.a, c.p, x) : ref::forward(c.a, c.p, x);
}
double ref_d(const Pointwise& c, float x) {
  const double r = c.backward ? ref::derivative_d(c.a, c.p, x) : ref::forward_d(c.a, c.p, x);
  return c.skew == 0 ? r : r * (1 + c.skew);
}

// The screen's estimate of ulp_error(y, r_ld) from r_d (finite, |r_d| <=
// FLT_MAX / 2, y finite): e = |y - r_d| / ulp(r_d), in [lo, hi]. Where r_d is
// within 4 kScreenEps ULP of a power of two, r_ld may lie in the
// neighbouring binade, whose ULP is half or twice as large: [lo, hi] then
// also covers the error in that ULP. With |r_d - r_ld| <= kScreenEps ULP,
// ulp_error(y, r_ld) is within kScreenEps of [lo, hi].
struct Estimate {
  double e, lo, hi;
};

Estimate estimate(float y, double r) {
  const double d = std::fabs(static_cast<double>(y) - r);
  std::uint64_t b;
  std::memcpy(&b, &r, 8);
  const int k = static_cast<int>((b >> 52) & 0x7ff) - 1023;  // floor(log2 |r|); <= -1023 for 0 / subnormal
  const int ex = std::min(std::max(k, -126), 127);
  // 1 / ulp(r) = 2^(23 - ex), built from its bits (ldexp was 10 % of the sweep).
  const std::uint64_t inv_u_bits = static_cast<std::uint64_t>(23 - ex + 1023) << 52;
  double inv_u;
  std::memcpy(&inv_u, &inv_u_bits, 8);
  const double e = d * inv_u;
  Estimate est{e, e, e};
  if (k < -126) return est;  // the ULP is 2^-149 in every binade below 2^-125
  const double f = static_cast<double>(b & ((std::uint64_t{1} << 52) - 1)) * 0x1p-52;  // |r| = 2^k (1 + f)
  const double margin = 4 * kScreenEps * 0x1p-23;
  if (k >= -125 && f <= margin) est.hi = 2 * e;  // r_ld may be just below 2^k: half the ULP
  if (1 - f <= margin) est.lo = e / 2;           // r_ld may be at 2^(k+1): twice the ULP
  return est;
}

// |r_d - r_ld| in float ULPs at r_ld: what the screen assumes <= kScreenEps.
double screen_deviation(double rd, ld rl) {
  const bool dn = std::isnan(rd), ln = std::isnan(rl);
  if (dn || ln) return dn && ln ? 0.0 : kInf;
  const float fd = static_cast<float>(rd), fl = static_cast<float>(rl);
  if (std::isinf(fd) && fd == fl) return 0.0;  // both round to the same float infinity
  if (std::isinf(rd) || std::isinf(rl)) return kInf;
  return static_cast<double>(std::fabs(static_cast<ld>(rd) - rl) / ulp_of(rl));
}

// Edge regions (NaN / inf, rounding to float infinity) and the entry's
// cancellation zone: the double value is not relied on there, every input is
// judged exactly and not counted in screen_dev.
bool outside_screen(const Pointwise& c, float x, float y, double rd) {
  if (!std::isfinite(rd) || std::fabs(rd) > FLT_MAX / 2 || !std::isfinite(y)) return true;
  const ScreenRule& r = c.rule;
  return std::fabs(rd) < r.zone_below && std::fabs(static_cast<double>(x) * r.zone_scale) < r.zone_x;
}

// True where the estimate cannot decide what is reported. `bar` is the
// largest exact error known (this chunk so far, the pre-pass).
bool undecided(const Estimate& e, double bar) {
  const double m = 2 * kScreenEps;
  // The maximum. The true worst input has e_ld = M >= bar, so its e.hi >=
  // M - kScreenEps > bar - 2 kScreenEps: it is always recomputed, as is every
  // input tying with it. An input not recomputed has e_ld <= e.hi +
  // kScreenEps < bar - kScreenEps <= M, so it can never be (or tie) the max.
  if (e.hi >= bar - m) return true;
  // The counts above 1 and 2 ULP (and 0.5, correct rounding): decided
  // exactly unless e_ld is certainly on one side.
  for (double t : {0.5, 1.0, 2.0})
    if (e.lo - m <= t && t <= e.hi + m) return true;
  return false;
}

// One chunk: inputs x (of global indices b..b+n), kernel results y.
UlpStats judge_chunk(const Pointwise& c, std::uint64_t b, const float* x, const float* y, std::uint64_t n) {
  UlpStats s;
  s.screened = c.screen;
  for (std::uint64_t i = 0; i < n; ++i) {
    if (!c.screen) {
      ulp_record(s, x[i], y[i], ref_ld(c, x[i]));
      ++s.exact_evals;
      continue;
    }
    const double rd = ref_d(c, x[i]);
    // Far beyond float's range (exponential above 89, where r_d may be inf)
    // with y the same infinity: the error is 0 for any r_ld above 2^128.
    const bool beyond = std::fabs(rd) >= 0x1p129 && std::isinf(y[i]) && (y[i] > 0) == (rd > 0);
    if (!beyond && outside_screen(c, x[i], y[i], rd)) {
      ulp_record(s, x[i], y[i], ref_ld(c, x[i]));
      ++s.exact_evals;
      continue;
    }
    const Estimate e = beyond ? Estimate{0, 0, 0} : estimate(y[i], rd);
    const bool audit = (b + i) % kAudit == 0;
    if (!audit && !undecided(e, std::max(s.max_ulp, c.floor_max))) {
      // Certainly below the max and on the same side of 1 and 2 ULP as e_ld.
      ++s.count;
      if (e.e > 1) ++s.above1;
      if (e.e > 2) ++s.above2;
      continue;
    }
    const ld rl = ref_ld(c, x[i]);
    ulp_record(s, x[i], y[i], rl);
    ++s.exact_evals;
    const double dev = screen_deviation(rd, rl);
    if (dev > s.screen_dev) {
      s.screen_dev = dev;
      s.screen_dev_x = x[i];
    }
  }
  return s;
}

UlpStats sweep_pointwise(const Pointwise& c, const SweepOptions& o) {
  const std::uint64_t step = std::max<std::uint64_t>(1, o.step);
  const std::uint64_t total = ((std::uint64_t{1} << 32) + step - 1) / step;  // patterns i*step < 2^32
  const std::uint64_t chunks = (total + kChunk - 1) / kChunk;
  UlpStats all;
  all.screened = c.screen;
  std::mutex mu;
  std::atomic<std::uint64_t> done{0};
  const int threads = o.threads > 0 ? o.threads : num_threads();
  parallel_for(chunks, threads, [&](std::size_t ci) {
    const std::uint64_t b = ci * kChunk, n = std::min(total, b + kChunk) - b;
    std::vector<float> x(n), y(n), one(n, 1.f), dx(n);
    for (std::uint64_t i = 0; i < n; ++i) x[i] = float_of(static_cast<std::uint32_t>((b + i) * step));
    if (o.impl) {
      o.impl(x.data(), c.backward ? dx.data() : y.data(), n, c.backward);
    } else {
      forward(c.a, c.p, x.data(), y.data(), n);
      if (c.backward) backward(c.a, c.p, x.data(), y.data(), one.data(), dx.data(), n);
    }
    const UlpStats s = judge_chunk(c, b, x.data(), c.backward ? dx.data() : y.data(), n);
    std::lock_guard<std::mutex> lk(mu);
    ulp_merge(all, s);
    const std::uint64_t d = ++done;
    if (o.progress && (d % 64 == 0 || d == chunks)) o.progress(double(d) / double(chunks));
  });
  return all;
}

// Screened sweep with its pre-pass, and the exact rerun if the screen's
// assumption turned out wrong (the choice: rerun rather than fail, so that
// a sweep always reports exact results; screen_fallback says it happened).
UlpStats sweep_pointwise(Act a, const Params& p, const SweepOptions& o) {
  Pointwise c{a, p, o.backward, o.screen, o.screen_skew, screen_rule(a, p, o.backward), 0.0};
  if (c.rule.exact) c.screen = false;
  if (!c.screen) return sweep_pointwise(c, o);
  // Pre-pass: an exact max over every kPrepass-th input lets the main pass
  // skip the long double reference from the first chunk on.
  SweepOptions pre = o;
  pre.step = std::max<std::uint64_t>(1, o.step) * kPrepass;
  pre.progress = nullptr;
  Pointwise exact = c;
  exact.screen = false;
  c.floor_max = sweep_pointwise(exact, pre).max_ulp;
  UlpStats s = sweep_pointwise(c, o);
  if (!(s.screen_dev > kScreenEps)) return s;
  UlpStats r = sweep_pointwise(exact, o);
  r.screen_fallback = true;
  r.screen_dev = s.screen_dev;
  r.screen_dev_x = s.screen_dev_x;
  return r;
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
  if (from.max_finite_ulp > into.max_finite_ulp ||
      (from.max_finite_ulp == into.max_finite_ulp && from.max_finite_ulp > 0 &&
       bits_of(from.worst_finite_x) < bits_of(into.worst_finite_x))) {
    into.max_finite_ulp = from.max_finite_ulp;
    into.worst_finite_x = from.worst_finite_x;
  }
  into.count += from.count;
  into.above1 += from.above1;
  into.above2 += from.above2;
  into.nonfinite_mismatch += from.nonfinite_mismatch;
  into.exact_evals += from.exact_evals;
  if (from.screen_dev > into.screen_dev ||
      (from.screen_dev == into.screen_dev && from.screen_dev > 0 &&
       bits_of(from.screen_dev_x) < bits_of(into.screen_dev_x))) {
    into.screen_dev = from.screen_dev;
    into.screen_dev_x = from.screen_dev_x;
  }
}

bool meets_contract(const UlpStats& s, int ulp) {
  return s.nonfinite_mismatch == 0 && s.max_ulp <= std::max(static_cast<double>(ulp), 0.5);
}

// Where the double formulas of reference.cpp are not accurate enough to
// screen with, measured by tests/act/test_ulp_screen.cpp (|forward_d -
// forward| in float ULPs; elsewhere <= 3e-6 ULP, kScreenEps is 1e-3):
//   - derivatives that cross 0 at a moderate x cancel there: gelu, gelu_tanh
//     (f' = 0 near x = -0.75), silu / swish (-1.28 / beta), mish (-1.19),
//     hardswish (x / 3 + 1/2 at -1.5); next to the zero the double value is
//     off by up to ~0.1 ULP. Zone: |f'| < 2^-8 and |x| < 8 (|beta x| for swish);
//     outside it the deviation stays below 1e-5 ULP.
//   - snake backward: (sin t + cos t)^2 cancels at every zero t = 3 pi / 4 +
//     k pi, for any x. Zone: |f'| < 2^-8, every x.
// Not screened at all (exact = true): the piecewise-linear entries (catalogue
// property kPiecewiseLinear). Their reference has no transcendental function,
// so the long double value costs about what the screen costs, and their errors
// tie at the maximum (mostly all 0; hardsigmoid' is 1/6 everywhere), which the
// screen must recompute anyway: measured at step 257, screening them was 1.2-2.5x
// slower (identity 1.63 s vs 0.70 s exact; hardsigmoid backward recomputed 51 %).
// Every other entry is screenable with the default parameters; the audit
// catches parameters that make a formula worse.
ScreenRule screen_rule(Act a, const Params& p, bool backward) {
  ScreenRule r;
  if (info(a).props & kPiecewiseLinear) r.exact = true;
  if (!backward || r.exact) return r;
  constexpr double kSmall = 0x1p-8;
  switch (a) {
    case Act::gelu:
    case Act::gelu_tanh:
    case Act::silu:
    case Act::mish:
    case Act::hardswish: return ScreenRule{false, kSmall, 8, 1};
    case Act::swish: return ScreenRule{false, kSmall, 8, p.v[0]};
    case Act::snake: return ScreenRule{false, kSmall, kInf, 1};
    default: return r;
  }
}

UlpStats ulp_sweep(Act a, const Params& p, const SweepOptions& o) {
  if (is_rowwise(a) && o.impl)
    throw std::invalid_argument(std::string("ulp_sweep: SweepOptions::impl is for pointwise entries, not ") + name(a));
  return is_rowwise(a) ? sweep_rows(a, p, o) : sweep_pointwise(a, p, o);
}

}  // namespace actlab::act
