// Statistics of `actlab study` (contracts in include/actlab/lab/stats.hpp).
#include "actlab/lab/stats.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "actlab/nn/rng.hpp"

namespace actlab::lab::stats {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string num(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return std::to_string(x);
}

// Boundary checks: every public function validates here, the arithmetic
// below assumes finite samples and a valid level.
void check_samples(const std::vector<double>& v, const char* fn, const char* which) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]))
      throw std::invalid_argument(std::string("stats::") + fn + ": sample " + std::to_string(i) +
                                  " of " + which + " is " + num(v[i]) +
                                  " (non-finite samples are not allowed: report diverged runs "
                                  "separately instead of averaging them)");
}

void check_level(double level, const char* fn) {
  if (!(level > 0 && level < 1))
    throw std::invalid_argument(std::string("stats::") + fn + ": level " + num(level) +
                                " is not in (0, 1)");
}

void check_same_size(const std::vector<double>& a, const std::vector<double>& b, const char* fn) {
  if (a.size() != b.size())
    throw std::invalid_argument(std::string("stats::") + fn + ": paired samples differ in size (" +
                                std::to_string(a.size()) + " vs " + std::to_string(b.size()) + ")");
}

// Mean and sample variance (two-pass). All-equal samples give exactly that
// value and variance 0 (a plain sum / n can be off by an ulp, which would
// turn "no variance" into a tiny one and a huge t).
struct Moments {
  double mean = kNaN, var = kNaN;
  std::size_t n = 0;
};

Moments moments(const std::vector<double>& v) {
  Moments m;
  m.n = v.size();
  if (v.empty()) return m;
  const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
  if (*mn == *mx) {
    m.mean = v[0];
    m.var = m.n > 1 ? 0.0 : kNaN;
    return m;
  }
  m.mean = std::accumulate(v.begin(), v.end(), 0.0) / double(m.n);
  if (m.n > 1) {
    double ss = 0;
    for (double x : v) ss += (x - m.mean) * (x - m.mean);
    m.var = ss / double(m.n - 1);
  }
  return m;
}

std::vector<double> diffs(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return d;
}

// Interval mean +- t se with the given df; se == 0 collapses it.
void fill_t(Interval& r, double se, double df) {
  r.se = se;
  r.df = df;
  if (se == 0) {
    r.lo = r.hi = r.mean;
    return;
  }
  const double h = t_quantile(0.5 + r.level / 2, df) * se;
  r.lo = r.mean - h;
  r.hi = r.mean + h;
}

Interval t_interval(const std::vector<double>& v, double level, std::string method) {
  Interval r;
  r.level = level;
  r.method = std::move(method);
  const Moments m = moments(v);
  r.n = int(m.n);
  r.mean = m.mean;
  if (m.n == 0) return r;
  if (m.n == 1) {
    r.lo = -kInf;
    r.hi = kInf;
    return r;
  }
  r.sd = std::sqrt(m.var);
  fill_t(r, r.sd / std::sqrt(double(m.n)), double(m.n - 1));
  return r;
}

// Two-sided p of t = diff / se at df; se == 0: 1 for no difference, 0 else.
double two_sided_p(double diff, double se, double df) {
  if (std::isnan(diff) || std::isnan(se) || std::isnan(df)) return kNaN;
  if (se == 0) return diff == 0 ? 1.0 : 0.0;
  const double t = std::fabs(diff / se);
  const boost::math::students_t_distribution<double> dist(df);
  return std::min(1.0, 2 * boost::math::cdf(boost::math::complement(dist, t)));
}

double normal_quantile(double p) {
  return boost::math::quantile(boost::math::normal_distribution<double>(), p);
}
double normal_cdf(double z) {
  if (std::isinf(z)) return z > 0 ? 1.0 : 0.0;
  return boost::math::cdf(boost::math::normal_distribution<double>(), z);
}

