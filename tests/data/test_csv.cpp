// The CSV reader (csv:PATH,...): good files with quoting, CRLF, a BOM and
// string labels; every malformed case with the file, row and column named;
// the test split; special files refused without blocking; and the CLI.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
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

data::LoadOptions opts(double val = 0.0, std::uint64_t seed = 1) {
  data::LoadOptions o;
  o.val_fraction = val;
  o.seed = seed;
  return o;
}

// n rows "id,a,b,label": id = row index, a = id / 2, b = -id, label id % k.
std::string table(std::size_t n, int k = 3, const std::string& eol = "\n") {
  std::string s = "id,a,b,label" + eol;
  for (std::size_t i = 0; i < n; ++i)
    s += std::to_string(i) + "," + std::to_string(i / 2.0) + "," + std::to_string(-double(i)) + "," +
         std::to_string(i % k) + eol;
  return s;
}

fs::path put(const std::string& test, const std::string& file, const std::string& text) {
  const fs::path d = fs::path(ACTLAB_TEST_TMP) / ("csv_" + test);
  fs::create_directories(d);
  write_bytes(d / file, text);
  return d / file;
}

// parse_csv must fail with a DataError containing every part (the file name
// "t.csv" is always among them).
void bad(const std::string& text, std::vector<std::string> parts, const std::string& label = "label") {
  parts.push_back("'t.csv'");
  expect_error([&] { data::parse_csv(text, "t.csv", label); }, parts);
}

}  // namespace

TEST(Csv, ReadsFeaturesAndIntegerLabels) {
  const data::Dataset d = data::parse_csv(table(10), "dir/tab.csv");
  EXPECT_EQ(d.name, "tab");
  ASSERT_EQ(d.rows, 10u);
  ASSERT_EQ(d.features, 3u);  // id, a, b: every column but the label
  EXPECT_EQ(d.classes, 3);
  EXPECT_EQ(d.channels, 0);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(d.x[i * 3 + 0], float(i));
    EXPECT_EQ(d.x[i * 3 + 1], float(i / 2.0));
    EXPECT_EQ(d.x[i * 3 + 2], -float(i));
    EXPECT_EQ(d.y[i], int(i % 3));
  }
}

TEST(Csv, QuotesCrlfBomBlankLinesAndSpaces) {
  // The label column in the middle; quoted names and values with commas,
  // an escaped quote, CRLF line ends, a BOM, blank lines, a missing final
  // line end, spaces around fields, '+' signs and exponents.
  const std::string text =
      "\xef\xbb\xbf\"x,1\",\"kind\",  y \r\n"
      "1.5,\"setosa, wild\",-2\r\n"
      "\r\n"
      "  \"2.5\" , versicolor ,+3e2\r\n"
      "1e-400,\"say \"\"hi\"\"\",0x\r\n";
  expect_error([&] { data::parse_csv(text, "q.csv", "kind"); }, {"'q.csv', row 5, column 3 ('y')", "'0x'"});
  const std::string ok = text.substr(0, text.size() - 4) + "7";  // "...,7" and no final line end
  const data::Dataset d = data::parse_csv(ok, "q.csv", "kind");
  ASSERT_EQ(d.rows, 3u);
  ASSERT_EQ(d.features, 2u);
  EXPECT_EQ(d.classes, 3);
  // Names numbered in sorted (byte) order: "say \"hi\"" < "setosa, wild" < "versicolor".
  EXPECT_EQ(d.y, (std::vector<std::int32_t>{1, 2, 0}));
  EXPECT_EQ(d.x, (std::vector<float>{1.5f, -2.f, 2.5f, 300.f, 0.f, 7.f}));  // 1e-400 underflows to 0
}

TEST(Csv, LoneCrLineEndsAndQuotedLineBreaksCountRows) {
  const data::Dataset d = data::parse_csv("a,label\r1,x\r2,y\r", "cr.csv");
  EXPECT_EQ(d.rows, 2u);
  // A quoted label spanning two lines: the next row is row 4 in an editor.
  bad("a,label\n1,\"two\nlines\"\nnan,b\n", {"row 4, column 1 ('a')", "'nan'", "not a finite number"});
}

