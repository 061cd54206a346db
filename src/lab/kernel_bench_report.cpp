// Output of actlab bench: CSV for machines, a readable table with the
// ratios against oneDNN, PyTorch and the copy limit for people.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <ostream>
#include <tuple>

#include "actlab/lab/kernel_bench.hpp"

namespace actlab::lab {
namespace {

std::string fmt(const char* f, double v) {
  if (std::isnan(v)) return "-";
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// max ignoring NaN (a missing variant does not hide the other).
double best(double a, double b) {
  if (std::isnan(a)) return b;
  if (std::isnan(b)) return a;
  return std::max(a, b);
}

double ratio(double a, double b) { return (std::isnan(a) || std::isnan(b) || b <= 0) ? kNotMeasured : a / b; }

using Key = std::tuple<std::string, std::size_t, int>;

// Issue 5's targets for one (act, n, threads): at 2^14 and 2^20, >= 1.0x
// (piecewise-linear) or 1.3x (transcendental) oneDNN and >= 2x PyTorch; at
// 2^26, >= 0.9x the copy bandwidth. Returns "-" where no target applies.
std::string targets(act::Act a, std::size_t n, double ro_f, double ro_b, double rt_f, double rt_b,
                    double rc_f, double rc_b) {
  std::string miss;
  bool any = false;
  auto check = [&](const char* what, double r, double want) {
    if (std::isnan(r)) return;
    any = true;
    if (r < want) miss += std::string(miss.empty() ? "" : ", ") + what + " " + fmt("%.2f", r) + "<" + fmt("%.1f", want);
  };
  if (n == (std::size_t{1} << 14) || n == (std::size_t{1} << 20)) {
    const double t = onednn_target(a);
    check("onednn.fwd", ro_f, t);
    check("onednn.bwd", ro_b, t);
    check("torch.fwd", rt_f, 2.0);
    check("torch.bwd", rt_b, 2.0);
  } else if (n == (std::size_t{1} << 26)) {
    check("copy.fwd", rc_f, 0.9);
    check("copy.bwd", rc_b, 0.9);
  }
  if (!any) return "-";
  return miss.empty() ? "met" : "MISS " + miss;
}

}  // namespace

void write_csv(const BenchReport& r, std::ostream& os) {
  os << "act,n,threads,impl,fwd_Gelem_s,bwd_Gelem_s\n";
  for (const auto& x : r.rows) {
    os << x.act << ',' << x.n << ',' << x.threads << ',' << x.impl << ',' << (std::isnan(x.fwd) ? "" : fmt("%.4f", x.fwd))
       << ',' << (std::isnan(x.bwd) ? "" : fmt("%.4f", x.bwd)) << '\n';
  }
}

void write_table(const BenchReport& r, std::ostream& os) {
  const auto& o = r.options;
  os << "actlab bench: CPU " << r.cpu << ", actlab SIMD target " << r.target << "\n";
  os << "inputs: x ~ " << dist_description(o.dist) << ", dy ~ normal(0, 1), seed " << o.seed << "\n";
  os << "timing: " << (o.median ? "median" : "best") << " of " << o.repeats << " repetitions (each >= "
     << o.min_seconds << " s) after a warm-up; Gelem/s = 1e9 elements per second\n";
  const char* omp = std::getenv("OMP_WAIT_POLICY");
  os << "oneDNN " << (r.onednn_version.empty() ? "-" : r.onednn_version) << ", PyTorch "
     << (r.torch_version.empty() ? "-" : r.torch_version) << ", OMP_WAIT_POLICY=" << (omp ? omp : "(unset)")
     << "\n\n";

  char line[256];
  std::snprintf(line, sizeof line, "%-12s %10s %3s  %-15s %11s %11s  %9s %9s\n", "act", "n", "thr", "impl",
                "fwd Gelem/s", "bwd Gelem/s", "err fwd", "err bwd");
  os << line;
  std::map<Key, std::map<std::string, const BenchRow*>> by;
  std::vector<Key> order;
  std::vector<std::string> warnings;
  for (const auto& x : r.rows) {
    std::snprintf(line, sizeof line, "%-12s %10zu %3d  %-15s %11s %11s  %9s %9s\n", x.act.c_str(), x.n, x.threads,
                  x.impl.c_str(), fmt("%.3f", x.fwd).c_str(), fmt("%.3f", x.bwd).c_str(),
                  fmt("%.1e", x.fwd_err).c_str(), fmt("%.1e", x.bwd_err).c_str());
    os << line;
    const Key k{x.act, x.n, x.threads};
    if (by.find(k) == by.end()) order.push_back(k);
    by[k][x.impl] = &x;
    // Every output is compared with the long double reference; far off means
    // a wrong mapping or a broken kernel, and the speed is meaningless.
    for (auto [what, e] : {std::pair{"fwd", x.fwd_err}, std::pair{"bwd", x.bwd_err}})
      if (!std::isnan(e) && e > 1e-4)
        warnings.push_back(x.impl + " " + x.act + " n=" + std::to_string(x.n) + " " + what + ": error " + fmt("%.2e", e) +
                           " against the reference (speed not comparable)");
  }

  os << "\nratios (actlab / other; bwd compares the best backward variant on each side, "
        "from x or from y):\n";
  std::snprintf(line, sizeof line, "%-12s %10s %3s  %8s %8s  %8s %8s  %8s %8s  %s\n", "act", "n", "thr", "oDNN fwd",
                "oDNN bwd", "torch fw", "torch bw", "copy fwd", "copy bwd", "issue-5 targets");
  os << line;
  for (const auto& k : order) {
    auto& m = by[k];
    auto get = [&](const char* impl, bool fwd) {
      const auto it = m.find(impl);
      if (it == m.end()) return kNotMeasured;
      return fwd ? it->second->fwd : it->second->bwd;
    };
    const double af = get("actlab", true), ab = best(get("actlab", false), get("actlab_y", false));
    const double of = get("onednn", true), ob = best(get("onednn", false), get("onednn_y", false));
    const double tf = get("torch", true), tb = get("torch", false);
    const double cf = get("copy", true), cb = get("copy", false);
    const double ro_f = ratio(af, of), ro_b = ratio(ab, ob), rt_f = ratio(af, tf), rt_b = ratio(ab, tb);
    const double rc_f = ratio(af, cf), rc_b = ratio(ab, cb);
    const act::Act a = m.begin()->second->id;
    std::snprintf(line, sizeof line, "%-12s %10zu %3d  %8s %8s  %8s %8s  %8s %8s  ", std::get<0>(k).c_str(),
                  std::get<1>(k), std::get<2>(k), fmt("%.2f", ro_f).c_str(), fmt("%.2f", ro_b).c_str(),
                  fmt("%.2f", rt_f).c_str(), fmt("%.2f", rt_b).c_str(), fmt("%.2f", rc_f).c_str(),
                  fmt("%.2f", rc_b).c_str());
    os << line << targets(a, std::get<1>(k), ro_f, ro_b, rt_f, rt_b, rc_f, rc_b) << "\n";
  }
  if (!warnings.empty()) {
    os << "\nwarnings:\n";
    for (const auto& w : warnings) os << "  " << w << "\n";
  }
  if (!r.notes.empty()) {
    os << "\nnotes:\n";
    for (const auto& n : r.notes) os << "  " << n << "\n";
  }
}

}  // namespace actlab::lab
