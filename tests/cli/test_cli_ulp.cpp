// actlab ulp: happy paths (forward, backward, a forced target, a rowwise
// entry, a parameter) and bad input (exit 2 with a message naming the flag).
#include <gtest/gtest.h>

#include "actlab/act/kernels.hpp"
#include "support/run_cli.hpp"

using actlab::test::run_actlab;

TEST(CliUlp, ForwardReportsAndMeetsContract) {
  auto r = run_actlab("ulp gelu --step 65537 --threads 2", "ulp_fwd");
  ASSERT_EQ(r.rc, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("max_ulp"), std::string::npos);
  EXPECT_NE(r.out.find("worst_x"), std::string::npos);
  EXPECT_NE(r.out.find("frac_gt_1ulp"), std::string::npos);
  EXPECT_NE(r.out.find("frac_gt_2ulp"), std::string::npos);
  EXPECT_NE(r.out.find("65536 (every 65537-th"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("met"), std::string::npos);
  EXPECT_NE(r.err.find("100%"), std::string::npos);  // progress on stderr
}

TEST(CliUlp, BackwardTargetParamAndRows) {
  const std::string t = actlab::act::supported_targets().back();
  auto r = run_actlab("ulp swish --param beta=0.5 --backward --step 131071 --target " + t, "ulp_bwd");
  ASSERT_EQ(r.rc, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("backward"), std::string::npos);
  EXPECT_NE(r.out.find("target       " + t), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("beta=0.5"), std::string::npos) << r.out;
  auto s = run_actlab("ulp softmax --rows 50 --quiet", "ulp_rows");
  ASSERT_EQ(s.rc, 0) << s.out << s.err;
  EXPECT_NE(s.out.find("random rows"), std::string::npos);
  EXPECT_EQ(s.err, "");
}

// --impl onednn: the same sweep over oneDNN's eltwise; exit 0 whatever its
// accuracy (it is another library), clear errors where it has no algorithm.
TEST(CliUlp, ImplOnednn) {
  auto r = run_actlab("ulp sigmoid --impl onednn --step 65537 --quiet", "ulp_onednn");
  ASSERT_EQ(r.rc, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("impl         oneDNN"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("eltwise_logistic"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(actlab's)"), std::string::npos) << r.out;
  r = run_actlab("ulp selu --impl onednn --step 65537", "ulp_onednn_selu");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("selu"), std::string::npos) << r.err;
  r = run_actlab("ulp softmax --impl onednn", "ulp_onednn_rows");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("pointwise"), std::string::npos) << r.err;
  r = run_actlab("ulp relu --impl nope", "ulp_impl_bad");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--impl 'nope'"), std::string::npos) << r.err;
}

TEST(CliUlp, BadInputExitsTwo) {
  auto r = run_actlab("ulp gelu --step 0", "ulp_bad_step");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--step"), std::string::npos) << r.err;
  r = run_actlab("ulp nosuch", "ulp_bad_act");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("nosuch"), std::string::npos) << r.err;
  r = run_actlab("ulp gelu --target NOPE", "ulp_bad_target");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("NOPE"), std::string::npos) << r.err;
  r = run_actlab("ulp elu --param alpha=-1", "ulp_bad_param");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("alpha"), std::string::npos) << r.err;
  r = run_actlab("ulp --help", "ulp_help");
  EXPECT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("1 the catalogue's ULP contract"), std::string::npos) << r.out;
}
