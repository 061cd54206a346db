// The real Debian dataset-fashion-mnist files: shapes, class balance, pixel
// statistics, and normalisation with training statistics only.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "actlab/data/dataset.hpp"

using namespace actlab;

namespace {

// Loaded once for the whole suite (about a second).
const data::Split& fashion() {
  static const data::Split s = [] {
    data::LoadOptions o;
    o.val_fraction = 0;
    return data::load("fashion-mnist", "", o);
  }();
  return s;
}

std::vector<int> histogram(const data::Dataset& d) {
  std::vector<int> h(d.classes, 0);
  for (std::int32_t y : d.y) {
    EXPECT_GE(y, 0);
    EXPECT_LT(y, d.classes);
    if (y >= 0 && y < d.classes) ++h[y];
  }
  return h;
}

double mean(const std::vector<float>& v) {
  double s = 0;
  for (float x : v) s += x;
  return s / double(v.size());
}

}  // namespace

TEST(FashionMnist, ShapesAndClasses) {
  const data::Split& s = fashion();
  EXPECT_EQ(s.train.rows, 60000u);
  EXPECT_EQ(s.test.rows, 10000u);
  EXPECT_EQ(s.val.rows, 0u);
  for (const data::Dataset* d : {&s.train, &s.test}) {
    EXPECT_EQ(d->features, 784u);
    EXPECT_EQ(d->classes, 10);
    EXPECT_EQ(d->channels, 1);
    EXPECT_EQ(d->height, 28);
    EXPECT_EQ(d->width, 28);
    EXPECT_EQ(d->x.size(), d->rows * 784);
    EXPECT_EQ(d->y.size(), d->rows);
  }
}

TEST(FashionMnist, LabelHistogramIsBalanced) {
  // Fashion-MNIST has exactly 6000 training and 1000 test images per class.
  for (int c : histogram(fashion().train)) EXPECT_EQ(c, 6000);
  for (int c : histogram(fashion().test)) EXPECT_EQ(c, 1000);
}

TEST(FashionMnist, PixelStatistics) {
  const data::Split& s = fashion();
  float lo = 1, hi = 0;
  for (float v : s.train.x) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, 1.0f);
  // The published training-set pixel mean is 0.2860 (std 0.3530); a decoder
  // with swapped bytes, a wrong offset or wrong scaling misses it by far.
  EXPECT_NEAR(mean(s.train.x), 0.2860, 0.001);
  EXPECT_NEAR(mean(s.test.x), 0.2868, 0.002);
  // Images are not all alike: the first two training images differ.
  EXPECT_NE(std::vector<float>(s.train.x.begin(), s.train.x.begin() + 784),
            std::vector<float>(s.train.x.begin() + 784, s.train.x.begin() + 1568));
}

TEST(FashionMnist, ValidationSplitAndNormalise) {
  data::LoadOptions o;
  o.val_fraction = 0.1;
  o.limit_test = 1000;
  data::Split s = data::load("fashion-mnist", data::kFashionMnistDir, o);
  EXPECT_EQ(s.train.rows, 54000u);
  EXPECT_EQ(s.val.rows, 6000u);
  EXPECT_EQ(s.test.rows, 1000u);
  // The split is a random one: every class is present in the validation set
  // in roughly its share (600 expected; 5 sigma of a binomial is ~115).
  data::Dataset val = s.val;
  val.classes = 10;
  for (int c : histogram(val)) EXPECT_NEAR(c, 600, 115);
  data::normalise(s);
  // Training pixels: mean 0 and std 1 over all pixels (one global statistic
  // for images); validation and test use the training statistics so they are
  // only close to it.
  double m = mean(s.train.x), sq = 0;
  for (float v : s.train.x) sq += (v - m) * (v - m);
  EXPECT_NEAR(m, 0.0, 1e-4);
  EXPECT_NEAR(std::sqrt(sq / double(s.train.x.size())), 1.0, 1e-4);
  EXPECT_NEAR(mean(s.val.x), 0.0, 0.05);
  EXPECT_NE(mean(s.test.x), 0.0);
}
