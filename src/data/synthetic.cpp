// Synthetic 2-D classification sets from a seed. Every set is balanced (class
// counts differ by at most one), its rows are shuffled, and `noise` is the
// standard deviation of Gaussian noise added to each coordinate (spiral:
// scaled by the radius, so the centre stays separable). Train, validation
// and test sets are independent draws from separate streams of the seed.
#include <cmath>
#include <numbers>
#include <numeric>
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"
#include "src/data/internal.hpp"
#include "src/data/rng.hpp"

namespace actlab::data {
namespace {

using detail::Rng;
constexpr double kPi = std::numbers::pi;

struct Point {
  double x, y;
};

// One point of class `c` out of `k`.
using Generator = Point (*)(int c, int k, double noise, Rng& rng);

// XOR: class 0 in the quadrants where x and y share a sign, class 1 in the
// others; the label comes from the clean point, noise may cross the axes.
Point xor_point(int c, int, double noise, Rng& rng) {
  const double x = rng.uniform(0.05, 1.0), y = rng.uniform(0.05, 1.0);
  const bool flip = rng.next() & 1;  // which of the class's two quadrants
  const double sx = flip ? -1 : 1, sy = (c == 0) == flip ? -1 : 1;
  return {sx * x + noise * rng.normal(), sy * y + noise * rng.normal()};
}

// Spiral with k arms (CS231n's): radius r in [0, 1), angle 2*pi*c/k + 4r.
Point spiral_point(int c, int k, double noise, Rng& rng) {
  const double r = rng.uniform();
  const double t = 2 * kPi * c / k + 4.0 * r;
  return {r * std::sin(t) + noise * r * rng.normal(), r * std::cos(t) + noise * r * rng.normal()};
}

// Two interleaving half circles (scikit-learn's make_moons).
Point moons_point(int c, int, double noise, Rng& rng) {
  const double t = rng.uniform(0.0, kPi);
  const Point p = c == 0 ? Point{std::cos(t), std::sin(t)} : Point{1 - std::cos(t), 0.5 - std::sin(t)};
  return {p.x + noise * rng.normal(), p.y + noise * rng.normal()};
}

// Two concentric circles, radii 1 (class 0) and 0.5 (class 1) (make_circles).
Point circles_point(int c, int, double noise, Rng& rng) {
  const double t = rng.uniform(0.0, 2 * kPi), r = c == 0 ? 1.0 : 0.5;
  return {r * std::cos(t) + noise * rng.normal(), r * std::sin(t) + noise * rng.normal()};
}

Dataset generate(const std::string& name, Generator gen, int k, std::size_t rows, double noise,
                 std::uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.name = name;
  d.rows = rows;
  d.features = 2;
  d.classes = k;
  d.x.resize(rows * 2);
  d.y.resize(rows);
  // Row i gets class i % k (balanced), then the rows are shuffled.
  std::vector<std::uint32_t> order(rows);
  std::iota(order.begin(), order.end(), 0u);
  detail::shuffle(order, rng);
  for (std::size_t i = 0; i < rows; ++i) {
    const int c = static_cast<int>(i % k);
    const Point p = gen(c, k, noise, rng);
    const std::size_t r = order[i];
    d.x[2 * r] = static_cast<float>(p.x);
    d.x[2 * r + 1] = static_cast<float>(p.y);
    d.y[r] = c;
  }
  return d;
}

}  // namespace

Split make_synthetic(const std::string& name, const LoadOptions& opt) {
  detail::check_options(opt);
  Generator gen = nullptr;
  int k = 2;
  if (name == "xor") gen = xor_point;
  else if (name == "spiral") gen = spiral_point, k = opt.arms;
  else if (name == "moons") gen = moons_point;
  else if (name == "circles") gen = circles_point;
  else
    throw UsageError("--data '" + name + "': unknown synthetic data set; choose xor, spiral, moons or circles");
  const std::size_t nval = static_cast<std::size_t>(std::llround(double(opt.synthetic_rows) * opt.val_fraction));
  const std::size_t ntest = std::max<std::size_t>(opt.synthetic_rows / 2, 1);
  if (name == "spiral" && (opt.arms < 2 || opt.arms > 64))
    throw UsageError("--arms " + std::to_string(opt.arms) + " is outside [2, 64] (spiral arms = classes); use e.g. 3");
  Split s;
  // Separate streams: changing the validation fraction never changes the
  // training or test points.
  s.train = generate(name, gen, k, opt.synthetic_rows, opt.noise, detail::mix(opt.seed, 1));
  s.val = generate(name, gen, k, nval, opt.noise, detail::mix(opt.seed, 2));
  s.test = generate(name, gen, k, ntest, opt.noise, detail::mix(opt.seed, 3));
  detail::limit_rows(s.train, opt.limit_train);
  detail::limit_rows(s.test, opt.limit_test);
  return s;
}

}  // namespace actlab::data
