// AtomicFile: a target is either the complete new content or untouched.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <filesystem>
#include <fstream>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using actlab::test::scratch_dir;
using actlab::test::slurp;

TEST(AtomicFile, CommitReplacesTheTargetWhole) {
  const auto dir = scratch_dir("atomic_commit");
  const auto target = dir / "out.bin";
  actlab::write_file_atomic(target.string(), "old");
  actlab::write_file_atomic(target.string(), "new content");
  EXPECT_EQ(slurp(target), "new content");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1)
      << "no temporary file may be left behind";
}

TEST(AtomicFile, AbandonedWriteLeavesTheOldFileAndNoTemp) {
  const auto dir = scratch_dir("atomic_abandon");
  const auto target = dir / "out.bin";
  actlab::write_file_atomic(target.string(), "old");
  {
    actlab::AtomicFile f(target.string());
    f.write("half of the new");
    EXPECT_TRUE(fs::exists(f.temp_path()));
    // destroyed without commit(): as if an exception unwound the writer
  }
  EXPECT_EQ(slurp(target), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
}

TEST(AtomicFile, MissingDirectoryIsADataErrorNamingThePath) {
  const auto dir = scratch_dir("atomic_missing");
  try {
    actlab::write_file_atomic((dir / "nope" / "x.bin").string(), "x");
    FAIL() << "expected DataError";
  } catch (const actlab::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("nope/x.bin"), std::string::npos) << e.what();
  }
}

TEST(ReadFile, RejectsDirectoriesMissingFilesAndPartialFloats) {
  const auto dir = scratch_dir("read_file");
  EXPECT_THROW(actlab::read_file((dir / "missing").string()), actlab::DataError);
  EXPECT_THROW(actlab::read_file(dir.string()), actlab::DataError);
  {
    std::ofstream f(dir / "seven.f32", std::ios::binary);
    f << "1234567";
  }
  EXPECT_THROW(actlab::read_f32_file((dir / "seven.f32").string()), actlab::DataError);
  const float v[3] = {1.5f, -2.f, 0.f};
  actlab::write_f32_file_atomic((dir / "v.f32").string(), v, 3);
  const auto back = actlab::read_f32_file((dir / "v.f32").string());
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0], 1.5f);
  EXPECT_EQ(back[1], -2.f);
}

// ---- Issue 15, class 1: outputs never replace a device, FIFO or link ----
namespace {
// A character device made by the test in its own folder (null: 1, 3), or
// empty when the process may not mknod (not root): the caller skips.
std::string own_null_device(const fs::path& dir) {
  const auto p = dir / "null";
  if (::mknod(p.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) return {};
  return p.string();
}
std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}
}  // namespace

TEST(AtomicFileTargets, CharacterDeviceIsWrittenThroughNotReplaced) {
  const auto dir = scratch_dir("atomic_chardev");
  const std::string dev = own_null_device(dir);
  if (dev.empty()) GTEST_SKIP() << "mknod not permitted here (needs root): " << std::strerror(errno);
  actlab::write_file_atomic(dev, "discarded");
  struct stat st {};
  ASSERT_EQ(::lstat(dev.c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "the device node must survive (it became a regular file before)";
  EXPECT_EQ(entries(dir), 1u) << "no temporary file next to a device";
}

TEST(AtomicFileTargets, FifoWithAReaderGetsTheBytesAndStaysAFifo) {
  const auto dir = scratch_dir("atomic_fifo");
  const auto fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int rfd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // our own reader
  ASSERT_GE(rfd, 0);
  actlab::write_file_atomic(fifo.string(), "hello");
  char buf[16] = {};
  EXPECT_EQ(::read(rfd, buf, sizeof buf), 5);
  EXPECT_EQ(std::string(buf, 5), "hello");
  ::close(rfd);
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(entries(dir), 1u);
}

TEST(AtomicFileTargets, FifoWithoutAReaderIsRefusedAtOnceNotAHang) {
  const auto dir = scratch_dir("atomic_fifo_noreader");
  const auto fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    actlab::write_file_atomic(fifo.string(), "x");
    FAIL() << "expected DataError";
  } catch (const actlab::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("no reader"), std::string::npos) << e.what();
  }
}

TEST(AtomicFileTargets, SymlinkIsFollowedAndStaysALink) {
  const auto dir = scratch_dir("atomic_symlink");
  actlab::write_file_atomic((dir / "real").string(), "old");
  fs::create_symlink("real", dir / "link");
  actlab::write_file_atomic((dir / "link").string(), "new");
  EXPECT_TRUE(fs::is_symlink(dir / "link"));
  EXPECT_EQ(slurp(dir / "real"), "new");
  EXPECT_EQ(entries(dir), 2u);
}