// Linear interpolation between order statistics (numpy.percentile's default).
double percentile_sorted(const std::vector<double>& s, double q) {
  const double h = q * double(s.size() - 1);
  const std::size_t i = std::min(s.size() - 1, std::size_t(std::floor(h)));
  if (i + 1 >= s.size()) return s.back();
  return s[i] + (h - double(i)) * (s[i + 1] - s[i]);
}

// Unbiased index in [0, n) from the counter-based hash (rejection of the
// top partial block; `attempt` moves to a fresh hash on rejection).
std::size_t draw_index(std::uint64_t seed, std::uint64_t b, std::uint64_t i, std::uint64_t n) {
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                              std::numeric_limits<std::uint64_t>::max() % n;
  for (std::uint64_t attempt = 0;; ++attempt) {
    const std::uint64_t x = nn::hash_u64(seed, b, i, attempt);
    if (x < limit) return std::size_t(x % n);
  }
}

}  // namespace

double t_quantile(double p, double df) {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return kNaN;
  if (p == 0) return -kInf;
  if (p == 1) return kInf;
  if (std::isinf(df)) return normal_quantile(p);
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), p);
}

Interval mean_ci(const std::vector<double>& v, double level) {
  check_samples(v, "mean_ci", "v");
  check_level(level, "mean_ci");
  return t_interval(v, level, "t");
}

Interval bootstrap_ci(const std::vector<double>& v, double level, int resamples,
                      std::uint64_t seed) {
  check_samples(v, "bootstrap_ci", "v");
  check_level(level, "bootstrap_ci");
  if (resamples < 1)
    throw std::invalid_argument("stats::bootstrap_ci: resamples " + std::to_string(resamples) +
                                " must be >= 1");
  Interval r;
  r.level = level;
  r.method = std::string("bootstrap");
  const Moments m = moments(v);
  const std::size_t n = m.n;
  r.n = int(n);
  r.mean = m.mean;
  if (n == 0) return r;
  if (n == 1) {
    r.lo = -kInf;
    r.hi = kInf;
    return r;
  }
  r.sd = std::sqrt(m.var);
  r.se = r.sd / std::sqrt(double(n));
  if (m.var == 0) {
    r.lo = r.hi = r.mean;
    return r;
  }

  const std::size_t B = std::size_t(resamples);
  std::vector<double> means(B);
  for (std::size_t b = 0; b < B; ++b) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += v[draw_index(seed, b, i, n)];
    means[b] = s / double(n);
  }
  std::sort(means.begin(), means.end());

  // Bias correction: mid-rank of the estimate among the resample means.
  const auto below = std::lower_bound(means.begin(), means.end(), r.mean) - means.begin();
  const auto upto = std::upper_bound(means.begin(), means.end(), r.mean) - means.begin();
  const double z0 = normal_quantile(double(below + upto) / double(2 * B));
  // Acceleration from the jackknife: for the mean, theta_(.) - theta_(i) is
  // (x_i - mean) / (n - 1), and the (n - 1) cancels.
  double s2 = 0, s3 = 0;
  for (double x : v) {
    const double d = x - r.mean;
    s2 += d * d;
    s3 += d * d * d;
  }
  const double a = s3 / (6 * std::pow(s2, 1.5));

  const double alpha = (1 - level) / 2;
  double q_lo = alpha, q_hi = 1 - alpha;
  if (std::isfinite(z0)) {
    const double zl = z0 + normal_quantile(alpha), zh = z0 + normal_quantile(1 - alpha);
    const double al = normal_cdf(z0 + zl / (1 - a * zl)), ah = normal_cdf(z0 + zh / (1 - a * zh));
    if (std::isfinite(al) && std::isfinite(ah)) {
      q_lo = al;
      q_hi = ah;
    }
  }
  r.lo = percentile_sorted(means, q_lo);
  r.hi = percentile_sorted(means, q_hi);
  return r;
}

