// Batcher: every row exactly once per epoch, an order that depends on
// (seed, epoch) only, and mid-epoch resumption.
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"

using namespace actlab;

namespace {

// Row i has features (i, -i) and label i % 3, so batches identify rows.
data::Dataset rows_set(std::size_t n) {
  data::Dataset d;
  d.name = "rows";
  d.rows = n;
  d.features = 2;
  d.classes = 3;
  for (std::size_t i = 0; i < n; ++i) {
    d.x.push_back(float(i));
    d.x.push_back(-float(i));
    d.y.push_back(int(i % 3));
  }
  return d;
}

// The row order of one epoch, checking each batch's consistency.
std::vector<int> epoch_order(data::Batcher& b, std::uint64_t epoch, std::size_t batch) {
  b.start_epoch(epoch);
  std::vector<int> order;
  std::vector<float> x;
  std::vector<std::int32_t> y;
  std::size_t n, batches = 0;
  while ((n = b.next(x, y)) > 0) {
    ++batches;
    EXPECT_LE(n, batch);
    EXPECT_EQ(x.size(), n * 2);
    EXPECT_EQ(y.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      const int r = int(x[2 * i]);
      EXPECT_EQ(x[2 * i + 1], -float(r));
      EXPECT_EQ(y[i], r % 3);
      order.push_back(r);
    }
  }
  EXPECT_EQ(batches, b.batches_per_epoch());
  EXPECT_EQ(b.next(x, y), 0u);  // stays at the end
  return order;
}

}  // namespace

TEST(Batcher, EveryRowOncePerEpoch) {
  for (std::size_t rows : {1u, 7u, 100u, 1000u})
    for (std::size_t batch : {1u, 3u, 32u, 128u, 5000u}) {
      const data::Dataset d = rows_set(rows);
      data::Batcher b(d, batch, 9);
      EXPECT_EQ(b.batches_per_epoch(), (rows + batch - 1) / batch);
      for (std::uint64_t e = 0; e < 3; ++e) {
        std::vector<int> order = epoch_order(b, e, batch);
        ASSERT_EQ(order.size(), rows);
        std::sort(order.begin(), order.end());
        for (std::size_t i = 0; i < rows; ++i) ASSERT_EQ(order[i], int(i)) << rows << "/" << batch;
      }
    }
}

TEST(Batcher, OrderDependsOnSeedAndEpochOnly) {
  const data::Dataset d = rows_set(500);
  data::Batcher a(d, 32, 5), b(d, 32, 5);
  // Epoch 3 directly equals epoch 3 after epochs 0..2 (a resumed run).
  for (std::uint64_t e = 0; e < 3; ++e) epoch_order(a, e, 32);
  EXPECT_EQ(epoch_order(a, 3, 32), epoch_order(b, 3, 32));
  // Different epochs and seeds shuffle differently; shuffling happens.
  const auto e0 = epoch_order(b, 0, 32), e1 = epoch_order(b, 1, 32);
  EXPECT_NE(e0, e1);
  data::Batcher c(d, 32, 6);
  EXPECT_NE(epoch_order(c, 0, 32), e0);
  std::vector<int> identity(500);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_NE(e0, identity);
  // The batch size does not change the order.
  data::Batcher big(d, 100, 5);
  EXPECT_EQ(epoch_order(big, 1, 100), e1);
  // shuffle = false: file order every epoch.
  data::Batcher plain(d, 32, 5, false);
  EXPECT_EQ(epoch_order(plain, 4, 32), identity);
}

TEST(Batcher, SeekResumesMidEpoch) {
  const data::Dataset d = rows_set(300);
  data::Batcher a(d, 64, 11), b(d, 64, 11);
  const auto full = epoch_order(a, 2, 64);
  b.start_epoch(2);
  std::vector<float> x;
  std::vector<std::int32_t> y;
  b.next(x, y);
  b.next(x, y);
  const std::size_t pos = b.position();
  EXPECT_EQ(pos, 128u);
  data::Batcher c(d, 64, 11);
  c.start_epoch(2);
  c.seek(pos);
  std::vector<int> rest;
  while (c.next(x, y))
    for (std::size_t i = 0; i < y.size(); ++i) rest.push_back(int(x[2 * i]));
  EXPECT_EQ(rest, std::vector<int>(full.begin() + 128, full.end()));
}

TEST(Batcher, BadArguments) {
  const data::Dataset d = rows_set(10);
  EXPECT_THROW(data::Batcher(d, 0, 1), UsageError);
  data::Dataset broken = d;
  broken.y.pop_back();
  EXPECT_THROW(data::Batcher(broken, 4, 1), DataError);
  const data::Dataset empty = rows_set(0);
  data::Batcher e(empty, 4, 1);
  EXPECT_EQ(e.batches_per_epoch(), 0u);
  std::vector<float> x;
  std::vector<std::int32_t> y;
  EXPECT_EQ(e.next(x, y), 0u);
}
