// The .npy reader (npy:X.npy,Y.npy,...): files written by numpy (fixtures
// from tools/npy_fixtures.py) and by the test (float64, uint8 images, every
// label dtype, format 1.0 / 2.0 / 3.0), every malformed case with the file
// and the NumPy index named, special files, the test split and the CLI.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"
#include "actlab/data/tabular.hpp"
#include "data/user_files.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using namespace actlab;
using namespace actlab::test;

namespace {

const fs::path kFixtures = fs::path(ACTLAB_SOURCE_DIR) / "tests" / "data" / "fixtures";

data::LoadOptions opts(double val = 0.0, std::uint64_t seed = 1) {
  data::LoadOptions o;
  o.val_fraction = val;
  o.seed = seed;
  return o;
}

fs::path dir(const std::string& test) {
  const fs::path d = fs::path(ACTLAB_TEST_TMP) / ("npy_" + test);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// A good 4 x 3 float32 X and its labels.
const std::string kX = npy<float>("<f4", {4, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
const std::string kY = npy<std::int64_t>("<i8", {4}, {0, 1, 1, 0});

// parse_npy must fail with a DataError naming the file and every part.
void bad_x(const std::string& x, std::vector<std::string> parts, const std::string& y = kY) {
  parts.push_back("X file 'x.npy'");
  expect_error([&] { data::parse_npy(x, "x.npy", y, "y.npy"); }, parts);
}
void bad_y(const std::string& y, std::vector<std::string> parts, const std::string& x = kX) {
  parts.push_back("Y file 'y.npy'");
  expect_error([&] { data::parse_npy(x, "x.npy", y, "y.npy"); }, parts);
}

// A header with the given dict text (no padding), format 1.0.
std::string raw_header(const std::string& dict) {
  std::string h = "\x93NUMPY\x01";
  h += '\0';
  h += static_cast<char>(dict.size() & 0xff);
  h += static_cast<char>(dict.size() >> 8);
  return h + dict;
}

}  // namespace

TEST(Npy, NumpyWrittenFixtures) {
  data::Split s = data::load("npy:x_f32.npy,y_i64.npy,test_x=x_f64_v2.npy,test_y=y_i32_v3.npy", kFixtures.string(), opts());
  // Training rows are shuffled: check each row against its label instead.
  ASSERT_EQ(s.train.rows, 4u);
  ASSERT_EQ(s.train.features, 3u);
  EXPECT_EQ(s.train.classes, 3);
  EXPECT_EQ(s.train.channels, 0);
  EXPECT_EQ(s.train.name, "x_f32");
  const int labels[4] = {0, 1, 2, 1};
  for (std::size_t i = 0; i < 4; ++i) {
    const int row = static_cast<int>(std::lround((s.train.x[i * 3] + 1) * 4 / 3));
    EXPECT_EQ(s.train.y[i], labels[row]);
    for (int j = 0; j < 3; ++j) EXPECT_EQ(s.train.x[i * 3 + j], (3 * row + j) / 4.0f - 1);
  }
  // float64 test file in format 2.0, int32 labels in 3.0: file order.
  ASSERT_EQ(s.test.rows, 2u);
  EXPECT_EQ(s.test.classes, 3);
  EXPECT_EQ(s.test.y, (std::vector<std::int32_t>{1, 0}));
  for (int k = 0; k < 6; ++k) EXPECT_EQ(s.test.x[k], static_cast<float>(k * 0.1));

  // uint8 NCHW images: scaled to [0, 1], geometry kept.
  s = data::load("npy:x_u8_nchw.npy,y_u8.npy,test_fraction=0.34", kFixtures.string(), opts());
  EXPECT_EQ(s.train.rows + s.test.rows, 3u);
  EXPECT_EQ(s.test.rows, 1u);
  for (const data::Dataset* d : {&s.train, &s.test}) {
    EXPECT_EQ(d->features, 8u);
    EXPECT_EQ(d->channels, 2);
    EXPECT_EQ(d->height, 2);
    EXPECT_EQ(d->width, 2);
    EXPECT_EQ(d->classes, 2);
    for (std::size_t i = 0; i < d->rows; ++i) {
      const int row = static_cast<int>(std::lround(d->x[i * 8] * 255 / 80));
      EXPECT_EQ(d->y[i], row == 1 ? 0 : 1);
      for (int k = 0; k < 8; ++k) EXPECT_FLOAT_EQ(d->x[i * 8 + k], (10 * (row * 8 + k)) / 255.0f);
    }
  }

  const std::string f = kFixtures.string() + "/";
  expect_error([&] { data::load("npy:" + f + "x_fortran.npy," + f + "y_i64.npy", "", opts()); },
               {"x_fortran.npy'", "Fortran (column-major) order", "np.ascontiguousarray"});
  expect_error([&] { data::load("npy:" + f + "x_big.npy," + f + "y_i64.npy", "", opts()); },
               {"x_big.npy'", "big-endian (dtype '>f4')"});
  expect_error([&] { data::load("npy:" + f + "x_object.npy," + f + "y_i64.npy", "", opts()); },
               {"x_object.npy'", "Python objects"});
}

TEST(Npy, WrittenByTheTest) {
  const fs::path d = dir("written");
  // float64 2-D, format 1.0; uint8 3-D images; every label dtype.
  write_bytes(d / "x64.npy", npy<double>("<f8", {3, 2}, {0.5, -1.25, 1e-300, 3e38, -0.0, 7}));
  write_bytes(d / "y.npy", npy<std::uint16_t>("<u2", {3}, {2, 0, 1}));
  write_bytes(d / "img.npy", npy<std::uint8_t>("|u1", {2, 2, 3}, {0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 1}));
  write_bytes(d / "yi.npy", npy<std::int8_t>("|i1", {2}, {1, 0}));
  data::Dataset x = data::parse_npy(slurp(d / "x64.npy"), "x64.npy", slurp(d / "y.npy"), "y.npy");
  EXPECT_EQ(x.rows, 3u);
  EXPECT_EQ(x.features, 2u);
  EXPECT_EQ(x.classes, 3);
  EXPECT_EQ(x.x, (std::vector<float>{0.5f, -1.25f, 0.f, 3e38f, -0.f, 7.f}));
  EXPECT_EQ(x.y, (std::vector<std::int32_t>{2, 0, 1}));
  const data::Dataset img = data::parse_npy(slurp(d / "img.npy"), "img.npy", slurp(d / "yi.npy"), "yi.npy");
  EXPECT_EQ(img.channels, 1);
  EXPECT_EQ(img.height, 2);
  EXPECT_EQ(img.width, 3);
  EXPECT_EQ(img.features, 6u);
  EXPECT_FLOAT_EQ(img.x[1], 0.2f);
  EXPECT_FLOAT_EQ(img.x[5], 1.0f);
  EXPECT_FLOAT_EQ(img.x[11], 1 / 255.0f);

  auto labels = [](const std::string& y) { return data::parse_npy(kX, "x.npy", y, "y.npy").y; };
  const std::vector<std::int32_t> want{3, 0, 1, 0};
  EXPECT_EQ(labels(npy<std::uint8_t>("|u1", {4}, {3, 0, 1, 0})), want);
  EXPECT_EQ(labels(npy<std::int16_t>("<i2", {4}, {3, 0, 1, 0})), want);
  EXPECT_EQ(labels(npy<std::int32_t>("<i4", {4}, {3, 0, 1, 0})), want);
  EXPECT_EQ(labels(npy<std::uint32_t>("<u4", {4}, {3, 0, 1, 0})), want);
  EXPECT_EQ(labels(npy<std::uint64_t>("<u8", {4}, {3, 0, 1, 0})), want);
  EXPECT_EQ(labels(npy<std::int64_t>("<i8", {4}, {3, 0, 1, 0}, 2)), want);  // format 2.0
  EXPECT_EQ(labels(npy<std::int64_t>("<i8", {4}, {3, 0, 1, 0}, 3)), want);  // format 3.0
  // Headers numpy writes differently: double quotes, no trailing comma, 'L'.
  EXPECT_EQ(labels(raw_header("{\"descr\": \"<i4\", \"shape\": (4L,), \"fortran_order\": False}\n") +
                   le_bytes<std::int32_t>({3, 0, 1, 0})),
            want);
}

TEST(Npy, MalformedHeaders) {
  const std::string px = le_bytes<float>(std::vector<float>(12, 1.f));
  bad_x("", {"is empty"});
  bad_x("PK\x03\x04zipzipzip", {"not a NumPy .npy file", "50 4b 03 04", ".npz"});
  bad_x("\x93NUMPX\x01", {"not a NumPy .npy file"});
  bad_x("\x93NUMPY\x01", {"truncated"});
  bad_x(std::string("\x93NUMPY\x04\x00\x10\x00", 10) + std::string(16, ' '), {"format version 4.0"});
  bad_x(std::string("\x93NUMPY\x01\x00\xff\x7f", 10) + "{}", {"truncated: its header is 32767 bytes"});
  bad_x(std::string("\x93NUMPY\x02\x00\xff\xff\xff\x7f", 12), {"header length is 2147483647 bytes"});
  bad_x(npy_header("<f4", {4, 3}, true) + px, {"Fortran (column-major) order"});
  bad_x(npy_header(">f4", {4, 3}) + px, {"big-endian (dtype '>f4')", "astype('<f4')"});
  bad_x(npy_header("|O", {4, 3}) + px, {"Python objects"});
  bad_x(npy_header("<U3", {4}) + px, {"holds strings"});
  bad_x(npy_header("<f2", {4, 3}) + px.substr(0, 24), {"dtype '<f2'", "not supported"});
  bad_x(npy_header("<i8", {4, 3}) + px + px, {"dtype '<i8'; X must be float32"});
  bad_x(raw_header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (4,), }") + px.substr(0, 16),
        {"structured array"});
  bad_x(raw_header("{'descr': '<f4', 'fortran_order': False}"), {"lacks one of 'descr', 'fortran_order', 'shape'"});
  bad_x(raw_header("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (4, 3)}") + px, {"fortran_order 'Maybe'"});
  bad_x(raw_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4, -3)}") + px, {"not a non-negative integer"});
  bad_x(raw_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), 'x': 1}") + px, {"unexpected key 'x'"});
  bad_x(raw_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3)} junk") + px, {"text after the closing"});
  bad_x(raw_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3)"), {"header", "lacks"});
}

