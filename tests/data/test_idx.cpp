// The IDX/gzip reader on crafted good and bad files: every bad input gives a
// DataError naming the file, the problem and the fix; nothing is allocated
// from an unchecked header field.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"
#include "actlab/data/idx.hpp"
#include "data/idx_files.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using namespace actlab;
using namespace actlab::test;

namespace {

// Runs `f`, expects a DataError whose message contains every one of `parts`.
void expect_data_error(const std::function<void()>& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "no DataError thrown; expected one mentioning " << parts.front();
  } catch (const DataError& e) {
    const std::string msg = e.what();
    for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  }
}

data::LoadOptions opts() {
  data::LoadOptions o;
  o.val_fraction = 0;
  return o;
}

// A good directory with one file replaced by `bytes` (written as `base`,
// after removing the .gz original).
fs::path dir_with(const std::string& test, const std::string& base, const std::string& bytes) {
  const fs::path d = scratch_dir("data_" + test);
  write_mnist_dir(d);
  fs::remove(d / (base + ".gz"));
  write_bytes(d / base, bytes);
  return d;
}

}  // namespace

TEST(Idx, PlainAndGzipFilesLoadWithPixelsScaled) {
  for (bool plain : {true, false}) {
    const fs::path d = scratch_dir(plain ? "data_plain" : "data_gz");
    write_mnist_dir(d, 50, 20, plain);
    const data::Split s = data::load_mnist_dir(d.string(), opts());
    ASSERT_EQ(s.train.rows, 50u);
    ASSERT_EQ(s.test.rows, 20u);
    EXPECT_EQ(s.train.features, 12u);
    EXPECT_EQ(s.train.height, 4);
    EXPECT_EQ(s.train.width, 3);
    EXPECT_EQ(s.train.channels, 1);
    EXPECT_EQ(s.train.classes, 10);
    // Test rows keep file order: pixel p of image i is (i + p) % 256 / 255.
    for (std::size_t i = 0; i < 20; ++i) {
      EXPECT_EQ(s.test.y[i], static_cast<int>(i % 10));
      for (std::size_t p = 0; p < 12; ++p) EXPECT_FLOAT_EQ(s.test.x[i * 12 + p], ((i + p) % 256) / 255.0f);
    }
    // Training rows are shuffled but each row still matches its label.
    for (std::size_t i = 0; i < 50; ++i) {
      const int orig = static_cast<int>(s.train.x[i * 12] * 255.0f + 0.5f);  // pixel 0 == row index
      EXPECT_EQ(s.train.y[i], orig % 10);
    }
  }
}

TEST(Idx, MultiMemberGzipIsAccepted) {
  const std::string raw = images_idx(5, 2, 2);
  const std::string two = data::gzip_compress(raw.substr(0, 7)) + data::gzip_compress(raw.substr(7));
  const data::IdxArray a = data::parse_idx(two, "two-members.gz", 3);
  EXPECT_EQ(a.dims, (std::vector<std::uint32_t>{5, 2, 2}));
  EXPECT_EQ(a.size(), 20u);
}

TEST(Idx, MissingFileNamesItAndThePackage) {
  const fs::path d = scratch_dir("data_missing");
  write_mnist_dir(d);
  fs::remove(d / "t10k-labels-idx1-ubyte.gz");
  expect_data_error([&] { data::load_mnist_dir(d.string(), opts()); },
                    {"t10k-labels-idx1-ubyte.gz", "not found", "apt-get install dataset-fashion-mnist", "--data-dir"});
}

TEST(Idx, MissingOrNonDirectoryDataDir) {
  const fs::path d = scratch_dir("data_nodir");
  expect_data_error([&] { data::load_mnist_dir((d / "nope").string(), opts()); },
                    {(d / "nope").string(), "cannot be opened", "--data-dir"});
  write_bytes(d / "file", "x");
  expect_data_error([&] { data::load_mnist_dir((d / "file").string(), opts()); },
                    {(d / "file").string(), "is not a directory"});
}

TEST(Idx, DirectoryInsteadOfFile) {
  const fs::path d = scratch_dir("data_isdir");
  write_mnist_dir(d);
  fs::remove(d / "train-images-idx3-ubyte.gz");
  fs::create_directory(d / "train-images-idx3-ubyte");
  expect_data_error([&] { data::load_mnist_dir(d.string(), opts()); },
                    {(d / "train-images-idx3-ubyte").string(), "is a directory"});
}