TEST(Csv, MalformedCellsNameFileRowAndColumn) {
  const std::string head = "a,b,label\n1,2,0\n";
  bad(head + "1,nan,1\n", {"row 3, column 2 ('b')", "'nan' is not a finite number"});
  bad(head + "inf,1,1\n", {"row 3, column 1 ('a')", "'inf'"});
  bad(head + "-Infinity,1,1\n", {"row 3, column 1 ('a')", "not a finite number"});
  bad(head + "1,,1\n", {"row 3, column 2 ('b')", "the cell is empty"});
  bad(head + "1,\"\",1\n", {"row 3, column 2 ('b')", "the cell is empty"});
  bad(head + "1,abc,1\n", {"row 3, column 2 ('b')", "'abc' is not a number"});
  bad(head + "1,2.5.1,1\n", {"row 3, column 2 ('b')", "'2.5.1' is not a number"});
  bad(head + "1,1e39,1\n", {"row 3, column 2 ('b')", "outside the float32 range"});
  bad(head + "1,1e400,1\n", {"row 3, column 2 ('b')", "outside the float32 range"});
  bad(head + "1,2,\n", {"row 3, column 3 ('label')", "the label is empty"});
  bad(head + "1,\x01\xff,1\n", {"row 3, column 2 ('b')", "'\\x01\\xff' is not a number"});
}

TEST(Csv, RaggedRowsNameTheCounts) {
  bad("a,b,label\n1,2,0\n1,2,3,4\n", {"row 3: 4 fields, expected 3 as in the header (row 1)", "quoted"});
  bad("a,b,label\n1,2,0\n\n1,2\n", {"row 4: 2 fields, expected 3"});
  bad("a,b,label\n1,2,0\n1,2,0,\n", {"row 3: 4 fields, expected 3"});  // trailing comma
  // Far more fields than columns: only counted, not stored.
  bad("a,b,label\n" + std::string(100000, ',') + "\n", {"row 2: 100001 fields, expected 3"});
}

TEST(Csv, MalformedStructure) {
  bad("", {"is empty"});
  bad("\xef\xbb\xbf\n\n", {"is empty"});
  bad("a,b,label\n", {"has a header (row 1) but no data rows"});
  bad("a,b,c\n1,2,3\n", {"has no column named 'label'", "'a', 'b', 'c'", "label=NAME"});
  bad("label\n1\n2\n", {"only the label column"});
  bad("a,a,label\n1,2,0\n", {"column 1 and column 2 'a'", "unique"});
  bad("a,label\n1,\"open\n2,1\n", {"row 2, column 2", "never closed"});
  bad("a,label\n1,\"x\"y\n", {"row 2, column 2", "'y' after the closing quote"});
  bad("a,label\n1,3\n2,3\n", {"every row has the label '3'", "at least 2 classes"});
  bad("a,label\n1,0\n2,70000\n", {"row 3, column 2 ('label')", "70000 is not below 65536"});
  bad("a,label\n1,0\n2,99999999999999999999999\n", {"row 3", "not below 65536"});
  bad(std::string("\xff\xfe", 2) + "a,label\n", {"UTF-16"});
  // Labels "1" and "01" are the same class: still only one.
  bad("a,label\n1,1\n2,01\n", {"at least 2 classes"});
}

TEST(Csv, IntegerLabelsAreIndicesNamesAreSorted) {
  // Integer labels with a gap: classes = largest + 1.
  data::Dataset d = data::parse_csv("a,label\n1,4\n2,0\n", "g.csv");
  EXPECT_EQ(d.classes, 5);
  EXPECT_EQ(d.y, (std::vector<std::int32_t>{4, 0}));
  // One non-integer makes every label a name: "-1" < "1" < "10" < "9".
  d = data::parse_csv("a,label\n1,9\n2,10\n3,-1\n4,1\n", "n.csv");
  EXPECT_EQ(d.classes, 4);
  EXPECT_EQ(d.y, (std::vector<std::int32_t>{3, 2, 0, 1}));
}

