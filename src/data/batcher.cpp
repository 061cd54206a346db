// Mini-batches in a per-epoch order that depends on (seed, epoch) only, so a
// run resumed at epoch E sees exactly the batches an uninterrupted run sees.
#include <cstring>
#include <numeric>
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"
#include "src/data/rng.hpp"

namespace actlab::data {

Batcher::Batcher(const Dataset& d, std::size_t batch, std::uint64_t seed, bool shuffle)
    : d_(d), batch_(batch), seed_(seed), shuffle_(shuffle) {
  if (batch == 0) throw UsageError("--batch 0: the batch size must be >= 1 (e.g. 128)");
  if (d.rows > UINT32_MAX) throw DataError("data set '" + d.name + "' has more than 2^32 rows");
  if (d.x.size() != d.rows * d.features || d.y.size() != d.rows)
    throw DataError("data set '" + d.name + "' is inconsistent: x/y sizes do not match rows x features");
  start_epoch(0);
}

void Batcher::start_epoch(std::uint64_t epoch) {
  order_.resize(d_.rows);
  std::iota(order_.begin(), order_.end(), 0u);
  if (shuffle_) {
    detail::Rng rng(detail::mix(seed_, epoch));
    detail::shuffle(order_, rng);
  }
  pos_ = 0;
}

std::size_t Batcher::next(std::vector<float>& x, std::vector<std::int32_t>& y) {
  if (pos_ >= order_.size()) {
    x.clear();
    y.clear();
    return 0;
  }
  const std::size_t n = std::min(batch_, order_.size() - pos_), f = d_.features;
  x.resize(n * f);
  y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = order_[pos_ + i];
    std::memcpy(x.data() + i * f, d_.x.data() + r * f, f * sizeof(float));
    y[i] = d_.y[r];
  }
  pos_ += n;
  return n;
}

std::size_t Batcher::batches_per_epoch() const { return (d_.rows + batch_ - 1) / batch_; }

}  // namespace actlab::data
