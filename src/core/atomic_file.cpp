#include "actlab/core/atomic_file.hpp"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>

#include "actlab/core/error.hpp"

namespace actlab {
namespace {
namespace fs = std::filesystem;

std::atomic<unsigned> g_counter{0};

std::string errno_text() { return std::strerror(errno); }

std::string parent_of(const std::string& p) {
  const fs::path parent = fs::path(p).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

std::string id_key(const struct stat& st) {
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

void check_writable_dir(const std::string& what, const std::string& path, const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0)
    throw DataError("cannot write " + what + " '" + path + "': directory '" + dir + "' " +
                    (errno == ENOENT ? std::string("does not exist") : errno_text()) +
                    " (check that the directory exists and is writable)");
  if (!S_ISDIR(st.st_mode))
    throw DataError("cannot write " + what + " '" + path + "': '" + dir + "' is " +
                    file_kind_name(st.st_mode) + ", not a directory");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw DataError("cannot write " + what + " '" + path + "': directory '" + dir +
                    "' is not writable (" + errno_text() + ")");
}

// open() that refuses anything but a regular file without blocking on a FIFO.
int open_regular(const std::string& path, const std::string& what, struct stat& st) {
  if (::stat(path.c_str(), &st) != 0)
    throw DataError(what + " '" + path + "' cannot be opened: " + errno_text());
  if (!S_ISREG(st.st_mode))
    throw DataError(what + " '" + path + "' is " + file_kind_name(st.st_mode) +
                    ", not a regular file; give a file");
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw DataError(what + " '" + path + "' cannot be opened: " + errno_text());
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw DataError(what + " '" + path + "' changed while being opened and is not a regular file");
  }
  return fd;
}

// Reads up to `limit` bytes (limit + 1 to detect growth past a cap).
std::string read_fd(int fd, const std::string& path, const std::string& what, std::uint64_t limit) {
  std::string out;
  char buf[1 << 16];
  while (out.size() < limit) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buf, limit - out.size()));
    const ssize_t n = ::read(fd, buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string e = errno_text();
      ::close(fd);
      throw DataError("reading " + what + " '" + path + "' failed: " + e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// Writes all of `data` to a stream fd; SIGPIPE (a FIFO whose reader left) is
// blocked and consumed so it becomes an EPIPE error, not a silent death.
bool write_all_stream(int fd, const std::string& data, int& err) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  std::size_t done = 0;
  bool ok = true;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (!ok && err == EPIPE) {
    const timespec zero{0, 0};
    sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return ok;
}

// Temporary files being written, removed by a SIGINT/SIGTERM/SIGHUP handler
// before the signal's default action (a Ctrl-C leaves no "*.tmp.PID.N").
// Fixed slots: the handler may only call async-signal-safe functions.
constexpr int kSlots = 64;
struct Slot {
  std::atomic<bool> used{false};
  char path[PATH_MAX];
};
Slot g_slots[kSlots];

extern "C" void remove_temps_and_reraise(int sig) {
  for (auto& s : g_slots)
    if (s.used.load()) ::unlink(s.path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_handlers_once() {
  static const bool done = [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) {
        struct sigaction sa {};
        sa.sa_handler = remove_temps_and_reraise;
        sigemptyset(&sa.sa_mask);
        ::sigaction(sig, &sa, nullptr);
      }
    }
    return true;
  }();
  (void)done;
}

int register_temp(const std::string& p) {
  if (p.size() >= PATH_MAX) return -1;
  install_handlers_once();
  for (int i = 0; i < kSlots; ++i) {
    bool expect = false;
    // Claim the slot, then fill it; the handler may see a half-written path
    // only in a race that ends with unlink() of a name that does not exist.
    if (g_slots[i].used.compare_exchange_strong(expect, true)) {
      std::memcpy(g_slots[i].path, p.c_str(), p.size() + 1);
      return i;
    }
  }
  return -1;
}

void unregister_temp(int slot) {
  if (slot >= 0) g_slots[slot].used.store(false);
}

}  // namespace

std::string file_kind_name(unsigned m) {
  if (S_ISREG(m)) return "a regular file";
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO (named pipe)";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISLNK(m)) return "a symbolic link";
  return "not a regular file";
}

OutputTarget check_output_file(const std::string& path, const std::string& what) {
  if (path.empty()) throw UsageError(what + ": empty file name; give a path");
  OutputTarget t;
  struct stat lst {}, st {};
  if (::lstat(path.c_str(), &lst) != 0) {
    if (errno != ENOENT) throw DataError("cannot write " + what + " '" + path + "': " + errno_text());
    check_writable_dir(what, path, parent_of(path));
    t.kind = OutputTarget::absent;
    t.path = path;
    std::error_code ec;
    t.key = fs::weakly_canonical(fs::absolute(path), ec).string();
    if (ec) t.key = fs::absolute(path).lexically_normal().string();
    return t;
  }
  const bool link = S_ISLNK(lst.st_mode);
  if (::stat(path.c_str(), &st) != 0) {
    if (link) {
      char buf[PATH_MAX + 1];
      const ssize_t n = ::readlink(path.c_str(), buf, PATH_MAX);
      const std::string to = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "?";
      throw DataError("cannot write " + what + " '" + path + "': it is a symbolic link to '" + to +
                      "', which does not exist (" + errno_text() +
                      "); actlab follows links only to existing files: remove the link or give another name");
    }
    throw DataError("cannot write " + what + " '" + path + "': " + errno_text());
  }
  t.key = id_key(st);
  if (S_ISREG(st.st_mode)) {
    t.kind = OutputTarget::regular;
    t.mode = st.st_mode & 07777;
    t.path = path;
    if (link) {
      char* real = ::realpath(path.c_str(), nullptr);
      if (!real) throw DataError("cannot resolve the symbolic link '" + path + "': " + errno_text());
      t.path = real;
      std::free(real);
    }
    check_writable_dir(what, path, parent_of(t.path));
    return t;
  }
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
    t.kind = OutputTarget::stream;
    t.char_device = S_ISCHR(st.st_mode);
    t.path = path;
    // A FIFO is not opened here: opening and closing its write end would
    // end the reader's input. AtomicFile's O_NONBLOCK open refuses one
    // without a reader (ENXIO) instead of blocking.
    return t;
  }
  if (S_ISDIR(st.st_mode))
    throw DataError("cannot write " + what + " '" + path +
                    "': it is a directory; give a file name (e.g. '" +
                    (fs::path(path) / "out").string() + "')");
  throw DataError("cannot write " + what + " '" + path + "': it is " + file_kind_name(st.st_mode) +
                  "; actlab writes only to regular files, character devices and FIFOs");
}

void check_output_paths(const std::vector<std::pair<std::string, std::string>>& outputs) {
  std::map<std::string, std::string> seen;  // key -> flag
  for (const auto& [flag, path] : outputs) {
    if (path.empty()) continue;
    const OutputTarget t = check_output_file(path, flag + " file");
    if (t.char_device) continue;  // two outputs to a null device are harmless
    auto [it, fresh] = seen.emplace(t.key, flag);
    if (!fresh)
      throw UsageError(it->second + " and " + flag + " name the same file '" + path +
                       "'; one output would replace the other: give each its own file");
  }
}

void check_out_dir(const std::string& flag, const std::string& dir) {
  if (dir.empty())
    throw UsageError(flag + " '': give an output folder name, e.g. " + flag +
                     " results (use '.' for the current folder)");
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode))
      throw DataError(flag + " '" + dir + "' is " + file_kind_name(st.st_mode) +
                      ", not a folder; give a folder name");
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
      throw DataError(flag + " '" + dir + "': the folder is not writable (" + errno_text() + ")");
    return;
  }
  if (errno != ENOENT) throw DataError(flag + " '" + dir + "': " + errno_text());
  // Created later: the nearest existing ancestor must be a writable folder.
  fs::path p = fs::absolute(dir).lexically_normal();
  while (p.has_parent_path() && p != p.parent_path()) {
    p = p.parent_path();
    if (::stat(p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        throw DataError(flag + " '" + dir + "': cannot create the folder, '" + p.string() + "' is " +
                        file_kind_name(st.st_mode));
      if (::access(p.c_str(), W_OK | X_OK) != 0)
        throw DataError(flag + " '" + dir + "': cannot create the folder, '" + p.string() +
                        "' is not writable (" + errno_text() + ")");
      return;
    }
  }
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  target_ = check_output_file(path_);
  if (target_.kind == OutputTarget::stream) {
    stream_fd_ = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (stream_fd_ < 0 && errno == ENXIO)
      throw DataError("cannot write '" + path_ + "': it is a FIFO (named pipe) with no reader; start "
                      "the reader first (e.g. 'cat " + path_ + " &') or give a regular file");
    if (stream_fd_ < 0) throw DataError("cannot write '" + path_ + "': " + errno_text());
    struct stat st {};
    if (::fstat(stream_fd_, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
      ::close(stream_fd_);
      stream_fd_ = -1;
      throw DataError("cannot write '" + path_ + "': it changed while being opened");
    }
    const int fl = ::fcntl(stream_fd_, F_GETFL);
    if (fl >= 0) ::fcntl(stream_fd_, F_SETFL, fl & ~O_NONBLOCK);  // block on a full pipe
    return;
  }
  tmp_ = target_.path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(g_counter++);
  slot_ = register_temp(tmp_);
  const int fd = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    throw DataError("cannot write '" + path_ + "': " + errno_text() +
                    " (check that the directory exists and is writable)");
  if (target_.kind == OutputTarget::regular) (void)::fchmod(fd, target_.mode);
  f_ = ::fdopen(fd, "wb");
  if (!f_) {
    ::close(fd);
    std::remove(tmp_.c_str());
    throw DataError("cannot write '" + path_ + "': " + errno_text());
  }
}

AtomicFile::~AtomicFile() {
  if (f_) std::fclose(f_);
  if (stream_fd_ >= 0) ::close(stream_fd_);
  if (!committed_ && !tmp_.empty()) std::remove(tmp_.c_str());
  unregister_temp(slot_);
}

void AtomicFile::write(const void* data, std::size_t bytes) {
  if (!bytes) return;
  if (stream_fd_ >= 0) {
    held_.append(static_cast<const char*>(data), bytes);
    return;
  }
  if (std::fwrite(data, 1, bytes, f_) != bytes)
    throw DataError("writing '" + path_ + "' failed: " + errno_text() + " (disk full?)");
}

void AtomicFile::commit() {
  if (stream_fd_ >= 0) {
    int err = 0;
    const bool ok = write_all_stream(stream_fd_, held_, err);
    ::close(stream_fd_);
    stream_fd_ = -1;
    held_.clear();
    if (!ok)
      throw DataError("writing '" + path_ + "' failed: " + std::strerror(err) +
                      (err == EPIPE ? " (the reader of the FIFO went away)" : ""));
    committed_ = true;
    return;
  }
  if (std::fflush(f_) != 0 || ::fsync(::fileno(f_)) != 0)
    throw DataError("writing '" + path_ + "' failed: " + errno_text());
  std::fclose(f_);
  f_ = nullptr;
  // The target may have been swapped for a directory or device since the
  // constructor: rename() would replace a device node, so look again.
  struct stat st {};
  if (::lstat(target_.path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw DataError("cannot replace '" + path_ + "': it became " + file_kind_name(st.st_mode) +
                    " while being written; nothing was written");
  if (std::rename(tmp_.c_str(), target_.path.c_str()) != 0)
    throw DataError("cannot rename '" + tmp_ + "' to '" + target_.path + "': " + errno_text());
  committed_ = true;
  unregister_temp(slot_);
  slot_ = -1;
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
  AtomicFile f(path);
  f.write(bytes);
  f.commit();
}

std::uint64_t regular_file_size(const std::string& path, const std::string& what, std::uint64_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw DataError(what + " '" + path + "' cannot be opened: " + errno_text());
  if (!S_ISREG(st.st_mode))
    throw DataError(what + " '" + path + "' is " + file_kind_name(st.st_mode) +
                    ", not a regular file; give a file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes)
    throw DataError(what + " '" + path + "' is " + std::to_string(size) + " bytes, more than the " +
                    std::to_string(max_bytes) + "-byte limit for a " + what);
  return size;
}

std::string read_file(const std::string& path, const std::string& what, std::uint64_t max_bytes) {
  struct stat st {};
  const int fd = open_regular(path, what, st);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) {
    ::close(fd);
    throw DataError(what + " '" + path + "' is " + std::to_string(size) + " bytes, more than the " +
                    std::to_string(max_bytes) + "-byte limit for a " + what);
  }
  std::string out = read_fd(fd, path, what, max_bytes + 1);
  if (out.size() > max_bytes)
    throw DataError(what + " '" + path + "' grew past the " + std::to_string(max_bytes) +
                    "-byte limit while being read");
  return out;
}

std::string read_file_head(const std::string& path, const std::string& what, std::size_t n) {
  struct stat st {};
  const int fd = open_regular(path, what, st);
  return read_fd(fd, path, what, n);
}

std::vector<float> read_f32_file(const std::string& path) {
  const std::string bytes = read_file(path, "input file", kMaxF32Bytes);
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