TEST(AtomicFileTargets, DanglingLinkDirectoryAndSocketlessKindsAreRefused) {
  const auto dir = scratch_dir("atomic_refused");
  fs::create_symlink("nowhere", dir / "dangling");
  fs::create_directory(dir / "sub");
  for (const auto& [name, msg] : {std::pair<std::string, std::string>{"dangling", "does not exist"},
                                  {"sub", "is a directory"}}) {
    try {
      actlab::write_file_atomic((dir / name).string(), "x");
      ADD_FAILURE() << name << ": expected DataError";
    } catch (const actlab::DataError& e) {
      EXPECT_NE(std::string(e.what()).find(msg), std::string::npos) << e.what();
    }
  }
  EXPECT_FALSE(fs::exists(dir / "nowhere"));
  EXPECT_TRUE(fs::is_empty(dir / "sub"));
}

TEST(AtomicFileTargets, ExistingFileKeepsItsPermissions) {
  const auto dir = scratch_dir("atomic_mode");
  actlab::write_file_atomic((dir / "f").string(), "old");
  fs::permissions(dir / "f", fs::perms::owner_read | fs::perms::owner_write);
  actlab::write_file_atomic((dir / "f").string(), "new");
  EXPECT_EQ(fs::status(dir / "f").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST(CheckOutputPaths, TwoOutputsNamingOneFileAreRefusedBeforeWork) {
  const auto dir = scratch_dir("outputs_same");
  const auto x = (dir / "x").string();
  EXPECT_NO_THROW(actlab::check_output_paths({{"--save", x}, {"--metrics", (dir / "y").string()}}));
  try {
    actlab::check_output_paths({{"--save", x}, {"--metrics", (dir / "." / "x").string()}});
    FAIL() << "expected UsageError";
  } catch (const actlab::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--save and --metrics"), std::string::npos) << e.what();
  }
  actlab::write_file_atomic(x, "1");
  fs::create_symlink("x", dir / "alias");
  EXPECT_THROW(actlab::check_output_paths({{"--output", x}, {"--grad", (dir / "alias").string()}}),
               actlab::UsageError);
  EXPECT_NO_THROW(actlab::check_output_paths({{"--output", x}, {"--grad", ""}}));  // not given
  const std::string dev = own_null_device(dir);
  if (!dev.empty()) EXPECT_NO_THROW(actlab::check_output_paths({{"--save", dev}, {"--metrics", dev}}));
}

// ---- class 3: output folders ----
TEST(CheckOutDir, EmptyFileAndUnwritableFoldersAreRefused) {
  const auto dir = scratch_dir("out_dir");
  EXPECT_THROW(actlab::check_out_dir("--out", ""), actlab::UsageError);
  actlab::write_file_atomic((dir / "file").string(), "x");
  EXPECT_THROW(actlab::check_out_dir("--out", (dir / "file").string()), actlab::DataError);
  EXPECT_THROW(actlab::check_out_dir("--out", (dir / "file" / "sub").string()), actlab::DataError);
  EXPECT_NO_THROW(actlab::check_out_dir("--out", (dir / "new" / "deeper").string()));
  EXPECT_NO_THROW(actlab::check_out_dir("--out", dir.string()));
  try {
    actlab::check_out_dir("--out", "");
  } catch (const actlab::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--out ''"), std::string::npos) << e.what();
  }
}

// ---- class 2: readers refuse what is not a regular file, and cap sizes ----
TEST(ReadFileKinds, FifoDeviceAndOversizeAreRefusedWithoutReading) {
  const auto dir = scratch_dir("read_kinds");
  const auto fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    actlab::read_file(fifo.string(), "checkpoint");  // would block forever on a plain open()
    FAIL() << "expected DataError";
  } catch (const actlab::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("FIFO"), std::string::npos) << e.what();
  }
  const std::string dev = own_null_device(dir);
  if (!dev.empty()) EXPECT_THROW(actlab::read_file(dev, "checkpoint"), actlab::DataError);
  actlab::write_file_atomic((dir / "ten").string(), "0123456789");
  EXPECT_THROW(actlab::read_file((dir / "ten").string(), "file", 9), actlab::DataError);
  EXPECT_EQ(actlab::read_file((dir / "ten").string(), "file", 10), "0123456789");
  EXPECT_EQ(actlab::read_file_head((dir / "ten").string(), "file", 4), "0123");
}