double skewness(const std::vector<double>& v) {
  check_samples(v, "skewness", "v");
  const Moments m = moments(v);
  if (m.n < 3 || m.var == 0) return kNaN;
  const double n = double(m.n);
  double m2 = 0, m3 = 0;
  for (double x : v) {
    const double d = x - m.mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return std::sqrt(n * (n - 1)) / (n - 2) * m3 / std::pow(m2, 1.5);
}

bool skewed(const std::vector<double>& v) {
  if (v.size() < std::size_t(kSkewMinN)) {
    check_samples(v, "skewed", "v");
    return false;
  }
  const double g = skewness(v);
  return std::fabs(g) > kSkewLimit;  // NaN (zero variance) -> false
}

Interval auto_ci(const std::vector<double>& v, double level) {
  check_samples(v, "auto_ci", "v");
  check_level(level, "auto_ci");
  return skewed(v) ? bootstrap_ci(v, level) : t_interval(v, level, "t");
}

Interval paired_diff_ci(const std::vector<double>& a, const std::vector<double>& b, double level) {
  check_same_size(a, b, "paired_diff_ci");
  check_samples(a, "paired_diff_ci", "a");
  check_samples(b, "paired_diff_ci", "b");
  check_level(level, "paired_diff_ci");
  return t_interval(diffs(a, b), level, "paired t");
}

namespace {

struct Welch {
  double diff = kNaN, sd = kNaN, se = kNaN, df = kNaN;
};

Welch welch(const Moments& ma, const Moments& mb) {
  Welch w;
  if (ma.n == 0 || mb.n == 0) return w;
  w.diff = ma.mean - mb.mean;
  if (ma.n < 2 || mb.n < 2) return w;
  const double qa = ma.var / double(ma.n), qb = mb.var / double(mb.n);
  w.sd = std::sqrt(ma.var + mb.var);
  w.se = std::sqrt(qa + qb);
  if (w.se > 0)
    w.df = (qa + qb) * (qa + qb) / (qa * qa / double(ma.n - 1) + qb * qb / double(mb.n - 1));
  else
    w.df = double(ma.n + mb.n - 2);  // unused: the interval collapses, p is 0 or 1
  return w;
}

}  // namespace

Interval welch_diff_ci(const std::vector<double>& a, const std::vector<double>& b, double level) {
  check_samples(a, "welch_diff_ci", "a");
  check_samples(b, "welch_diff_ci", "b");
  check_level(level, "welch_diff_ci");
  Interval r;
  r.level = level;
  r.method = std::string("welch");
  r.n = int(a.size());
  r.n2 = int(b.size());
  const Moments ma = moments(a), mb = moments(b);
  const Welch w = welch(ma, mb);
  r.mean = w.diff;
  if (a.empty() || b.empty()) return r;
  if (a.size() < 2 || b.size() < 2) {
    r.lo = -kInf;
    r.hi = kInf;
    return r;
  }
  r.sd = w.sd;
  fill_t(r, w.se, w.df);
  return r;
}

double paired_t_p(const std::vector<double>& a, const std::vector<double>& b) {
  check_same_size(a, b, "paired_t_p");
  check_samples(a, "paired_t_p", "a");
  check_samples(b, "paired_t_p", "b");
  const Moments m = moments(diffs(a, b));
  if (m.n < 2) return kNaN;
  return two_sided_p(m.mean, std::sqrt(m.var / double(m.n)), double(m.n - 1));
}

double welch_p(const std::vector<double>& a, const std::vector<double>& b) {
  check_samples(a, "welch_p", "a");
  check_samples(b, "welch_p", "b");
  if (a.size() < 2 || b.size() < 2) return kNaN;
  const Welch w = welch(moments(a), moments(b));
  return two_sided_p(w.diff, w.se, w.df);
}

double cohens_d(const std::vector<double>& a, const std::vector<double>& b) {
  check_samples(a, "cohens_d", "a");
  check_samples(b, "cohens_d", "b");
  if (a.empty() || b.empty() || a.size() + b.size() < 3) return kNaN;
  const Moments ma = moments(a), mb = moments(b);
  const double ssa = a.size() > 1 ? ma.var * double(ma.n - 1) : 0.0;
  const double ssb = b.size() > 1 ? mb.var * double(mb.n - 1) : 0.0;
  const double pooled = std::sqrt((ssa + ssb) / double(a.size() + b.size() - 2));
  const double diff = ma.mean - mb.mean;
  if (pooled == 0) return diff == 0 ? kNaN : std::copysign(kInf, diff);
  return diff / pooled;
}

double cohens_dz(const std::vector<double>& a, const std::vector<double>& b) {
  check_same_size(a, b, "cohens_dz");
  check_samples(a, "cohens_dz", "a");
  check_samples(b, "cohens_dz", "b");
  const Moments m = moments(diffs(a, b));
  if (m.n < 2) return kNaN;
  if (m.var == 0) return m.mean == 0 ? kNaN : std::copysign(kInf, m.mean);
  return m.mean / std::sqrt(m.var);
}

std::vector<double> holm(const std::vector<double>& p) {
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(p[i])) continue;
    if (!(p[i] >= 0 && p[i] <= 1))
      throw std::invalid_argument("stats::holm: p-value " + std::to_string(i) + " is " + num(p[i]) +
                                  ", not in [0, 1]");
    idx.push_back(i);
  }
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return p[x] < p[y]; });
  std::vector<double> out(p.size(), kNaN);
  const double m = double(idx.size());
  double run = 0;
  for (std::size_t j = 0; j < idx.size(); ++j) {
    run = std::max(run, std::min(1.0, (m - double(j)) * p[idx[j]]));
    out[idx[j]] = run;
  }
  return out;
}

