// The loop driver: every length 0..70, unaligned pointers, in place, guard
// elements untouched, and the threaded path bit-identical to one thread.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "act/kernel_test_util.hpp"

namespace actlab::test {
namespace {

using act::Act;

class KernelLayout : public testing::TestWithParam<Act> {};

TEST_P(KernelLayout, AnyLengthAlignmentAndInPlace) {
  const Act a = GetParam();
  const auto p = act::defaults(a);
  std::mt19937 rng(99u + static_cast<unsigned>(a));
  std::normal_distribution<float> nd(0.f, 4.f);
  constexpr float kGuard = 12345.f;
  for (const auto& t : act::supported_targets()) {
    TargetGuard g(t);
    for (std::size_t n = 0; n <= 70; ++n) {
      const std::size_t off = n % 4;  // 0..3 floats: misaligned for every vector width
      std::vector<float> x(n), dy(n);
      for (auto& v : x) v = nd(rng);
      for (auto& v : dy) v = nd(rng);
      // Expected: each element on its own (the tail path), for pointwise
      // entries; rowwise entries compare against the whole-row result.
      std::vector<float> y_ref(n), dx_ref(n);
      if (act::is_rowwise(a)) {
        act::forward(a, p, x.data(), y_ref.data(), n);
        act::backward(a, p, x.data(), y_ref.data(), dy.data(), dx_ref.data(), n);
      } else {
        for (std::size_t i = 0; i < n; ++i) {
          act::forward(a, p, &x[i], &y_ref[i], 1);
          act::backward(a, p, &x[i], &y_ref[i], &dy[i], &dx_ref[i], 1);
        }
      }
      // Out of place, unaligned, with guards on both sides.
      std::vector<float> bx(n + 8, kGuard), by(n + 8, kGuard), bdy(n + 8, kGuard), bdx(n + 8, kGuard);
      std::copy(x.begin(), x.end(), bx.begin() + off);
      std::copy(dy.begin(), dy.end(), bdy.begin() + off);
      act::forward(a, p, bx.data() + off, by.data() + off, n);
      act::backward(a, p, bx.data() + off, by.data() + off, bdy.data() + off, bdx.data() + off, n);
      for (std::size_t i = 0; i < n + 8; ++i) {
        const bool inside = i >= off && i < off + n;
        if (inside) {
          EXPECT_EQ(bits(by[i]), bits(y_ref[i - off])) << t << " n=" << n << " i=" << i;
          EXPECT_EQ(bits(bdx[i]), bits(dx_ref[i - off])) << t << " n=" << n << " i=" << i;
        } else {
          EXPECT_EQ(by[i], kGuard) << t << " n=" << n << " guard " << i;
          EXPECT_EQ(bdx[i], kGuard) << t << " n=" << n << " guard " << i;
        }
      }
      // In place: y over x, then dx over dy.
      std::vector<float> ip(bx);
      act::forward(a, p, ip.data() + off, ip.data() + off, n);
      std::vector<float> idy(bdy);
      act::backward(a, p, bx.data() + off, by.data() + off, idy.data() + off, idy.data() + off, n);
      for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(bits(ip[off + i]), bits(y_ref[i])) << t << " in place n=" << n;
        EXPECT_EQ(bits(idy[off + i]), bits(dx_ref[i])) << t << " in place bwd n=" << n;
      }
    }
  }
}

// n >= 2 * kMinPerThread splits across 2 threads: results must not depend
// on the split.
TEST_P(KernelLayout, ThreadedIsBitIdenticalToSingleThreaded) {
  const Act a = GetParam();
  const auto p = act::defaults(a);
  const std::size_t n = 2 * act::kMinPerThread + 37;
  std::mt19937 rng(5u);
  std::normal_distribution<float> nd(0.f, 5.f);
  std::vector<float> x(n), dy(n);
  for (auto& v : x) v = nd(rng);
  for (auto& v : dy) v = nd(rng);
  std::vector<float> y1(n), y2(n), dx1(n), dx2(n);
  const int saved = act::num_threads();
  act::set_num_threads(1);
  if (act::is_rowwise(a)) {
    act::forward_rows(a, p, x.data(), y1.data(), n / 37, 37);
    act::backward_rows(a, p, x.data(), y1.data(), dy.data(), dx1.data(), n / 37, 37);
  } else {
    act::forward(a, p, x.data(), y1.data(), n);
    act::backward(a, p, x.data(), y1.data(), dy.data(), dx1.data(), n);
  }
  act::set_num_threads(2);
  if (act::is_rowwise(a)) {
    act::forward_rows(a, p, x.data(), y2.data(), n / 37, 37);
    act::backward_rows(a, p, x.data(), y1.data(), dy.data(), dx2.data(), n / 37, 37);
  } else {
    act::forward(a, p, x.data(), y2.data(), n);
    act::backward(a, p, x.data(), y1.data(), dy.data(), dx2.data(), n);
  }
  act::set_num_threads(saved);
  EXPECT_EQ(std::memcmp(y1.data(), y2.data(), n * sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(dx1.data(), dx2.data(), n * sizeof(float)), 0);
}

// A lane's value depends only on its own input: the float32 kernels hand
// "rare" lanes (|x| > 80, x < -9.5 for gelu_tanh, inf, NaN) to the float64
// path lane by lane (ops-inl.h, Hybrid), so a vector that mixes rare and
// ordinary inputs must give every ordinary lane the same bits as when it is
// evaluated alone.
class PointwiseLayout : public testing::TestWithParam<Act> {};

TEST_P(PointwiseLayout, RareNeighboursDoNotChangeALane) {
  const Act a = GetParam();
  const auto p = act::defaults(a);
  std::mt19937 rng(7u + static_cast<unsigned>(a));
  std::normal_distribution<float> nd(0.f, 2.f);
  std::uniform_real_distribution<float> wide(-150.f, 150.f);
  const float special[] = {INFINITY, -INFINITY, NAN, -95.f, 95.f, -12.f, 3e38f, -3e38f};
  const std::size_t n = 203;
  std::vector<float> x(n), dy(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = i % 7 == 3 ? special[(i / 7) % 8] : (i % 3 == 0 ? wide(rng) : nd(rng));
    dy[i] = nd(rng);
  }
  for (const auto& t : act::supported_targets()) {
    TargetGuard g(t);
    std::vector<float> y(n), dx(n);
    act::forward(a, p, x.data(), y.data(), n);
    act::backward(a, p, x.data(), y.data(), dy.data(), dx.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      float y1, dx1;
      act::forward(a, p, &x[i], &y1, 1);
      act::backward(a, p, &x[i], &y1, &dy[i], &dx1, 1);
      EXPECT_EQ(bits(y[i]), bits(y1)) << t << " x=" << x[i];
      EXPECT_EQ(bits(dx[i]), bits(dx1)) << t << " x=" << x[i];
    }
  }
}

INSTANTIATE_TEST_SUITE_P(All, KernelLayout, testing::ValuesIn(all_acts()), act_test_name);
// Rowwise entries are excluded by definition: a row is one unit.
INSTANTIATE_TEST_SUITE_P(All, PointwiseLayout, testing::ValuesIn(pointwise_acts()), act_test_name);

}  // namespace
}  // namespace actlab::test
