// Helpers shared by the loaders in src/data/ (not part of the public API).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actlab/data/dataset.hpp"

namespace actlab::data::detail {

// The rows `idx` of `d`, in that order, with d's shape and metadata.
Dataset take_rows(const Dataset& d, const std::vector<std::uint32_t>& idx, const std::string& name);

// Shuffles `all` with the seed, keeps the first opt.limit_train rows (all if
// 0) and moves the last round(n * val_fraction) of them into val.
void split_train_val(const Dataset& all, const LoadOptions& opt, Dataset& train, Dataset& val);

// The first `limit` rows (all if 0 or larger than the set).
void limit_rows(Dataset& d, std::size_t limit);

// Shortest decimal text of v that reads back exactly, for messages.
std::string num(double v);

// Rejects option values no loader can honour (UsageError naming the option).
void check_options(const LoadOptions& opt);

// ---- The user's files (csv.cpp, npy.cpp; shared parts in user_files.cpp) ----

// A user's data file, or bytes in memory standing for one (tests, fuzzers).
// The file constructor refuses a missing path, a directory, a FIFO, device or
// socket (stat before open; opened O_NONBLOCK and checked again with fstat,
// so nothing blocks even if the path changes in between) and a file larger
// than `cap`. `what` names the file's role in messages ("CSV file").
class InputFile {
 public:
  InputFile(const std::string& path, const std::string& what, std::uint64_t cap);
  InputFile(std::string_view bytes, std::string name, std::string what);
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();
  std::uint64_t size() const { return size_; }
  const std::string& name() const { return name_; }  // the path, for messages
  const std::string& what() const { return what_; }
  // Copies bytes [off, off + n) (within size()); DataError if the file ends
  // early (it shrank while being read).
  void read(std::uint64_t off, void* dst, std::size_t n) const;
  std::string read_all() const;

 private:
  int fd_ = -1;
  std::string_view mem_;
  std::string name_, what_;
  std::uint64_t size_ = 0;
};

// The comma-separated parts of a spec after its "kind:" prefix (no quoting:
// paths cannot contain commas).
std::vector<std::string> split_spec(std::string_view body);

// `path` joined to `dir` when the path is relative and dir is not empty.
std::string in_dir(const std::string& path, const std::string& dir);

// test_fraction=VALUE: a number in (0, 1), else UsageError naming `spec` and
// showing `example`.
double parse_test_fraction(const std::string& value, const std::string& spec, const char* example);

// Bytes of a file shown in a message: printable ASCII as is, others as \xNN,
// at most `max` characters (then "...").
std::string show(std::string_view s, std::size_t max = 40);

// The Split of a user's data set from the training file's rows `all` and
// either a test file's rows (`test` not null) or the last round(rows *
// test_fraction) of the rows shuffled with opt.seed; then limit_train,
// val_fraction (split_train_val) and limit_test as for the other sets.
Split user_split(Dataset all, Dataset* test, double test_fraction, const LoadOptions& opt);

}  // namespace actlab::data::detail