namespace {

std::string letter_name(std::size_t g) {
  if (g < 26) return std::string(1, char('a' + g));
  if (g < 52) return std::string(1, char('A' + (g - 26)));
  std::string s(1, '{');
  s += std::to_string(g + 1);
  s += '}';
  return s;
}

// Piepho's insert-absorb: start with one group holding every item; for each
// significantly different pair, split every group holding both into one
// without either member; drop groups contained in another. Groups are
// indexed by rank position (0 = best).
std::vector<std::string> letter_display(const std::vector<std::vector<char>>& sig) {
  const std::size_t k = sig.size();
  using Group = std::vector<char>;
  std::vector<Group> groups{Group(k, 1)};
  auto subset = [&](const Group& x, const Group& y) {
    for (std::size_t i = 0; i < k; ++i)
      if (x[i] && !y[i]) return false;
    return true;
  };
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j) {
      if (!sig[i][j]) continue;
      std::vector<Group> next;
      for (const Group& g : groups) {
        if (g[i] && g[j]) {
          Group gi = g, gj = g;
          gi[i] = 0;
          gj[j] = 0;
          next.push_back(gi);
          next.push_back(gj);
        } else {
          next.push_back(g);
        }
      }
      // Absorb: keep a group only if no other group contains it (of equal
      // groups, the first).
      std::vector<Group> kept;
      for (std::size_t x = 0; x < next.size(); ++x) {
        bool absorbed = false;
        for (std::size_t y = 0; y < next.size() && !absorbed; ++y)
          if (x != y && subset(next[x], next[y]) && (next[x] != next[y] || y < x)) absorbed = true;
        if (!absorbed) kept.push_back(next[x]);
      }
      groups = std::move(kept);
    }
  // Letters from the best item down: order groups by their members' rank
  // positions, lexicographically (the group of the best item first).
  auto members = [&](const Group& g) {
    std::vector<std::size_t> m;
    for (std::size_t i = 0; i < k; ++i)
      if (g[i]) m.push_back(i);
    return m;
  };
  std::sort(groups.begin(), groups.end(),
            [&](const Group& x, const Group& y) { return members(x) < members(y); });
  std::vector<std::string> out(k);
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t i = 0; i < k; ++i)
      if (groups[g][i]) out[i] += letter_name(g);
  return out;
}

}  // namespace

