// Writing .npy and CSV files for the user-data readers' tests (and checking
// DataError / UsageError texts).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "actlab/core/error.hpp"
#include "data/idx_files.hpp"

namespace actlab::test {

// The header numpy.save writes: the dict literal padded with spaces to a
// multiple of 64 bytes (magic and length included), ending in '\n'.
inline std::string npy_header(const std::string& descr, const std::vector<std::uint64_t>& shape,
                              bool fortran = false, int major = 1) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) dict += (i ? ", " : "") + std::to_string(shape[i]);
  dict += shape.size() == 1 ? ",), }" : "), }";
  const std::size_t pre = major == 1 ? 10 : 12;
  std::size_t total = pre + dict.size() + 1;
  dict += std::string((64 - total % 64) % 64, ' ') + "\n";
  std::string h = "\x93NUMPY";
  h += static_cast<char>(major);
  h += '\0';
  const std::size_t len = dict.size();
  for (std::size_t b = 0; b < (major == 1 ? 2u : 4u); ++b) h += static_cast<char>((len >> (8 * b)) & 0xff);
  return h + dict;
}

// Little-endian bytes of the values.
template <class T>
std::string le_bytes(const std::vector<T>& v) {
  std::string s(v.size() * sizeof(T), '\0');
  if (!v.empty()) std::memcpy(s.data(), v.data(), s.size());  // x86-64: little-endian
  return s;
}

template <class T>
std::string npy(const std::string& descr, const std::vector<std::uint64_t>& shape, const std::vector<T>& v,
                int major = 1) {
  return npy_header(descr, shape, false, major) + le_bytes(v);
}

// Runs `f`, expects exception E whose message contains every one of `parts`.
template <class E = DataError>
void expect_error(const std::function<void()>& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "nothing thrown; expected an error mentioning '" << parts.front() << "'";
  } catch (const E& e) {
    const std::string msg = e.what();
    for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

}  // namespace actlab::test
