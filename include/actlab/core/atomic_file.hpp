// Files that are either complete or absent: results, checkpoints, plots and
// raw outputs are written to a temporary file in the target's directory and
// renamed over the target only when complete (rename is atomic on POSIX).
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace actlab {

class AtomicFile {
 public:
  // Opens "<path>.tmp.<pid>.<n>" for binary writing; throws DataError naming
  // `path` if the directory does not exist or is not writable.
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary file unless commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t bytes);
  void write(const std::string& s) { write(s.data(), s.size()); }
  // Flushes, fsyncs and renames onto the target; throws DataError on failure.
  void commit();
  const std::string& temp_path() const { return tmp_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_, tmp_;
  std::FILE* f_ = nullptr;
  bool committed_ = false;
};

// Writes `bytes` to `path` atomically.
void write_file_atomic(const std::string& path, const std::string& bytes);

// Reads a whole regular file; throws DataError naming the file when it is
// missing, a directory, or unreadable.
std::string read_file(const std::string& path, const std::string& what = "file");

// Raw little-endian float32 files (actlab eval --input/--output).
std::vector<float> read_f32_file(const std::string& path);
void write_f32_file_atomic(const std::string& path, const float* data, std::size_t n);

}  // namespace actlab