Ranking rank_with_ties(const std::vector<std::vector<double>>& samples, double alpha, bool paired) {
  if (!(alpha > 0 && alpha < 1))
    throw std::invalid_argument("stats::rank_with_ties: alpha " + num(alpha) + " is not in (0, 1)");
  const std::size_t k = samples.size();
  Ranking r;
  for (std::size_t i = 0; i < k; ++i) {
    if (samples[i].empty())
      throw std::invalid_argument("stats::rank_with_ties: item " + std::to_string(i) +
                                  " has no samples");
    const std::string which = "item " + std::to_string(i);
    check_samples(samples[i], "rank_with_ties", which.c_str());
    r.mean.push_back(moments(samples[i]).mean);
  }
  r.paired = paired && k > 0 && samples[0].size() >= 2 &&
             std::all_of(samples.begin(), samples.end(),
                         [&](const auto& s) { return s.size() == samples[0].size(); });
  r.order.resize(k);
  std::iota(r.order.begin(), r.order.end(), std::size_t(0));
  std::stable_sort(r.order.begin(), r.order.end(),
                   [&](std::size_t x, std::size_t y) { return r.mean[x] > r.mean[y]; });

  std::vector<double> raw;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j)
      raw.push_back(r.paired ? paired_t_p(samples[i], samples[j]) : welch_p(samples[i], samples[j]));
  const std::vector<double> adj = holm(raw);
  r.p_adj.assign(k, std::vector<double>(k, kNaN));
  std::size_t q = 0;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j, ++q) r.p_adj[i][j] = r.p_adj[j][i] = adj[q];

  auto significant = [&](std::size_t i, std::size_t j) { return r.p_adj[i][j] < alpha; };
  std::vector<std::vector<char>> sig(k, std::vector<char>(k, 0));  // by rank position
  for (std::size_t x = 0; x < k; ++x)
    for (std::size_t y = 0; y < k; ++y)
      if (x != y) sig[x][y] = significant(r.order[x], r.order[y]);
  const std::vector<std::string> by_rank = letter_display(sig);
  r.letters.resize(k);
  r.tied_with_best.assign(k, 0);
  for (std::size_t x = 0; x < k; ++x) {
    r.letters[r.order[x]] = by_rank[x];
    r.tied_with_best[r.order[x]] = x == 0 || !sig[0][x];
  }
  return r;
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::supported: return "supported";
    case Verdict::contradicted: return "contradicted";
    case Verdict::inconclusive: return "inconclusive";
  }
  return "inconclusive";
}

Verdict decide(const Interval& effect, double threshold, bool higher_supports) {
  const bool above = effect.lo > threshold;  // false for NaN
  const bool below = effect.hi < threshold;
  if (above) return higher_supports ? Verdict::supported : Verdict::contradicted;
  if (below) return higher_supports ? Verdict::contradicted : Verdict::supported;
  return Verdict::inconclusive;
}

int seeds_to_decide(const Interval& effect, double threshold, double level) {
  check_level(level, "seeds_to_decide");
  const double gap = std::fabs(effect.mean - threshold);
  if (!std::isfinite(effect.mean) || !std::isfinite(effect.sd) || !std::isfinite(threshold) ||
      !(effect.sd > 0) || gap == 0)
    return -1;
  // The half-width t_{n'-1} sd / sqrt(n') decreases in n': bisect for the
  // first n' in [2, 1000] where it is below the gap.
  const double p = 0.5 + level / 2;
  auto clears = [&](int m) { return t_quantile(p, double(m - 1)) * effect.sd / std::sqrt(double(m)) < gap; };
  if (!clears(1000)) return 1001;
  int lo = 2, hi = 1000;  // clears(hi) holds
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (clears(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

}  // namespace actlab::lab::stats