TEST(Npy, ShapesThatLieOrDoNotFit) {
  const std::string px = le_bytes<float>(std::vector<float>(12, 1.f));
  bad_x(npy_header("<f4", {4, 3}) + px.substr(0, 40), {"header says shape (4, 3) of '<f4' = 48 bytes of data, but the file holds 40", "truncated"});
  bad_x(npy_header("<f4", {4, 3}) + px + "xx", {"holds 50", "extra bytes"});
  bad_x(npy_header("<f4", {2147483648ull, 1u << 20}) + px, {"(2147483648, 1048576)", "9007199254740992 bytes", "holds 48"});
  bad_x(npy_header("<f4", {1ull << 40, 1ull << 40}) + px, {"more than 2^64"});
  bad_x(npy_header("<f4", {12}) + px, {"shape (12,)", "must be 2-D", "reshape(-1, 1)"});
  bad_x(npy_header("<f4", {1, 1, 1, 3, 4}) + px, {"shape (1, 1, 1, 3, 4)"});
  bad_x(npy_header("<f4", {0, 3}), {"dimension 0 is 0"});
  bad_x(npy_header("<f4", {}) + px.substr(0, 4), {"shape ()"});
  bad_x(kX, {"has 4 rows (shape (4, 3)) but Y file 'y.npy' has 3 labels", "do not belong together"},
        npy<std::int64_t>("<i8", {3}, {0, 1, 0}));
  bad_y(npy<std::int64_t>("<i8", {4, 1}, {0, 1, 1, 0}), {"shape (4, 1); Y must be 1-D", "y.ravel()"});
  bad_y(npy<float>("<f4", {4}, {0, 1, 1, 0}), {"dtype '<f4'; Y must hold integer labels", "astype(np.int64)"});
  bad_y(npy_header(">i8", {4}) + std::string(32, '\0'), {"big-endian (dtype '>i8')"});
}

