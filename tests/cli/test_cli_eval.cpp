// actlab eval: numbers on the command line, raw float32 files, bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "actlab/act/reference.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using actlab::test::run_actlab;
using actlab::test::scratch_dir;
using actlab::test::sh_quote;

namespace {

void write_f32(const fs::path& p, const std::vector<float>& v) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
}

std::vector<float> read_f32(const fs::path& p) {
  std::string s = actlab::test::slurp(p);
  std::vector<float> v(s.size() / 4);
  std::memcpy(v.data(), s.data(), v.size() * 4);
  return v;
}

// Parses the table printed by eval: rows of "x f(x) f'(x)".
std::vector<std::vector<double>> rows_of(const std::string& out) {
  std::istringstream is(out);
  std::string line;
  std::getline(is, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(is, line)) {
    std::istringstream ls(line);
    std::vector<double> r;
    std::string tok;
    while (ls >> tok) r.push_back(std::strtod(tok.c_str(), nullptr));
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

TEST(CliEval, NumbersGiveValueAndDerivative) {
  auto r = run_actlab("eval gelu -1 0 1 -inf nan", "eval_numbers");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto rows = rows_of(r.out);
  ASSERT_EQ(rows.size(), 5u);
  const auto p = actlab::act::defaults(actlab::act::Act::gelu);
  for (int i = 0; i < 3; ++i) {
    const double x = rows[i][0];
    EXPECT_NEAR(rows[i][1], static_cast<double>(actlab::act::ref::forward(actlab::act::Act::gelu, p, x)), 1e-7);
    EXPECT_NEAR(rows[i][2], static_cast<double>(actlab::act::ref::derivative(actlab::act::Act::gelu, p, x)), 1e-7);
  }
  // "nan" is a positional number; "-inf" looks like an option to CLI11 and
  // is listed after the positionals (cmd_eval.cpp).
  EXPECT_TRUE(std::isnan(rows[3][0]) && std::isnan(rows[3][1])) << "NaN must propagate";
  EXPECT_EQ(rows[4][0], -INFINITY);
  EXPECT_EQ(rows[4][1], 0.0);  // gelu(-inf): the limit 0 (reference.cpp), not inf * 0 = NaN
}

TEST(CliEval, ParametersAreApplied) {
  auto r = run_actlab("eval elu --param alpha=0.5 -2", "eval_param");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto rows = rows_of(r.out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NEAR(rows[0][1], 0.5 * std::expm1(-2.0), 1e-7);
}

// Negative numbers anywhere in the list, after "--", and --param after the
// numbers: every order a user may type gives the same rows (session 1's CLI
// failed on "1 -2" and on "-- -2").
TEST(CliEval, NumbersInAnyOrderAndAfterDoubleDash) {
  for (const std::string args : {"eval elu --param alpha=0.5 1 -2", "eval elu --param alpha=0.5 -- 1 -2",
                                 "eval elu 1 -2 --param alpha=0.5", "eval elu 1 -2 --param=alpha=0.5"}) {
    auto r = run_actlab(args, "eval_order");
    ASSERT_EQ(r.rc, 0) << args << ": " << r.err;
    auto rows = rows_of(r.out);
    ASSERT_EQ(rows.size(), 2u) << args;
    EXPECT_EQ(rows[0][0], 1.0) << args;
    EXPECT_EQ(rows[0][1], 1.0) << args;
    EXPECT_EQ(rows[1][0], -2.0) << args;
    EXPECT_NEAR(rows[1][1], 0.5 * std::expm1(-2.0), 1e-7) << args;
  }
  auto bad = run_actlab("eval relu 1 --cols 3", "eval_order_bad");
  EXPECT_EQ(bad.rc, 2);
  EXPECT_NE(bad.err.find("--input"), std::string::npos) << bad.err;  // --cols is for files
}

TEST(CliEval, FilesRoundTripThroughTheKernels) {
  const auto dir = scratch_dir("eval_files");
  std::vector<float> x;
  for (int i = -50; i <= 50; ++i) x.push_back(i * 0.25f);
  write_f32(dir / "x.f32", x);
  auto r = run_actlab("eval tanh --input " + sh_quote((dir / "x.f32").string()) + " --output " +
                          sh_quote((dir / "y.f32").string()) + " --grad " + sh_quote((dir / "g.f32").string()),
                      "eval_files");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto y = read_f32(dir / "y.f32"), g = read_f32(dir / "g.f32");
  ASSERT_EQ(y.size(), x.size());
  ASSERT_EQ(g.size(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(y[i], std::tanh(static_cast<double>(x[i])), 1e-6);
    EXPECT_NEAR(g[i], 1 - std::tanh(static_cast<double>(x[i])) * std::tanh(static_cast<double>(x[i])), 1e-6);
  }
}

TEST(CliEval, SoftmaxRowsNeedColsAndSumToOne) {
  const auto dir = scratch_dir("eval_softmax");
  write_f32(dir / "x.f32", {1, 2, 3, 4, -1, 0, 1, 2});
  const std::string in = sh_quote((dir / "x.f32").string()), out = sh_quote((dir / "y.f32").string());
  auto bad = run_actlab("eval softmax --input " + in + " --output " + out, "eval_softmax_nocols");
  EXPECT_EQ(bad.rc, 2);
  EXPECT_NE(bad.err.find("--cols"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(dir / "y.f32"));
  auto badcols = run_actlab("eval softmax --cols 3 --input " + in + " --output " + out, "eval_softmax_badcols");
  EXPECT_EQ(badcols.rc, 1);
  EXPECT_FALSE(fs::exists(dir / "y.f32"));
  auto r = run_actlab("eval softmax --cols 4 --input " + in + " --output " + out, "eval_softmax");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto y = read_f32(dir / "y.f32");
  ASSERT_EQ(y.size(), 8u);
  EXPECT_NEAR(y[0] + y[1] + y[2] + y[3], 1.0, 1e-6);
  EXPECT_NEAR(y[4] + y[5] + y[6] + y[7], 1.0, 1e-6);
  EXPECT_NEAR(y[3], y[7], 1e-7) << "softmax is shift-invariant per row";
}

TEST(CliEval, BadInputGivesClearErrorsAndNoOutput) {
  const auto dir = scratch_dir("eval_bad");
  {
    std::ofstream f(dir / "odd.f32", std::ios::binary);
    f << "abcde";  // 5 bytes: not whole floats
  }
  const std::string out = sh_quote((dir / "y.f32").string());
  struct Case {
    std::string args;
    int rc;
    std::string msg;
  } cases[] = {
      {"eval nosuch 1", 2, "unknown activation 'nosuch'"},
      {"eval relu abc", 2, "'abc' is not a number"},
      {"eval elu --param alpha=-1 1", 2, "alpha=-1"},
      {"eval elu --param beta=1 1", 2, "no parameter 'beta'"},
      {"eval relu", 2, "at least one number"},
      {"eval relu --input " + sh_quote((dir / "missing.f32").string()) + " --output " + out, 1, "missing.f32"},
      {"eval relu --input " + sh_quote((dir / "odd.f32").string()) + " --output " + out, 1, "multiple of 4"},
      {"eval relu --input " + sh_quote(dir.string()) + " --output " + out, 1, "is a directory"},
      {"eval relu --output " + out + " 1", 2, "--input"},
      {"eval relu --bogus 1", 2, "--bogus"},
  };
  for (const auto& c : cases) {
    auto r = run_actlab(c.args, "eval_bad");
    EXPECT_EQ(r.rc, c.rc) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.msg), std::string::npos) << c.args << "\nstderr: " << r.err;
    EXPECT_FALSE(fs::exists(dir / "y.f32")) << c.args;
  }
}

TEST(CliEval, UnwritableOutputLeavesNothingBehind) {
  const auto dir = scratch_dir("eval_unwritable");
  write_f32(dir / "x.f32", {1, 2, 3});
  auto r = run_actlab("eval relu --input " + sh_quote((dir / "x.f32").string()) + " --output " +
                          sh_quote((dir / "no/such/dir/y.f32").string()),
                      "eval_unwritable");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("cannot write"), std::string::npos) << r.err;
}
