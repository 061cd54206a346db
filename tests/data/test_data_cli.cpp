// Bad data through the command line: `actlab train` exits 1 with a message
// naming the file for every malformed data file, 2 for bad data options, and
// leaves no metrics or checkpoint file behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "data/idx_files.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using namespace actlab::test;

namespace {

// Runs a 1-epoch training on `dir` that would write metrics and a checkpoint.
CliResult train_on(const fs::path& dir, const std::string& extra = "") {
  return run_actlab("train --quiet --data fashion-mnist --data-dir " + sh_quote(dir.string()) +
                        " --model mlp:8 --epochs 1 --batch 16 --metrics " + sh_quote((dir / "m.json").string()) +
                        " --save " + sh_quote((dir / "c.ckpt").string()) + " " + extra,
                    "data_cli");
}

void expect_clean_failure(const fs::path& dir, const CliResult& r, int rc, const std::string& needle) {
  EXPECT_EQ(r.rc, rc) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << "'" << needle << "' not in: " << r.err;
  EXPECT_FALSE(fs::exists(dir / "m.json"));
  EXPECT_FALSE(fs::exists(dir / "c.ckpt"));
  for (const auto& e : fs::directory_iterator(dir))  // no temporary left either
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

// A small valid directory with one file replaced (plain) by `bytes`.
fs::path bad_dir(const std::string& name, const std::string& base, const std::string& bytes) {
  const fs::path d = scratch_dir("data_cli_" + name);
  write_mnist_dir(d);
  fs::remove(d / (base + ".gz"));
  write_bytes(d / base, bytes);
  return d;
}

}  // namespace

TEST(DataCli, TrainsOnASmallMnistFormatDirectory) {
  const fs::path d = scratch_dir("data_cli_ok");
  write_mnist_dir(d, 64, 16);
  const CliResult r = train_on(d);
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("epoch="), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(d / "m.json"));
}

TEST(DataCli, EveryBadFileExitsOneNamingIt) {
  const std::string gz = actlab::data::gzip_compress(images_idx(50, 4, 3));
  std::string bad_labels = labels_idx(50);
  bad_labels[8 + 3] = 77;
  struct Case {
    const char* name;
    const char* base;
    std::string bytes;
    const char* needle;
  } cases[] = {
      {"empty", "train-images-idx3-ubyte", "", "is empty"},
      {"truncated", "train-images-idx3-ubyte", gz.substr(0, gz.size() / 2), "is truncated"},
      {"corrupted", "train-images-idx3-ubyte", gz.substr(0, 10) + std::string(40, '\x55'), "is corrupted"},
      {"magic", "t10k-images-idx3-ubyte", "\x12\x34\x56\x78" + images_idx(20, 4, 3).substr(4), "magic number is 12 34 56 78"},
      {"size", "t10k-images-idx3-ubyte", images_idx(20, 4, 3).substr(0, 100), "holds 84"},
      {"huge", "train-images-idx3-ubyte", idx_bytes({1u << 31, 4, 3}, "abc"), "2147483648 x 4 x 3"},
      {"count", "train-labels-idx1-ubyte", labels_idx(51), "51 labels"},
      {"range", "train-labels-idx1-ubyte", bad_labels, "label 77 of row 3"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path d = bad_dir(c.name, c.base, c.bytes);
    const CliResult r = train_on(d);
    expect_clean_failure(d, r, 1, c.needle);
    EXPECT_NE(r.err.find(c.base), std::string::npos) << r.err;
  }
}

TEST(DataCli, MissingFileAndDirectoryInsteadOfFile) {
  fs::path d = scratch_dir("data_cli_missing");
  write_mnist_dir(d);
  fs::remove(d / "train-labels-idx1-ubyte.gz");
  expect_clean_failure(d, train_on(d), 1, "train-labels-idx1-ubyte.gz' not found");
  fs::create_directory(d / "train-labels-idx1-ubyte");
  expect_clean_failure(d, train_on(d), 1, "is a directory");
  const CliResult r = run_actlab("train --quiet --data fashion-mnist --data-dir /nonexistent/dir --epochs 1");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("/nonexistent/dir"), std::string::npos) << r.err;
}

TEST(DataCli, BadDataOptionsExitTwo) {
  const fs::path d = scratch_dir("data_cli_opts");
  write_mnist_dir(d);
  expect_clean_failure(d, train_on(d, "--val-fraction 1.5"), 2, "--val-fraction 1.5");
  for (const auto& [args, needle] : {std::pair<std::string, std::string>{"--data spiral --arms 1", "--arms 1"},
                                     {"--data moons --noise -0.5", "--noise -0.5"},
                                     {"--data xor --rows 0", "--rows 0"},
                                     {"--data imagenet", "--data 'imagenet'"}}) {
    const CliResult r = run_actlab("train --quiet --epochs 1 --model mlp:4 " + args);
    EXPECT_EQ(r.rc, 2) << args << ": " << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  }
}