TEST(Csv, TestFileSharesTheClassesAndMustHaveTheSameHeader) {
  data::Dataset tr, te;
  data::parse_csv_pair("a,label\n1,cat\n2,dog\n3,cat\n", "tr.csv", "a,label\n4,dog\n", "te.csv", "label", tr, te);
  EXPECT_EQ(tr.classes, 2);
  EXPECT_EQ(te.classes, 2);
  EXPECT_EQ(te.y, (std::vector<std::int32_t>{1}));
  // Integer labels: classes over both files.
  data::parse_csv_pair("a,label\n1,0\n2,1\n", "tr.csv", "a,label\n4,5\n", "te.csv", "label", tr, te);
  EXPECT_EQ(tr.classes, 6);
  EXPECT_EQ(te.classes, 6);
  auto pair = [](const std::string& test_text) {
    return [=] {
      data::Dataset a, b;
      data::parse_csv_pair("a,b,label\n1,2,cat\n2,3,dog\n", "tr.csv", test_text, "te.csv", "label", a, b);
    };
  };
  expect_error(pair("b,a,label\n1,2,cat\n"), {"test CSV file 'te.csv': column 1 is 'b' but 'a'", "'tr.csv'", "another order"});
  expect_error(pair("a,c,label\n1,2,cat\n"), {"'te.csv': column 2 is 'c' but 'b'", "same header"});
  expect_error(pair("a,label\n1,cat\n"), {"'te.csv' has 2 columns", "'tr.csv' 3"});
  expect_error(pair("a,b,label\n1,2,cow\n"), {"'te.csv', row 2, column 3 ('label'): label 'cow'", "'tr.csv'", "'cat', 'dog'"});
  expect_error(pair("a,b,label\n1,x,cat\n"), {"'te.csv', row 2, column 2 ('b')"});
}

TEST(Csv, TestFractionSplitIsDeterministicAndComplete) {
  const fs::path p = put("fraction", "t.csv", table(100));
  auto load = [&](const std::string& extra, const data::LoadOptions& o) {
    return data::load("csv:" + p.string() + extra, "", o);
  };
  const data::Split a = load("", opts(0.1, 7)), b = load("", opts(0.1, 7)), c = load("", opts(0.1, 8));
  EXPECT_EQ(a.test.rows, 20u);  // default test_fraction 0.2
  EXPECT_EQ(a.val.rows, 8u);    // 0.1 of the 80 left
  EXPECT_EQ(a.train.rows, 72u);
  EXPECT_EQ(a.test.x, b.test.x);
  EXPECT_EQ(a.train.x, b.train.x);
  EXPECT_NE(a.test.x, c.test.x);
  // Every row exactly once (feature 0 is the row id), test rows in file order.
  std::multiset<float> ids;
  for (const data::Dataset* d : {&a.train, &a.val, &a.test}) {
    EXPECT_EQ(d->classes, 3);
    EXPECT_EQ(d->features, 3u);
    for (std::size_t i = 0; i < d->rows; ++i) {
      ids.insert(d->x[i * 3]);
      EXPECT_EQ(d->y[i], int(d->x[i * 3]) % 3);
    }
  }
  EXPECT_EQ(ids.size(), 100u);
  EXPECT_EQ(std::set<float>(ids.begin(), ids.end()).size(), 100u);
  for (std::size_t i = 1; i < a.test.rows; ++i) EXPECT_LT(a.test.x[(i - 1) * 3], a.test.x[i * 3]);
  EXPECT_EQ(load(",test_fraction=0.25", opts()).test.rows, 25u);
  // Limits apply as for the other sets.
  data::LoadOptions o = opts(0.25, 7);
  o.limit_train = 40;
  o.limit_test = 5;
  const data::Split l = load("", o);
  EXPECT_EQ(l.train.rows, 30u);
  EXPECT_EQ(l.val.rows, 10u);
  EXPECT_EQ(l.test.rows, 5u);
  EXPECT_EQ(std::vector<float>(l.test.x.begin(), l.test.x.end()),
            std::vector<float>(a.test.x.begin(), a.test.x.begin() + 15));  // the first 5 test rows
  expect_error<UsageError>([&] { load(",test_fraction=0.001", opts()); }, {"leaves no test rows"});
  expect_error<UsageError>([&] { load(",test_fraction=0.999", opts()); }, {"leaves no training rows"});
}

TEST(Csv, TestFileAndRelativePathsFromTheDataDir) {
  const fs::path p = put("testfile", "train.csv", table(30, 2, "\r\n"));
  put("testfile", "test.csv", table(8, 2));
  const data::Split s = data::load("csv:train.csv,test=test.csv,label=label", p.parent_path().string(), opts());
  EXPECT_EQ(s.train.rows, 30u);
  EXPECT_EQ(s.test.rows, 8u);
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(s.test.x[i * 3], float(i));  // file order
  expect_error([&] { data::load("csv:train.csv", "", opts()); }, {"CSV file 'train.csv' cannot be opened"});
  expect_error([&] { data::load("csv:train.csv,test=nope.csv", p.parent_path().string(), opts()); },
               {"test CSV file '", "nope.csv' cannot be opened"});
}

