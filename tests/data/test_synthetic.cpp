// Synthetic sets: deterministic for a seed, balanced, the right shapes, and
// (with zero noise) exactly on their defining geometry.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"

using namespace actlab;

namespace {

const std::vector<std::string> kSets = {"xor", "spiral", "moons", "circles"};

data::LoadOptions opts(std::uint64_t seed = 1, double noise = 0.1) {
  data::LoadOptions o;
  o.seed = seed;
  o.noise = noise;
  o.synthetic_rows = 1001;  // odd: balance means counts differ by at most one
  o.val_fraction = 0.2;
  return o;
}

}  // namespace

TEST(Synthetic, ShapesAndBalance) {
  for (const auto& name : kSets) {
    const data::Split s = data::make_synthetic(name, opts());
    const int k = name == "spiral" ? 3 : 2;
    EXPECT_EQ(s.train.rows, 1001u) << name;
    EXPECT_EQ(s.val.rows, 200u) << name;
    EXPECT_EQ(s.test.rows, 500u) << name;
    for (const data::Dataset* d : {&s.train, &s.val, &s.test}) {
      EXPECT_EQ(d->features, 2u);
      EXPECT_EQ(d->classes, k);
      EXPECT_EQ(d->channels, 0);
      EXPECT_EQ(d->x.size(), d->rows * 2);
      std::vector<int> h(k, 0);
      for (auto y : d->y) {
        ASSERT_GE(y, 0);
        ASSERT_LT(y, k);
        ++h[y];
      }
      for (int c : h) EXPECT_LE(std::abs(c - int(d->rows) / k), 1) << name;
      for (float v : d->x) EXPECT_TRUE(std::isfinite(v));
    }
    // Rows are shuffled, not sorted by class: the first 20 labels are mixed.
    int changes = 0;
    for (std::size_t i = 1; i < 20; ++i) changes += s.train.y[i] != s.train.y[i - 1];
    EXPECT_GT(changes, 3) << name;
  }
}

TEST(Synthetic, SpiralArms) {
  data::LoadOptions o = opts();
  o.arms = 5;
  EXPECT_EQ(data::make_synthetic("spiral", o).train.classes, 5);
  o.arms = 1;
  EXPECT_THROW(data::make_synthetic("spiral", o), UsageError);
  EXPECT_NO_THROW(data::make_synthetic("xor", o));  // arms only matter to the spiral
}

TEST(Synthetic, DeterministicForASeed) {
  for (const auto& name : kSets) {
    const data::Split a = data::make_synthetic(name, opts(42)), b = data::make_synthetic(name, opts(42));
    EXPECT_EQ(a.train.x, b.train.x) << name;
    EXPECT_EQ(a.train.y, b.train.y) << name;
    EXPECT_EQ(a.test.x, b.test.x) << name;
    const data::Split c = data::make_synthetic(name, opts(43));
    EXPECT_NE(a.train.x, c.train.x) << name;
    // Train, validation and test are different draws.
    EXPECT_NE(std::vector<float>(a.train.x.begin(), a.train.x.begin() + 200),
              std::vector<float>(a.test.x.begin(), a.test.x.begin() + 200)) << name;
    // The validation fraction does not change the training or test points.
    data::LoadOptions o = opts(42);
    o.val_fraction = 0;
    const data::Split d = data::make_synthetic(name, o);
    EXPECT_EQ(d.train.x, a.train.x) << name;
    EXPECT_EQ(d.test.x, a.test.x) << name;
    EXPECT_EQ(d.val.rows, 0u);
  }
}

TEST(Synthetic, NoiseFreeGeometry) {
  using std::numbers::pi;
  auto at = [](const data::Dataset& d, std::size_t i) { return std::pair<double, double>{d.x[2 * i], d.x[2 * i + 1]}; };
  const double eps = 1e-5;  // float storage of double coordinates
  {
    const data::Dataset d = data::make_synthetic("circles", opts(3, 0)).train;
    for (std::size_t i = 0; i < d.rows; ++i) {
      auto [x, y] = at(d, i);
      EXPECT_NEAR(std::hypot(x, y), d.y[i] == 0 ? 1.0 : 0.5, eps);
    }
  }
  {
    const data::Dataset d = data::make_synthetic("moons", opts(3, 0)).train;
    for (std::size_t i = 0; i < d.rows; ++i) {
      auto [x, y] = at(d, i);
      if (d.y[i] == 0) {
        EXPECT_NEAR(std::hypot(x, y), 1.0, eps);
        EXPECT_GE(y, -eps);
      } else {
        EXPECT_NEAR(std::hypot(x - 1, y - 0.5), 1.0, eps);
        EXPECT_LE(y, 0.5 + eps);
      }
    }
  }
  {
    const data::Dataset d = data::make_synthetic("xor", opts(3, 0)).train;
    for (std::size_t i = 0; i < d.rows; ++i) {
      auto [x, y] = at(d, i);
      EXPECT_EQ(d.y[i], (x > 0) != (y > 0) ? 1 : 0);
      EXPECT_LE(std::abs(x), 1.0);
      EXPECT_LE(std::abs(y), 1.0);
    }
  }
  {
    data::LoadOptions o = opts(3, 0);
    o.arms = 4;
    const data::Dataset d = data::make_synthetic("spiral", o).train;
    for (std::size_t i = 0; i < d.rows; ++i) {
      auto [x, y] = at(d, i);
      const double r = std::hypot(x, y);
      EXPECT_LT(r, 1.0);
      if (r < 1e-3) continue;  // angle undefined at the centre
      // angle from +y clockwise (x = r sin t, y = r cos t) = 2 pi c / k + 4 r
      const double want = 2 * pi * d.y[i] / 4 + 4 * r;
      const double diff = std::remainder(std::atan2(x, y) - want, 2 * pi);
      EXPECT_NEAR(diff, 0.0, 1e-3) << "row " << i;  // 1e-3: float rounding of r times 4
    }
  }
}

TEST(Synthetic, LimitsAndBadOptions) {
  data::LoadOptions o = opts();
  o.limit_train = 100;
  o.limit_test = 7;
  const data::Split s = data::make_synthetic("moons", o);
  EXPECT_EQ(s.train.rows, 100u);
  EXPECT_EQ(s.train.x.size(), 200u);
  EXPECT_EQ(s.test.rows, 7u);
  EXPECT_THROW(data::make_synthetic("checkerboard", opts()), UsageError);
  o = opts();
  o.noise = -1;
  EXPECT_THROW(data::make_synthetic("xor", o), UsageError);
  o.noise = NAN;
  EXPECT_THROW(data::make_synthetic("xor", o), UsageError);
  o = opts();
  o.val_fraction = -0.1;
  EXPECT_THROW(data::make_synthetic("xor", o), UsageError);
  o = opts();
  o.synthetic_rows = 0;
  EXPECT_THROW(data::make_synthetic("xor", o), UsageError);
}

TEST(Synthetic, NormalisePerFeature) {
  data::Split s = data::make_synthetic("moons", opts());
  data::normalise(s);
  for (int j = 0; j < 2; ++j) {
    double m = 0, sq = 0;
    for (std::size_t i = 0; i < s.train.rows; ++i) m += s.train.x[2 * i + j];
    m /= double(s.train.rows);
    for (std::size_t i = 0; i < s.train.rows; ++i) sq += std::pow(s.train.x[2 * i + j] - m, 2);
    EXPECT_NEAR(m, 0.0, 1e-6);
    EXPECT_NEAR(std::sqrt(sq / double(s.train.rows)), 1.0, 1e-5);
  }
}
