#include "actlab/lab/curves.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "actlab/act/kernels.hpp"

namespace actlab::lab {

Curve sample_curve(act::Act a, const act::Params& p, double lo, double hi, int points) {
  Curve c;
  const std::size_t n = static_cast<std::size_t>(std::max(points, 2));
  std::vector<float> x(n), y(n), dy(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(lo + (hi - lo) * double(i) / double(n - 1));
  if (act::is_rowwise(a)) {
    // Rows [x_i, 0]; the upstream gradient [1, 0] picks d y_0 / d x_0.
    std::vector<float> rx(2 * n, 0.f), ry(2 * n), rdy(2 * n, 0.f), rdx(2 * n);
    for (std::size_t i = 0; i < n; ++i) rx[2 * i] = x[i], rdy[2 * i] = 1.f;
    act::forward_rows(a, p, rx.data(), ry.data(), n, 2);
    act::backward_rows(a, p, rx.data(), ry.data(), rdy.data(), rdx.data(), n, 2);
    for (std::size_t i = 0; i < n; ++i) y[i] = ry[2 * i], dy[i] = rdx[2 * i];
  } else {
    std::vector<float> ones(n, 1.f);
    act::forward(a, p, x.data(), y.data(), n);
    act::backward(a, p, x.data(), y.data(), ones.data(), dy.data(), n);
  }
  c.x.assign(x.begin(), x.end());
  c.y.assign(y.begin(), y.end());
  c.dy.assign(dy.begin(), dy.end());
  return c;
}

std::string curve_label(act::Act a, const act::Params& p) {
  const auto& in = act::info(a);
  const act::Params d = act::defaults(a);
  std::ostringstream os;
  bool any = false;
  for (int i = 0; i < in.nparams; ++i) {
    if (p.v[i] == d.v[i]) continue;
    os << (any ? ", " : "(") << in.params[i].name << "=" << p.v[i];
    any = true;
  }
  if (any) os << ")";
  std::string s = in.name + os.str();
  if (act::is_rowwise(a)) s += " on [x, 0]";
  return s;
}

Figure curves_figure(const std::vector<CurveSpec>& specs, double lo, double hi, int points,
                     const std::string& title) {
  LinePanel f, d;
  f.title = "activation f(x)";
  d.title = "derivative f'(x)";
  f.xlabel = d.xlabel = "x";
  f.ylabel = "f(x)";
  d.ylabel = "f'(x)";
  f.zero_line = d.zero_line = true;
  f.xmin = d.xmin = lo;
  f.xmax = d.xmax = hi;
  const bool many = specs.size() > 5;
  f.legend_outside = d.legend_outside = many;
  d.legend = many;  // same colours as the left panel: one legend is enough
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    const Curve c = sample_curve(s.act, s.params, lo, hi, points);
    Series a, b;
    a.label = b.label = s.label.empty() ? curve_label(s.act, s.params) : s.label;
    a.x = b.x = c.x;
    a.y = c.y;
    b.y = c.dy;
    a.color = b.color = int(i);
    b.dashed = true;
    f.series.push_back(std::move(a));
    d.series.push_back(std::move(b));
  }
  // Curves such as exponential leave any sensible window; clip the y axis
  // to what the other curves and the x range suggest.
  auto clip = [&](LinePanel& p) {
    double lo_y = 1e300, hi_y = -1e300;
    for (auto& s : p.series)
      for (double v : s.y)
        if (std::isfinite(v)) lo_y = std::min(lo_y, v), hi_y = std::max(hi_y, v);
    const double cap = 2.0 * std::max(std::fabs(lo), std::fabs(hi)) + 2.0;
    if (hi_y > cap || lo_y < -cap) {
      p.ymin = std::max(lo_y, -cap);
      p.ymax = std::min(hi_y, cap);
      const double pad = 0.05 * (p.ymax - p.ymin);
      p.ymin -= pad;
      p.ymax += pad;
    }
  };
  clip(f);
  clip(d);
  Figure fig;
  fig.title = title;
  fig.panels = {f, d};
  fig.cols = 2;
  fig.width = many ? 1200 : 1000;
  fig.height = 420;
  return fig;
}

}  // namespace actlab::lab
