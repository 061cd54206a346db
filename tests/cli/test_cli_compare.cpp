// actlab compare end to end on a tiny configuration (spiral, 2 activations,
// 1 seed, 2 epochs): files exist, JSON has the documented fields, plots are
// images, a second run resumes, bad flags are usage errors.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>
#include <nlohmann/json.hpp>

#include "support/image_check.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using actlab::test::run_actlab;
using actlab::test::sh_quote;
using actlab::test::slurp;

TEST(CliCompare, TinyRunWritesResultsPlotsAndReportThenResumes) {
  const auto dir = actlab::test::scratch_dir("cli_compare") / "out";
  const std::string args = "compare --data spiral --rows 300 --model mlp:16,16 --acts relu,tanh,step --seeds 1 "
                           "--epochs 2 --batch 32 --lr 0.01 --probe-rows 64 --threads 1 --quiet --out " +
                           sh_quote(dir.string());
  auto r = run_actlab(args, "compare");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("3 runs trained, 0 reused"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("report.html"), std::string::npos);
  const auto j = nlohmann::json::parse(slurp(dir / "results.json"));
  ASSERT_EQ(j["runs"].size(), 3u);
  for (auto& run : j["runs"]) {
    ASSERT_EQ(run["epochs"].size(), 3u);  // init + 2 epochs
    for (auto& e : run["epochs"]) {
      for (const char* k : {"train_loss", "train_acc", "test_loss", "test_acc", "seconds", "layers"})
        EXPECT_TRUE(e.contains(k)) << k;
      ASSERT_EQ(e["layers"].size(), 3u);  // 2 hidden + output
      for (const char* k : {"weight_grad_norm", "preact_grad_norm", "dead_fraction", "saturation_fraction",
                            "pre_mean", "pre_std", "post_mean", "post_std"})
        EXPECT_TRUE(e["layers"][0].contains(k)) << k;
    }
    if (run["act"] == "step") {
      // The hidden layers of a step network get exactly zero gradient.
      EXPECT_EQ(run["epochs"][1]["layers"][0]["weight_grad_norm"].get<double>(), 0.0);
      EXPECT_EQ(run["epochs"][1]["layers"][0]["dead_fraction"].get<double>(), 1.0);
    }
  }
  for (const char* p : {"curves.png", "accuracy.png", "gradients.png", "dead_saturation.png", "distributions.png"}) {
    const auto info = actlab::test::png_info(slurp(dir / p));
    EXPECT_TRUE(info.ok) << p << ": " << info.error;
    EXPECT_TRUE(actlab::test::looks_like_svg(slurp(dir / fs::path(p).replace_extension(".svg")))) << p;
  }
  const std::string md = slurp(dir / "report.md");
  EXPECT_NE(md.find("A step function cannot be trained by gradient descent** — *confirmed*"), std::string::npos) << md;
  EXPECT_NE(slurp(dir / "report.html").find("data:image/png;base64,"), std::string::npos);
  // Same arguments again: every run is reused. Without --quiet, and with
  // stderr not a terminal, the progress is one plain line per finished run.
  const auto dir2 = actlab::test::scratch_dir("cli_compare_progress");
  auto p = run_actlab("compare --data spiral --rows 200 --model mlp:8 --acts relu,tanh --seeds 1 --epochs 1 "
                      "--threads 1 --out " + sh_quote(dir2.string()), "compare_progress");
  ASSERT_EQ(p.rc, 0) << p.err;
  // The study runner's bar (the runs train in parallel, so in no fixed order).
  EXPECT_NE(p.err.find("1/2 runs trained (0 reused)"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("2/2 runs trained (0 reused)"), std::string::npos) << p.err;
  EXPECT_EQ(std::count(p.err.begin(), p.err.end(), '\n'), 2) << p.err;
  EXPECT_NE(p.err.find("ETA"), std::string::npos) << p.err;
  EXPECT_EQ(p.err.find('\r'), std::string::npos) << "no carriage returns when stderr is a file";
  r = run_actlab(args, "compare2");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("0 runs trained, 3 reused"), std::string::npos) << r.out;
}

TEST(CliCompare, BadFlagsAreUsageErrors) {
  const auto dir = actlab::test::scratch_dir("cli_compare_bad");
  auto r = run_actlab("compare --acts relu,nosuch --out " + sh_quote(dir.string()), "compare_bad1");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("nosuch"), std::string::npos) << r.err;
  r = run_actlab("compare --acts relu --data nosuchdata --quiet --out " + sh_quote(dir.string()), "compare_bad2");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("nosuchdata"), std::string::npos) << r.err;
  r = run_actlab("compare --acts relu --seeds 0 --out " + sh_quote(dir.string()), "compare_bad3");
  EXPECT_EQ(r.rc, 2);
}

// Issue 7: a compare killed with SIGKILL loses no finished run. The runs are
// sized (~1 s each) so that the kill lands after the first finished run and
// before the last; the rerun must reuse exactly the runs on disk.
TEST(CliCompare, SigkilledCompareLosesNoFinishedRun) {
  const auto dir = actlab::test::scratch_dir("cli_compare_kill") / "out";
  const std::string args = "compare --data spiral --rows 2000 --model mlp:32,32 --acts relu,tanh,elu,gelu "
                           "--seeds 1 --epochs 25 --batch 32 --lr 0.01 --probe-rows 64 --threads 1 --quiet --out " +
                           sh_quote(dir.string());
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string cmd = std::string("exec ") + ACTLAB_BIN + " " + args + " >/dev/null 2>&1";
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto finished = [&] {
    std::size_t n = 0;
    if (fs::exists(dir / "runs"))
      for (auto& e : fs::directory_iterator(dir / "runs")) n += e.path().extension() == ".json";
    return n;
  };
  for (int i = 0; i < 12000 && finished() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "compare finished before it could be killed; make the runs longer";
  const std::size_t done = finished();
  ASSERT_GE(done, 1u);
  ASSERT_LT(done, 4u);
  for (auto& e : fs::directory_iterator(dir / "runs"))
    if (e.path().extension() == ".json")
      EXPECT_NO_THROW((void)nlohmann::json::parse(slurp(e.path()))) << e.path() << " is torn";
  auto r = run_actlab(args, "compare_after_kill");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find(std::to_string(4 - done) + " runs trained, " + std::to_string(done) + " reused"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(nlohmann::json::parse(slurp(dir / "results.json"))["runs"].size(), 4u);
}
