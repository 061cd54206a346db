// Fuzz target: the IDX/gzip reader. The first byte picks what the rest is:
//   0: a gzip stream (gunzip)
//   1: an idx1 labels file (plain or gzip)
//   2: an idx3 images file (plain or gzip)
//   3: an images file and a labels file: 4 bytes (little-endian) give the
//      images part's length (mod the rest's size), then both files; they are
//      parsed and assembled into a Dataset (count and label checks).
// Bad input must end in actlab::DataError; anything else (another exception,
// a crash, a sanitizer report, a broken invariant) is a finding.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "actlab/core/error.hpp"
#include "actlab/data/idx.hpp"

namespace {

// Small cap: a gzip bomb must stop early, not exhaust the fuzzer's memory.
constexpr std::size_t kCap = std::size_t{1} << 22;

void check(bool ok) {
  if (!ok) std::abort();
}

void check_array(const actlab::data::IdxArray& a, std::size_t rank) {
  check(a.dims.size() == rank);
  std::size_t n = 1;
  for (auto d : a.dims) n *= d;  // cannot overflow: equals a payload in memory
  check(n == a.size());
  check(a.offset == 4 + 4 * rank);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace actlab::data;
  try {
    switch (data[0] % 4) {
      case 0: {
        const std::string out = gunzip(rest, "fuzz.gz", kCap);
        check(out.size() <= kCap);
        break;
      }
      case 1: check_array(parse_idx(rest, "fuzz-labels", 1, kCap), 1); break;
      case 2: check_array(parse_idx(rest, "fuzz-images", 3, kCap), 3); break;
      case 3: {
        if (rest.size() < 4) return 0;
        std::uint32_t len = 0;
        for (int i = 3; i >= 0; --i) len = (len << 8) | static_cast<unsigned char>(rest[i]);
        const std::string files = rest.substr(4);
        const std::size_t cut = files.empty() ? 0 : len % (files.size() + 1);
        const IdxArray img = parse_idx(files.substr(0, cut), "fuzz-images", 3, kCap);
        const IdxArray lab = parse_idx(files.substr(cut), "fuzz-labels", 1, kCap);
        const actlab::data::Dataset d = idx_to_dataset(img, lab, "fuzz-images", "fuzz-labels", 10, 0);
        check(d.rows == img.dims[0] && d.rows == lab.dims[0]);
        check(d.x.size() == d.rows * d.features && d.y.size() == d.rows);
        for (float v : d.x) check(v >= 0.f && v <= 1.f);
        for (auto y : d.y) check(y >= 0 && y < 10);
        break;
      }
    }
  } catch (const actlab::DataError&) {
    // The documented outcome for bad input.
  }
  return 0;
}
