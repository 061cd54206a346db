// Fuzz target: the .npy reader (header dict, dtype, shape against the file
// size, the payload's values). The first byte picks what the rest is:
//   0: an X file and a Y file: 4 bytes (little-endian) give the X part's
//      length (mod the rest's size), then both (parse_npy)
//   1: an X file, with a valid 4-row Y
//   2: a Y file, with a valid 4 x 3 float32 X
// Bad input must end in actlab::DataError; anything else (another exception,
// a crash, a sanitizer report, a broken invariant) is a finding.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/data/tabular.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// A format 1.0 header as numpy.save writes it (no padding needed here).
std::string npy_header(const std::string& descr, const std::string& shape) {
  const std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
  std::string h = "\x93NUMPY\x01";
  h += '\0';
  h += static_cast<char>(dict.size() & 0xff);
  h += static_cast<char>(dict.size() >> 8);
  return h + dict;
}

const std::string& valid_y() {
  static const std::string y = [] {
    const std::int64_t v[4] = {0, 1, 1, 0};
    std::string s(reinterpret_cast<const char*>(v), sizeof v);
    return npy_header("<i8", "(4,)") + s;
  }();
  return y;
}

const std::string& valid_x() {
  static const std::string x = [] {
    float v[12];
    for (int i = 0; i < 12; ++i) v[i] = static_cast<float>(i);
    return npy_header("<f4", "(4, 3)") + std::string(reinterpret_cast<const char*>(v), sizeof v);
  }();
  return x;
}

void check_set(const actlab::data::Dataset& d) {
  check(d.rows > 0 && d.features > 0);
  check(d.x.size() == d.rows * d.features && d.y.size() == d.rows);
  check(d.classes >= 2 && d.classes <= actlab::data::kMaxClasses);
  if (d.channels) check(std::size_t(d.channels) * d.height * d.width == d.features);
  for (float v : d.x) check(std::isfinite(v));
  for (auto y : d.y) check(y >= 0 && y < d.classes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  using actlab::data::parse_npy;
  try {
    switch (data[0] % 3) {
      case 0: {
        if (rest.size() < 4) return 0;
        std::uint32_t len = 0;
        for (int i = 3; i >= 0; --i) len = (len << 8) | static_cast<unsigned char>(rest[i]);
        const std::string files = rest.substr(4);
        const std::size_t cut = files.empty() ? 0 : len % (files.size() + 1);
        check_set(parse_npy(files.substr(0, cut), "x.npy", files.substr(cut), "y.npy"));
        break;
      }
      case 1: check_set(parse_npy(rest, "x.npy", valid_y(), "y.npy")); break;
      case 2: check_set(parse_npy(valid_x(), "x.npy", rest, "y.npy")); break;
    }
  } catch (const actlab::DataError&) {
    // The documented outcome for a bad file.
  }
  return 0;
}
