// A float32 tensor: a shape and a contiguous row-major buffer. Deliberately
// plain: layers own their tensors and reuse them between batches, so a
// forward/backward pass allocates nothing once shapes have settled.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace actlab::nn {

using Shape = std::vector<std::int64_t>;

std::size_t numel(const Shape& s);

struct Tensor {
  Shape shape;
  std::vector<float> v;

  Tensor() = default;
  explicit Tensor(Shape s, float fill = 0.f) : shape(std::move(s)), v(numel(shape), fill) {}

  std::size_t size() const { return v.size(); }
  float* data() { return v.data(); }
  const float* data() const { return v.data(); }
  std::int64_t dim(std::size_t i) const { return shape[i]; }
  std::size_t ndim() const { return shape.size(); }
  // Rows = first dimension; cols = product of the rest.
  std::int64_t rows() const { return shape.empty() ? 0 : shape[0]; }
  std::int64_t cols() const { return rows() ? static_cast<std::int64_t>(v.size()) / rows() : 0; }

  // Sets the shape; keeps capacity (no reallocation for a smaller batch).
  // Contents are unspecified afterwards (callers overwrite them): no pass
  // over memory just to fill it.
  void resize(Shape s);
  void zero();
};

std::string shape_text(const Shape& s);  // "[128, 784]"

}  // namespace actlab::nn
