#include "actlab/nn/tensor.hpp"

#include <algorithm>

namespace actlab::nn {

std::size_t numel(const Shape& s) {
  std::size_t n = 1;
  for (auto d : s) n *= static_cast<std::size_t>(d);
  return n;
}

std::string shape_text(const Shape& s) {
  std::string t = "[";
  for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

void Tensor::resize(Shape s) {
  shape = std::move(s);
  v.resize(numel(shape));
}

void Tensor::zero() { std::fill(v.begin(), v.end(), 0.f); }

}  // namespace actlab::nn