TEST(Npy, BadValuesNameTheIndex) {
  std::vector<float> v(12, 0.5f);
  v[5] = std::numeric_limits<float>::quiet_NaN();
  bad_x(npy<float>("<f4", {4, 3}, v), {"X[1, 2] is nan", "finite"});
  v[5] = 0;
  v[11] = -std::numeric_limits<float>::infinity();
  bad_x(npy<float>("<f4", {4, 3}, v), {"X[3, 2] is -inf"});
  std::vector<double> w(8, 1.0);
  w[6] = 1e300;
  bad_x(npy<double>("<f8", {2, 1, 2, 2}, w), {"X[1, 0, 1, 0] is 1e+300, outside the float32 range"}, npy<std::int64_t>("<i8", {2}, {0, 1}));
  bad_y(npy<std::int64_t>("<i8", {4}, {0, 1, -1, 0}), {"Y[2] = -1 is negative"});
  bad_y(npy<std::int8_t>("|i1", {4}, {0, 1, 0, -128}), {"Y[3] = -128 is negative"});
  bad_y(npy<std::uint32_t>("<u4", {4}, {0, 70000, 1, 0}), {"Y[1] = 70000 is not below 65536"});
  bad_y(npy<std::uint64_t>("<u8", {4}, {0, 1, ~0ull, 0}), {"Y[2] = 18446744073709551615 is not below 65536"});
  bad_y(npy<std::int64_t>("<i8", {4}, {2, 2, 2, 2}), {"every label is 2", "at least 2 classes"});
}