TEST(Csv, SpecErrorsShowAnExample) {
  for (const auto& [spec, needle] : std::vector<std::pair<std::string, std::string>>{
           {"csv:", "no file named"},
           {"csv:a.csv,", "an empty item"},
           {"csv:a.csv,b.csv", "'b.csv' is not KEY=VALUE"},
           {"csv:a.csv,lable=x", "unknown key 'lable'"},
           {"csv:a.csv,label=", "'label=' has no value"},
           {"csv:a.csv,label=a,label=b", "'label' given twice"},
           {"csv:a.csv,test=b.csv,test_fraction=0.2", "not both"},
           {"csv:a.csv,test_fraction=1", "test_fraction='1'"},
           {"csv:a.csv,test_fraction=abc", "test_fraction='abc'"},
           {"csv:a.csv,test_fraction=nan", "test_fraction='nan'"},
       }) {
    SCOPED_TRACE(spec);
    expect_error<UsageError>([&] { data::load(spec, "", opts()); },
                             {"--data '" + spec + "'", needle, "e.g. csv:train.csv,label=species"});
  }
  expect_error<UsageError>([&] { data::load("tsv:a.tsv", "", opts()); }, {"csv:PATH", "npy:X.npy,Y.npy"});
}

TEST(Csv, SpecialFilesAreRefusedWithoutBlocking) {
  const fs::path d = fs::path(ACTLAB_TEST_TMP) / "csv_special";
  fs::remove_all(d);
  fs::create_directories(d / "sub.csv");
  ASSERT_EQ(::mkfifo((d / "fifo.csv").c_str(), 0600), 0);
  expect_error([&] { data::load("csv:" + (d / "fifo.csv").string(), "", opts()); },
               {"fifo.csv' is a FIFO (named pipe), not a regular file"});
  expect_error([&] { data::load("csv:" + (d / "sub.csv").string(), "", opts()); }, {"sub.csv' is a directory"});
  // A test file that is a FIFO: refused too, after a good training file.
  write_bytes(d / "ok.csv", table(10));
  expect_error([&] { data::load("csv:" + (d / "ok.csv").string() + ",test=" + (d / "fifo.csv").string(), "", opts()); },
               {"test CSV file '", "fifo.csv' is a FIFO"});
  // Over the 2 GiB cap: a sparse file, refused from its size before reading.
  const fs::path big = d / "big.csv";
  write_bytes(big, "a,label\n");
  fs::resize_file(big, data::kMaxCsvBytes + 1);
  expect_error([&] { data::load("csv:" + big.string(), "", opts()); },
               {"big.csv' is 2147483649 bytes, more than the limit of 2147483648"});
}

TEST(CsvCli, TrainsOnACsvAndNamesABadFile) {
  const fs::path d = scratch_dir("csv_cli");
  // Two separable classes: label = (a + b > 0).
  std::string text = "a,b,label\r\n";
  for (int i = 0; i < 120; ++i) {
    const double a = (i % 11) - 5, b = ((i * 7) % 13) - 6;
    text += std::to_string(a) + ",\"" + std::to_string(b) + "\"," + (a + b > 0 ? "pos" : "neg") + "\r\n";
  }
  write_bytes(d / "good.csv", text);
  const CliResult ok = run_actlab("train --quiet --data " + sh_quote("csv:" + (d / "good.csv").string()) +
                                      " --model mlp:8 --epochs 1 --batch 16 --metrics " + sh_quote((d / "m.json").string()),
                                  "csv_cli");
  EXPECT_EQ(ok.rc, 0) << ok.err;
  EXPECT_NE(ok.out.find("epoch=1"), std::string::npos) << ok.out;
  EXPECT_TRUE(fs::exists(d / "m.json"));

  write_bytes(d / "bad.csv", "a,b,label\n1,2,x\n3,oops,y\n");
  const CliResult r = run_actlab("train --quiet --data " + sh_quote("csv:" + (d / "bad.csv").string()) +
                                     " --model mlp:8 --epochs 1 --metrics " + sh_quote((d / "m2.json").string()),
                                 "csv_cli");
  EXPECT_EQ(r.rc, 1) << r.err;
  EXPECT_NE(r.err.find("bad.csv', row 3, column 2 ('b'): 'oops' is not a number"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(d / "m2.json"));
  const CliResult u = run_actlab("train --quiet --data 'csv:x.csv,lbl=y' --model mlp:8 --epochs 1", "csv_cli");
  EXPECT_EQ(u.rc, 2) << u.err;
  EXPECT_NE(u.err.find("e.g. csv:"), std::string::npos) << u.err;
}
