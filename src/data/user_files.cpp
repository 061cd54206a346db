// Shared by the CSV and npy readers: opening a user's file without ever
// blocking or reading a device, the spec's comma splitting, and the split of
// a user's rows into train / val / test.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <string>

#include "actlab/core/error.hpp"
#include "src/data/internal.hpp"
#include "src/data/rng.hpp"

namespace actlab::data::detail {
namespace {

// What a non-regular file is, for the message.
const char* kind_of(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO (named pipe)";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

}  // namespace

InputFile::InputFile(const std::string& path, const std::string& what, std::uint64_t cap)
    : name_(path), what_(what) {
  const std::string who = what + " '" + path + "'";
  auto check = [&](const struct stat& st) {
    if (!S_ISREG(st.st_mode))
      throw DataError(who + " is " + kind_of(st.st_mode) +
                      ", not a regular file; save the data to a file and name that");
    if (static_cast<std::uint64_t>(st.st_size) > cap)
      throw DataError(who + " is " + std::to_string(st.st_size) + " bytes, more than the limit of " +
                      std::to_string(cap) + " bytes for a " + what_ +
                      "; use a smaller file (or a subset of the rows)");
  };
  // stat first: a FIFO or device is refused without being opened.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw DataError(who + " cannot be opened: " + std::strerror(errno));
  check(st);
  // O_NONBLOCK: should the path have become a FIFO since the stat, open
  // returns at once instead of waiting for a writer; fstat then refuses it.
  fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd_ < 0) throw DataError(who + " cannot be opened: " + std::strerror(errno));
  if (::fstat(fd_, &st) != 0) {
    const int e = errno;
    ::close(fd_);
    throw DataError(who + " cannot be read: " + std::strerror(e));
  }
  try {
    check(st);
  } catch (...) {
    ::close(fd_);
    throw;
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

InputFile::InputFile(std::string_view bytes, std::string name, std::string what)
    : mem_(bytes), name_(std::move(name)), what_(std::move(what)), size_(bytes.size()) {}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

void InputFile::read(std::uint64_t off, void* dst, std::size_t n) const {
  if (off > size_ || n > size_ - off)
    throw DataError(what_ + " '" + name_ + "': read past the end (internal error)");
  if (fd_ < 0) {
    if (n) std::memcpy(dst, mem_.data() + off, n);
    return;
  }
  auto* p = static_cast<char*>(dst);
  while (n > 0) {
    const ssize_t got = ::pread(fd_, p, n, static_cast<off_t>(off));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw DataError("reading " + what_ + " '" + name_ + "' failed: " + std::strerror(errno));
    if (got == 0)
      throw DataError(what_ + " '" + name_ + "' became shorter while it was read (it had " +
                      std::to_string(size_) + " bytes); is another program writing it?");
    p += got;
    n -= static_cast<std::size_t>(got);
    off += static_cast<std::uint64_t>(got);
  }
}

std::string InputFile::read_all() const {
  std::string s(size_, '\0');
  read(0, s.data(), s.size());
  return s;
}

std::vector<std::string> split_spec(std::string_view body) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = body.find(',', start);
    parts.emplace_back(body.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return parts;
    start = comma + 1;
  }
}

std::string in_dir(const std::string& path, const std::string& dir) {
  if (dir.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(dir) / path).string();
}

double parse_test_fraction(const std::string& value, const std::string& spec, const char* example) {
  double f = 0;
  const char* end = value.data() + value.size();
  const auto r = std::from_chars(value.data(), end, f);
  if (value.empty() || r.ec != std::errc() || r.ptr != end || !(f > 0.0 && f < 1.0))
    throw UsageError("--data '" + spec + "': test_fraction='" + value +
                     "' must be a number between 0 and 1 (exclusive), e.g. " + example);
  return f;
}

std::string show(std::string_view s, std::size_t max) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

Split user_split(Dataset all, Dataset* test, double test_fraction, const LoadOptions& opt) {
  Split s;
  if (test) {
    s.test = std::move(*test);
  } else {
    // The test rows: the end of the rows shuffled with the seed's own stream
    // (not the validation split's), kept in file order like a test file.
    std::vector<std::uint32_t> order(all.rows);
    std::iota(order.begin(), order.end(), 0u);
    Rng rng(mix(opt.seed, 0x7e577e57));
    shuffle(order, rng);
    const auto ntest = static_cast<std::size_t>(std::llround(double(all.rows) * test_fraction));
    if (ntest == 0 || ntest >= all.rows)
      throw UsageError("test_fraction=" + num(test_fraction) + " of the " + std::to_string(all.rows) +
                       " rows of '" + all.name + "' leaves " +
                       (ntest == 0 ? "no test rows" : "no training rows") +
                       "; choose another fraction or give a test file");
    std::vector<std::uint32_t> tidx(order.end() - static_cast<std::ptrdiff_t>(ntest), order.end());
    order.resize(all.rows - ntest);
    std::sort(tidx.begin(), tidx.end());
    std::sort(order.begin(), order.end());  // the rest in file order: split_train_val shuffles
    s.test = take_rows(all, tidx, all.name);
    all = take_rows(all, order, all.name);
  }
  split_train_val(all, opt, s.train, s.val);
  limit_rows(s.test, opt.limit_test);
  return s;
}

}  // namespace actlab::data::detail