TEST(Npy, TestFilesMustMatchTheTrainingGeometry) {
  const fs::path d = dir("geom");
  write_bytes(d / "x.npy", kX);
  write_bytes(d / "y.npy", kY);
  write_bytes(d / "tx.npy", npy<float>("<f4", {2, 4}, std::vector<float>(8, 0.f)));
  write_bytes(d / "ty.npy", npy<std::uint8_t>("|u1", {2}, {0, 4}));
  write_bytes(d / "tx3.npy", npy<float>("<f4", {2, 3}, std::vector<float>(6, 0.f)));
  expect_error([&] { data::load("npy:x.npy,y.npy,test_x=tx.npy,test_y=ty.npy", d.string(), opts()); },
               {"test X file '", "tx.npy' holds 4 features per row but X file '", "3 features"});
  const data::Split s = data::load("npy:x.npy,y.npy,test_x=tx3.npy,test_y=ty.npy", d.string(), opts());
  EXPECT_EQ(s.train.classes, 5);  // the test file's label 4
  EXPECT_EQ(s.test.classes, 5);
  EXPECT_EQ(s.test.y, (std::vector<std::int32_t>{0, 4}));
  expect_error([&] { data::load("npy:x.npy,y.npy,test_x=tx3.npy,test_y=y.npy", d.string(), opts()); },
               {"test X file '", "has 2 rows", "test Y file '", "has 4 labels"});
  expect_error([&] { data::load("npy:x.npy,nope.npy", d.string(), opts()); }, {"Y file '", "nope.npy' cannot be opened"});
}

TEST(Npy, TestFractionAndLimits) {
  const fs::path d = dir("fraction");
  std::vector<float> x(200);
  std::vector<std::int32_t> y(100);
  for (int i = 0; i < 100; ++i) x[2 * i] = float(i), x[2 * i + 1] = -float(i), y[i] = i % 4;
  write_bytes(d / "x.npy", npy<float>("<f4", {100, 2}, x));
  write_bytes(d / "y.npy", npy<std::int32_t>("<i4", {100}, y));
  data::LoadOptions o = opts(0.2, 3);
  o.limit_train = 50;
  o.limit_test = 7;
  const data::Split s = data::load("npy:x.npy,y.npy,test_fraction=0.3", d.string(), o);
  EXPECT_EQ(s.test.rows, 7u);  // 30, then the first 7
  EXPECT_EQ(s.train.rows, 40u);
  EXPECT_EQ(s.val.rows, 10u);
  for (const data::Dataset* t : {&s.train, &s.val, &s.test})
    for (std::size_t i = 0; i < t->rows; ++i) EXPECT_EQ(t->y[i], int(t->x[2 * i]) % 4);
  for (std::size_t i = 1; i < s.test.rows; ++i) EXPECT_LT(s.test.x[2 * (i - 1)], s.test.x[2 * i]);
  const data::Split t = data::load("npy:x.npy,y.npy", d.string(), opts());
  EXPECT_EQ(t.test.rows, 20u);  // default 0.2
}

