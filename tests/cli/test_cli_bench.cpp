// actlab bench from the command line: tiny sizes (not timed), CSV shape,
// reasons for missing comparisons, and bad input -> exit 2.
#include <gtest/gtest.h>

#include "support/run_cli.hpp"

namespace actlab::test {
namespace {

TEST(CliBench, TableWithOnednnAndRatios) {
  const auto r = run_actlab("bench relu,sigmoid --n 100,2^10 --threads 1,2 --against onednn --repeats 1 --min-time 0 --quiet",
                            "bench_table");
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const char* s : {"actlab SIMD target", "ratios", "onednn", "onednn_y", "actlab_y", "actlab_inplace", "copy",
                        "PyTorch not compared"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  EXPECT_EQ(r.out.find("warnings:"), std::string::npos) << "an implementation disagrees with the reference:\n" << r.out;
}

TEST(CliBench, CsvColumnsAndReasonsOnStderr) {
  const auto r = run_actlab("bench softsign --n 64 --threads 1 --against onednn --csv --repeats 1 --min-time 0 --quiet",
                            "bench_csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "act,n,threads,impl,fwd_Gelem_s,bwd_Gelem_s");
  EXPECT_NE(r.out.find("softsign,64,1,actlab,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("softsign,64,1,copy,"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("onednn"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("oneDNN 2.6 has no eltwise algorithm for softsign"), std::string::npos) << r.err;
}

TEST(CliBench, TorchAbsentGivesAReason) {
  const auto r = run_actlab("bench relu --n 64 --threads 1 --against torch --python /nonexistent/python --repeats 1 "
                            "--min-time 0 --quiet",
                            "bench_notorch");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("PyTorch not measured: python interpreter /nonexistent/python not found"), std::string::npos)
      << r.out;
}

TEST(CliBench, BadInputExits2WithAClearMessage) {
  struct Case {
    const char* args;
    const char* msg;
  } cases[] = {
      {"bench nosuchact --n 64", "nosuchact"},
      {"bench relu --n 0", "--n"},
      {"bench relu --n abc", "--n: 'abc'"},
      {"bench relu --threads 0", "--threads"},
      {"bench relu --threads x", "--threads: 'x'"},
      {"bench relu --against mkl", "--against: 'mkl'"},
      {"bench relu --dist cauchy", "--dist: 'cauchy'"},
      {"bench relu --repeats 0", "--repeats"},
      {"bench softmax", "rowwise"},
  };
  for (const auto& c : cases) {
    const auto r = run_actlab(c.args, "bench_bad");
    EXPECT_EQ(r.rc, 2) << c.args << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(c.msg), std::string::npos) << c.args << "\n" << r.err;
  }
}

TEST(CliBench, Help) {
  const auto r = run_actlab("bench --help", "bench_help");
  EXPECT_EQ(r.rc, 0);
  for (const char* s : {"--n", "--threads", "--against", "--dist", "--csv", "--repeats"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

}  // namespace
}  // namespace actlab::test
