// Crafting IDX files (plain and gzip) for the reader's tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "actlab/data/idx.hpp"

namespace actlab::test {

// An IDX header (type 0x08 unless given) with the given dims, then payload.
inline std::string idx_bytes(const std::vector<std::uint32_t>& dims, const std::string& payload,
                             unsigned char type = 0x08) {
  std::string s;
  s += '\0';
  s += '\0';
  s += static_cast<char>(type);
  s += static_cast<char>(dims.size());
  for (std::uint32_t d : dims)
    for (int sh = 24; sh >= 0; sh -= 8) s += static_cast<char>((d >> sh) & 0xff);
  return s + payload;
}

// n images of h x w whose pixel (i, p) is (i + p) % 256, and their labels.
inline std::string images_idx(std::uint32_t n, std::uint32_t h, std::uint32_t w) {
  std::string px(std::size_t{n} * h * w, '\0');
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t p = 0; p < std::size_t{h} * w; ++p) px[i * h * w + p] = static_cast<char>((i + p) % 256);
  return idx_bytes({n, h, w}, px);
}
inline std::string labels_idx(std::uint32_t n, int classes = 10) {
  std::string lab(n, '\0');
  for (std::size_t i = 0; i < n; ++i) lab[i] = static_cast<char>(i % classes);
  return idx_bytes({n}, lab);
}

inline void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A complete MNIST-format directory (gzip unless plain), small enough to be fast.
inline void write_mnist_dir(const std::filesystem::path& dir, std::uint32_t ntrain = 50,
                            std::uint32_t ntest = 20, bool plain = false) {
  auto put = [&](const std::string& base, const std::string& bytes) {
    if (plain) write_bytes(dir / base, bytes);
    else write_bytes(dir / (base + ".gz"), data::gzip_compress(bytes));
  };
  put("train-images-idx3-ubyte", images_idx(ntrain, 4, 3));
  put("train-labels-idx1-ubyte", labels_idx(ntrain));
  put("t10k-images-idx3-ubyte", images_idx(ntest, 4, 3));
  put("t10k-labels-idx1-ubyte", labels_idx(ntest));
}

}  // namespace actlab::test