TEST(Idx, DeviceInsteadOfFileIsRefusedNotReadForever) {
  const fs::path d = scratch_dir("data_dev");
  write_mnist_dir(d);
  fs::remove(d / "train-labels-idx1-ubyte.gz");
  fs::create_symlink("/dev/zero", d / "train-labels-idx1-ubyte");
  expect_data_error([&] { data::load_mnist_dir(d.string(), opts()); },
                    {"train-labels-idx1-ubyte", "not a regular file"});
}

TEST(Idx, EmptyFile) {
  const fs::path d = dir_with("empty", "train-images-idx3-ubyte", "");
  expect_data_error([&] { data::load_mnist_dir(d.string(), opts()); },
                    {"train-images-idx3-ubyte", "is empty", "reinstall"});
  // An empty gzip stream (valid, zero bytes inside) is as empty.
  expect_data_error([] { data::parse_idx(data::gzip_compress(""), "e.gz", 1); }, {"e.gz", "0 bytes"});
}

TEST(Idx, TruncatedGzip) {
  const std::string gz = data::gzip_compress(images_idx(50, 4, 3));
  for (std::size_t keep : {std::size_t{2}, std::size_t{10}, gz.size() / 2, gz.size() - 1}) {
    const fs::path d = dir_with("trunc", "train-images-idx3-ubyte.gz", gz.substr(0, keep));
    expect_data_error([&] { data::load_mnist_dir(d.string(), opts()); },
                      {"train-images-idx3-ubyte.gz", "truncated", "re-download"});
  }
}

TEST(Idx, CorruptedGzip) {
  std::string gz = data::gzip_compress(images_idx(50, 4, 3));
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 0x55;  // inside the CRC-32 trailer
  expect_data_error([&] { data::parse_idx(bad_crc, "crc.gz", 3); }, {"crc.gz", "corrupted", "re-download"});
  std::string bad_block = gz;
  bad_block[10] = static_cast<char>(0xff);  // the first deflate block header: invalid block type 3
  expect_data_error([&] { data::parse_idx(bad_block, "block.gz", 3); }, {"block.gz", "corrupted"});
  expect_data_error([&] { data::parse_idx(gz + "garbage!", "tail.gz", 3); }, {"tail.gz", "garbage"});
}

TEST(Idx, GzipBombStopsAtTheCap) {
  const std::string gz = data::gzip_compress(std::string(1 << 20, '\0'));
  expect_data_error([&] { data::parse_idx(gz, "bomb.gz", 1, 1 << 16); }, {"bomb.gz", "more than"});
  expect_data_error([&] { data::parse_idx(std::string(100, 'a'), "big", 1, 64); }, {"big", "limit"});
}

TEST(Idx, WrongMagic) {
  const fs::path d = dir_with("magic", "t10k-images-idx3-ubyte", "\x1f\x9d" + std::string(100, 'x'));
  expect_data_error([&] { data::load_mnist_dir(d.string(), opts()); },
                    {"t10k-images-idx3-ubyte", "magic number is 1f 9d 78 78", "expected 00 00 08 03"});
  // Swapped images and labels: a rank mismatch.
  expect_data_error([] { data::parse_idx(labels_idx(5), "lab-as-img", 3); },
                    {"lab-as-img", "1 dimensions", "swapped"});
  // A non-byte IDX type.
  expect_data_error([] { data::parse_idx(idx_bytes({1}, std::string(4, '\0'), 0x0D), "f32", 1); },
                    {"f32", "float32", "unsigned-byte"});
  expect_data_error([] { data::parse_idx(std::string("\0\0", 2), "tiny", 1); }, {"tiny", "too short"});
}

TEST(Idx, DimensionsThatDoNotMatchTheSize) {
  std::string img = images_idx(10, 4, 3);
  expect_data_error([&] { data::parse_idx(img.substr(0, img.size() - 1), "short", 3); },
                    {"short", "10 x 4 x 3 = 120", "holds 119", "truncated"});
  expect_data_error([&] { data::parse_idx(img + "z", "long", 3); }, {"long", "holds 121", "extra bytes"});
  expect_data_error([] { data::parse_idx(idx_bytes({7, 4}, "").substr(0, 10), "hdr", 2); }, {"hdr", "fewer than its 12-byte"});
  expect_data_error([] { data::parse_idx(idx_bytes({0, 4, 3}, ""), "zero", 3); }, {"zero", "0 x 4 x 3", "a size of 0 (dimension 1 of 3)"});
}

