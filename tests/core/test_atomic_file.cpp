// AtomicFile: a target is either the complete new content or untouched.
#include <gtest/gtest.h>

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
