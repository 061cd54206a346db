// Files that are either complete or absent, and readers that refuse what is
// not a file. Every output of actlab (results, checkpoints, plots, raw
// outputs, run records) goes through AtomicFile; every small reader through
// read_file. The rules (docs/reliability.md, "Outputs and special files"):
//
// What AtomicFile does with what is already at the target path:
//   nothing, or a regular file  written to "<target>.tmp.<pid>.<n>" in the
//                               target's directory and renamed over it on
//                               commit() (atomic on POSIX). An existing
//                               file keeps its permission bits; other hard
//                               links to it keep the old content.
//   a symbolic link             followed: the file it names (at any depth)
//                               is replaced as above and the link stays a
//                               link. A dangling link is refused.
//   a character device or FIFO  written through, never replaced: the content
//                               is held in memory and written at commit(),
//                               so a run that fails writes nothing to it. A
//                               FIFO without a reader is refused at once
//                               (it would block forever).
//   a directory, block device   refused (DataError naming the path and its
//   or socket                   kind) before anything is written.
// A temporary file is removed on SIGINT, SIGTERM and SIGHUP (a handler is
// installed where the signal has its default action) and on exceptions;
// only SIGKILL or a crash can leave one ("*.tmp.<pid>.<n>", never the
// target itself torn).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace actlab {

// What check_output_file() found at an output path.
struct OutputTarget {
  enum Kind { absent, regular, stream } kind = absent;  // stream: char device or FIFO
  std::string path;         // where the bytes go (a symlink resolved for absent/regular)
  std::string key;          // identity: "dev:ino" when it exists, else the absolute path
  bool char_device = false;
  unsigned mode = 0;        // permission bits of an existing regular file
};

// Applies the rules above without creating anything: throws DataError
// naming `path` for a refused kind, a dangling link, a missing or
// unwritable directory, or a FIFO without a reader. `what` starts the
// message ("output file", "checkpoint", ...).
OutputTarget check_output_file(const std::string& path, const std::string& what = "output file");

// Validates every (flag, path) output of one command before any work
// starts: each as check_output_file, and no two naming the same file
// (after following links; two names of one character device such as a
// null device are allowed). Empty paths (flag not given) are skipped.
// Throws UsageError naming both flags when two outputs collide.
void check_output_paths(const std::vector<std::pair<std::string, std::string>>& outputs);

// An output folder (created later by the command): throws UsageError for an
// empty name, DataError when it exists and is not a writable directory, or
// when its nearest existing ancestor is not a writable directory.
void check_out_dir(const std::string& flag, const std::string& dir);

class AtomicFile {
 public:
  // Applies check_output_file(path); for a regular target opens the
  // temporary file, for a stream opens the device/FIFO. Throws DataError.
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary file unless commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t bytes);
  void write(const std::string& s) { write(s.data(), s.size()); }
  // Flushes, fsyncs and renames onto the target (or writes the held bytes
  // to the stream); throws DataError on failure.
  void commit();
  const std::string& temp_path() const { return tmp_; }  // empty for a stream
  const std::string& path() const { return path_; }

 private:
  std::string path_, tmp_;
  OutputTarget target_;
  std::FILE* f_ = nullptr;
  int stream_fd_ = -1;
  int slot_ = -1;     // registered for removal on SIGINT/SIGTERM/SIGHUP
  std::string held_;  // stream targets: the content until commit()
  bool committed_ = false;
};

// Writes `bytes` to `path` atomically (rules above).
void write_file_atomic(const std::string& path, const std::string& bytes);

// Default cap of read_file: no small file actlab reads (run records, study
// files, rendered plots, checkpoints have their own) comes near it.
constexpr std::uint64_t kMaxReadBytes = std::uint64_t{1} << 30;

// Describes a non-regular st_mode: "a directory", "a FIFO (named pipe)",
// "a character device", "a block device", "a socket".
std::string file_kind_name(unsigned st_mode);

// Size of a regular file; throws DataError naming `what` and `path` when it
// is missing, not a regular file (by kind), or larger than max_bytes.
std::uint64_t regular_file_size(const std::string& path, const std::string& what,
                                std::uint64_t max_bytes = kMaxReadBytes);

// Reads a whole regular file: refuses a directory, device, FIFO or socket
// by kind (opened O_NONBLOCK and checked again with fstat, so a swapped-in
// FIFO cannot block), and a file over max_bytes from its size before
// reading. Throws DataError naming the file.
std::string read_file(const std::string& path, const std::string& what = "file",
                      std::uint64_t max_bytes = kMaxReadBytes);

// At most the first `n` bytes of a regular file (same checks, no size cap).
std::string read_file_head(const std::string& path, const std::string& what, std::size_t n);

// Raw little-endian float32 files (actlab eval --input/--output). Input is
// capped at kMaxF32Bytes (2^28 values).
constexpr std::uint64_t kMaxF32Bytes = std::uint64_t{1} << 30;
std::vector<float> read_f32_file(const std::string& path);
void write_f32_file_atomic(const std::string& path, const float* data, std::size_t n);

}  // namespace actlab