TEST(Npy, SpecErrorsShowAnExample) {
  for (const auto& [spec, needle] : std::vector<std::pair<std::string, std::string>>{
           {"npy:", "two files first"},
           {"npy:x.npy", "two files first"},
           {"npy:x.npy,test_x=a.npy", "two files first"},
           {"npy:x.npy,y.npy,test_x=a.npy", "test_x= without test_y="},
           {"npy:x.npy,y.npy,test_y=a.npy", "test_y= without test_x="},
           {"npy:x.npy,y.npy,test_x=a,test_y=b,test_fraction=0.5", "not both"},
           {"npy:x.npy,y.npy,z.npy", "'z.npy' is not KEY=VALUE"},
           {"npy:x.npy,y.npy,test=z.npy", "unknown key 'test'"},
           {"npy:x.npy,y.npy,test_fraction=0", "test_fraction='0'"},
       }) {
    SCOPED_TRACE(spec);
    expect_error<UsageError>([&] { data::load(spec, "", opts()); }, {"--data '" + spec + "'", needle, "e.g. npy:x_train.npy"});
  }
}

TEST(Npy, SpecialFilesAreRefusedWithoutBlocking) {
  const fs::path d = dir("special");
  write_bytes(d / "x.npy", kX);
  ASSERT_EQ(::mkfifo((d / "y.npy").c_str(), 0600), 0);
  expect_error([&] { data::load("npy:x.npy,y.npy", d.string(), opts()); }, {"Y file '", "y.npy' is a FIFO (named pipe)"});
  fs::create_directory(d / "dir.npy");
  expect_error([&] { data::load("npy:dir.npy,y.npy", d.string(), opts()); }, {"X file '", "dir.npy' is a directory"});
  write_bytes(d / "big.npy", npy_header("<f4", {1u << 30, 1}));
  fs::resize_file(d / "big.npy", data::kMaxNpyBytes + 1);  // sparse
  expect_error([&] { data::load("npy:big.npy,y.npy", d.string(), opts()); }, {"big.npy' is 4294967297 bytes, more than the limit"});
}

TEST(NpyCli, TrainsOnNpyAndNamesABadFile) {
  const fs::path d = scratch_dir("npy_cli");
  std::vector<float> x(2 * 96);
  std::vector<std::uint8_t> y(96);
  for (int i = 0; i < 96; ++i) {
    x[2 * i] = float(i % 9) - 4, x[2 * i + 1] = float((i * 5) % 7) - 3;
    y[i] = x[2 * i] * x[2 * i + 1] > 0;
  }
  write_bytes(d / "x.npy", npy<float>("<f4", {96, 2}, x));
  write_bytes(d / "y.npy", npy<std::uint8_t>("|u1", {96}, y));
  const CliResult ok = run_actlab("train --quiet --data npy:x.npy,y.npy --data-dir " + sh_quote(d.string()) +
                                      " --model mlp:8 --epochs 1 --batch 16", "npy_cli");
  EXPECT_EQ(ok.rc, 0) << ok.err;
  EXPECT_NE(ok.out.find("epoch=1"), std::string::npos) << ok.out;
  x[7] = std::numeric_limits<float>::infinity();
  write_bytes(d / "x.npy", npy<float>("<f4", {96, 2}, x));
  const CliResult r = run_actlab("train --quiet --data npy:x.npy,y.npy --data-dir " + sh_quote(d.string()) +
                                     " --model mlp:8 --epochs 1", "npy_cli");
  EXPECT_EQ(r.rc, 1) << r.err;
  EXPECT_NE(r.err.find("x.npy': X[3, 1] is inf"), std::string::npos) << r.err;
}