TEST(Idx, HugeHeaderIsCheckedBeforeAnyAllocation) {
  // 2^31 images of 28x28 claimed by a 16-byte payload: rejected by comparing
  // with the bytes present (an allocation of 1.7 TB would fail or be killed).
  expect_data_error([] { data::parse_idx(idx_bytes({1u << 31, 28, 28}, "0123456789abcdef"), "huge", 3); },
                    {"huge", "2147483648 x 28 x 28 = 1683627180032 bytes", "holds 16"});
  expect_data_error([] { data::parse_idx(idx_bytes({1u << 31}, "x"), "huge1", 1); },
                    {"huge1", "2147483648", "holds 1"});
  // A product that overflows 64 bits.
  expect_data_error(
      [] { data::parse_idx(idx_bytes({0xffffffffu, 0xffffffffu, 0xffffffffu}, "abc"), "ovf", 3); },
      {"ovf", "4294967295 x 4294967295 x 4294967295 = more than 2^64"});
}

TEST(Idx, LabelImageCountMismatch) {
  const fs::path d = dir_with("count", "train-labels-idx1-ubyte", labels_idx(49));
  expect_data_error([&] { data::load_mnist_dir(d.string(), opts()); },
                    {"train-images-idx3-ubyte.gz", "50 images", "train-labels-idx1-ubyte", "49 labels"});
}

TEST(Idx, LabelsOutOfRange) {
  std::string lab = labels_idx(20);
  lab[8 + 13] = 10;  // row 13
  const fs::path d = dir_with("range", "t10k-labels-idx1-ubyte", lab);
  expect_data_error([&] { data::load_mnist_dir(d.string(), opts()); },
                    {"t10k-labels-idx1-ubyte", "label 10 of row 13", "outside [0, 10)"});
}

TEST(Idx, TrainAndTestGeometryMustAgree) {
  const fs::path d = dir_with("geom", "t10k-images-idx3-ubyte", images_idx(20, 3, 4));
  expect_data_error([&] { data::load_mnist_dir(d.string(), opts()); }, {"3x4", "4x3", "different data sets"});
}

TEST(Idx, ValidationSplitAndLimits) {
  const fs::path d = scratch_dir("data_split");
  write_mnist_dir(d, 50, 20);
  data::LoadOptions o;
  o.val_fraction = 0.2;
  o.seed = 7;
  data::Split s = data::load_mnist_dir(d.string(), o);
  EXPECT_EQ(s.train.rows, 40u);
  EXPECT_EQ(s.val.rows, 10u);
  EXPECT_EQ(s.val.features, 12u);
  // Train and val partition the file's rows (pixel 0 identifies the row).
  std::vector<int> seen(50, 0);
  for (const data::Dataset* ds : {&s.train, &s.val})
    for (std::size_t i = 0; i < ds->rows; ++i) ++seen[static_cast<int>(ds->x[i * 12] * 255.0f + 0.5f)];
  for (int c : seen) EXPECT_EQ(c, 1);
  // Same seed, same split; another seed, another one.
  EXPECT_EQ(data::load_mnist_dir(d.string(), o).val.x, s.val.x);
  o.seed = 8;
  EXPECT_NE(data::load_mnist_dir(d.string(), o).val.x, s.val.x);
  o.limit_train = 30;
  o.limit_test = 5;
  s = data::load_mnist_dir(d.string(), o);
  EXPECT_EQ(s.train.rows, 24u);
  EXPECT_EQ(s.val.rows, 6u);
  EXPECT_EQ(s.test.rows, 5u);
  EXPECT_EQ(s.test.x.size(), 5u * 12);
  o.val_fraction = 1.0;
  EXPECT_THROW(data::load_mnist_dir(d.string(), o), UsageError);
  o.val_fraction = 0.99;  // 30 rows -> 30 for validation, none to train on
  EXPECT_THROW(data::load_mnist_dir(d.string(), o), UsageError);
}

TEST(Idx, LoadByName) {
  EXPECT_THROW(data::load("imagenet", "", {}), UsageError);
  const fs::path d = scratch_dir("data_byname");
  write_mnist_dir(d);
  EXPECT_EQ(data::load("fashion-mnist", d.string(), opts()).train.rows, 50u);
  EXPECT_EQ(data::load("moons", "", opts()).train.features, 2u);
}
