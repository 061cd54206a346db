#include "actlab/core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "actlab/core/error.hpp"

namespace actlab {
namespace {
std::atomic<unsigned> g_counter{0};

std::string errno_text() { return std::strerror(errno); }
}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  tmp_ = path_ + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(g_counter++);
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (!f_)
    throw DataError("cannot write '" + path_ + "': " + errno_text() +
                    " (check that the directory exists and is writable)");
}

AtomicFile::~AtomicFile() {
  if (f_) std::fclose(f_);
  if (!committed_) std::remove(tmp_.c_str());
}

void AtomicFile::write(const void* data, std::size_t bytes) {
  if (bytes && std::fwrite(data, 1, bytes, f_) != bytes)
    throw DataError("writing '" + path_ + "' failed: " + errno_text() + " (disk full?)");
}

void AtomicFile::commit() {
  if (std::fflush(f_) != 0 || ::fsync(::fileno(f_)) != 0)
    throw DataError("writing '" + path_ + "' failed: " + errno_text());
  std::fclose(f_);
  f_ = nullptr;
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw DataError("cannot rename '" + tmp_ + "' to '" + path_ + "': " + errno_text());
  committed_ = true;
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
  AtomicFile f(path);
  f.write(bytes);
  f.commit();
}

std::string read_file(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw DataError(what + " '" + path + "' cannot be opened: " + errno_text());
  if (S_ISDIR(st.st_mode)) throw DataError(what + " '" + path + "' is a directory; give a file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw DataError(what + " '" + path + "' cannot be opened: " + errno_text());
  std::string out;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool err = std::ferror(f);
  std::fclose(f);
  if (err) throw DataError("reading " + what + " '" + path + "' failed");
  return out;
}

std::vector<float> read_f32_file(const std::string& path) {
  const std::string bytes = read_file(path, "input file");
  if (bytes.size() % sizeof(float) != 0)
    throw DataError("input file '" + path + "' has " + std::to_string(bytes.size()) +
                    " bytes, not a multiple of 4: expected raw little-endian float32 values");
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), bytes.size());
  return v;
}

void write_f32_file_atomic(const std::string& path, const float* data, std::size_t n) {
  AtomicFile f(path);
  f.write(data, n * sizeof(float));
  f.commit();
}

}  // namespace actlab
