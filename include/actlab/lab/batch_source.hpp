// The adapter from data::Batcher to the engine's nn::BatchSource (the lab
// is the layer that sees both data and nn), and a data set's geometry for
// building a model.
#pragma once

#include "actlab/data/dataset.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/nn/train.hpp"

namespace actlab::lab {

class BatcherSource : public nn::BatchSource {
 public:
  BatcherSource(const data::Dataset& d, std::size_t batch, std::uint64_t seed) : b_(d, batch, seed) {}
  std::size_t batches_per_epoch() const override { return b_.batches_per_epoch(); }
  void start_epoch(std::uint64_t e) override { b_.start_epoch(e); }
  std::size_t next(std::vector<float>& x, std::vector<std::int32_t>& y) override { return b_.next(x, y); }
  std::size_t position() const override { return b_.position(); }
  void seek(std::size_t pos) override { b_.seek(pos); }

 private:
  data::Batcher b_;
};

nn::InputGeom geom_of(const data::Dataset& d);

}  // namespace actlab::lab
