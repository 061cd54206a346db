// Fuzz target: the CSV reader and the csv:/npy: spec parsers. The first byte
// picks what the rest is:
//   0: one CSV file, label column "label" (parse_csv)
//   1: a training and a test file: 4 bytes (little-endian) give the training
//      part's length (mod the rest's size), then both (parse_csv_pair)
//   2: a data spec: "csv:..." or "npy:..." (parse_csv_spec / parse_npy_spec)
//   3: the label column's name on the first line, then one CSV file
// Bad input must end in actlab::DataError (UsageError for specs); anything
// else (another exception, a crash, a sanitizer report, a broken invariant)
// is a finding.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/data/tabular.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void check_set(const actlab::data::Dataset& d) {
  check(d.rows > 0 && d.features > 0);
  check(d.x.size() == d.rows * d.features && d.y.size() == d.rows);
  check(d.classes >= 2 && d.classes <= actlab::data::kMaxClasses);
  check(d.channels == 0);
  for (float v : d.x) check(std::isfinite(v));
  for (auto y : d.y) check(y >= 0 && y < d.classes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace actlab::data;
  try {
    switch (data[0] % 4) {
      case 0: check_set(parse_csv(rest, "fuzz.csv")); break;
      case 1: {
        if (rest.size() < 4) return 0;
        std::uint32_t len = 0;
        for (int i = 3; i >= 0; --i) len = (len << 8) | static_cast<unsigned char>(rest[i]);
        const std::string files = rest.substr(4);
        const std::size_t cut = files.empty() ? 0 : len % (files.size() + 1);
        Dataset train, test;
        parse_csv_pair(files.substr(0, cut), "train.csv", files.substr(cut), "test.csv", "label", train, test);
        check_set(train);
        check_set(test);
        check(train.classes == test.classes && train.features == test.features);
        break;
      }
      case 2: {
        try {
          if (rest.starts_with("csv:")) {
            const CsvSpec s = parse_csv_spec(rest, "dir");
            check(!s.path.empty() && !s.label.empty());
            check(s.test_fraction > 0 && s.test_fraction < 1);
          } else if (rest.starts_with("npy:")) {
            const NpySpec s = parse_npy_spec(rest, "dir");
            check(!s.x.empty() && !s.y.empty() && s.test_x.empty() == s.test_y.empty());
            check(s.test_fraction > 0 && s.test_fraction < 1);
          }
        } catch (const actlab::UsageError&) {
        }
        break;
      }
      case 3: {
        const std::size_t nl = rest.find('\n');
        if (nl == std::string::npos) return 0;
        check_set(parse_csv(rest.substr(nl + 1), "fuzz.csv", rest.substr(0, nl)));
        break;
      }
    }
  } catch (const actlab::DataError&) {
    // The documented outcome for a bad file.
  }
  return 0;
}
