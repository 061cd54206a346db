// The user's own data: CSV files and NumPy .npy pairs, named by a spec that
// data::load() accepts wherever a data set name is (the CLI's --data, study
// files):
//
//   csv:PATH[,label=NAME][,test=PATH2 | ,test_fraction=F]
//     e.g. csv:iris.csv,label=species,test_fraction=0.25
//   npy:X.npy,Y.npy[,test_x=PATH,test_y=PATH | ,test_fraction=F]
//     e.g. npy:x_train.npy,y_train.npy,test_x=x_test.npy,test_y=y_test.npy
//
// Paths may not contain a comma; relative paths are taken from the data
// directory (--data-dir) when one is given, else from the working directory.
// Without a test file, the last round(rows * F) of the rows shuffled with
// LoadOptions::seed are the test set (F = test_fraction, default 0.2, in
// (0, 1)); test rows keep their file order, so limit_test takes the first N.
// limit_train and val_fraction then apply to the remaining rows as for every
// other set.
//
// CSV: a header row names the columns; the label column (default `label`) is
// the class, every other column a float feature. Rows are numbered as a text
// editor shows them (the header is row 1), columns from 1. Fields may be
// quoted ("a,b", "" for a quote inside), lines end in LF, CRLF or CR, a UTF-8
// byte-order mark is skipped, spaces around fields are ignored, blank lines
// are skipped. Labels: when every label (of the training and test files) is a
// non-negative decimal integer, it is the class index (classes = largest + 1,
// below kMaxClasses); otherwise the labels are names and the distinct names
// become classes 0, 1, ... in sorted (byte-wise) order, and a test file may
// not use a name the training file lacks. A test file must have the same
// header, names in the same order.
//
// npy: NumPy format 1.0, 2.0 or 3.0, C order, little-endian. X is 2-D
// (rows, features), 3-D (rows, height, width) or 4-D (rows, channels,
// height, width) float32 `<f4`, float64 `<f8` or uint8 `|u1` (uint8 is
// scaled to [0, 1] as the IDX images are; 3-D/4-D arrays keep their geometry
// in Dataset::channels/height/width, so a CNN can use them). Y is 1-D with
// one integer label per row (`|u1`, `|i1`, `<i2`, `<u2`, `<i4`, `<u4`, `<i8`,
// `<u8`) in [0, kMaxClasses); classes = largest label (over training and
// test files) + 1. Positions in messages are NumPy indices (0-based):
// "X[17, 3]", "Y[5]".
//
// Contract of the readers: a bad spec throws UsageError showing an example;
// a bad file throws DataError naming the file and the row/column or index
// where there is one. They refuse anything but a regular file before opening
// it (a FIFO or device is named as such; nothing blocks), files over the
// caps below, and never allocate more than the file's contents could fill
// (a lying header is compared with the file size first). Either a complete
// Split is returned or an exception is thrown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "actlab/data/dataset.hpp"

namespace actlab::data {

inline constexpr std::uint64_t kMaxCsvBytes = std::uint64_t{2} << 30;  // 2 GiB
inline constexpr std::uint64_t kMaxNpyBytes = std::uint64_t{4} << 30;  // 4 GiB
// Labels (and integer CSV labels) must be below this: it bounds the model's
// output layer whatever a file says.
inline constexpr int kMaxClasses = 65536;

struct CsvSpec {
  std::string path;
  std::string label = "label";  // the label column's name
  std::string test;             // test file; empty: test_fraction of `path`
  double test_fraction = 0.2;
};

struct NpySpec {
  std::string x, y;
  std::string test_x, test_y;  // both or neither; empty: test_fraction
  double test_fraction = 0.2;
};

// Parse a spec ("csv:..." / "npy:..."); relative paths are joined to `dir`
// when it is not empty. UsageError for a malformed spec (with an example).
CsvSpec parse_csv_spec(const std::string& spec, const std::string& dir = "");
NpySpec parse_npy_spec(const std::string& spec, const std::string& dir = "");

Split load_csv(const CsvSpec& spec, const LoadOptions& opt);
Split load_npy(const NpySpec& spec, const LoadOptions& opt);

// The same parsers on bytes in memory (tests, fuzzers), `name` standing for
// the file in messages. parse_csv reads one file and resolves its labels
// alone; parse_csv_pair reads a training and a test file with one class
// mapping. parse_npy builds a Dataset from an X and a Y file.
Dataset parse_csv(std::string_view text, const std::string& name, const std::string& label = "label");
void parse_csv_pair(std::string_view train_text, const std::string& train_name, std::string_view test_text,
                    const std::string& test_name, const std::string& label, Dataset& train, Dataset& test);
Dataset parse_npy(std::string_view x_bytes, const std::string& x_name, std::string_view y_bytes,
                  const std::string& y_name);

}  // namespace actlab::data
