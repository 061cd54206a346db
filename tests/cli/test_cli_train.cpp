// actlab train / evaluate end to end on the synthetic sets: output format,
// metrics JSON, bad input, save -> evaluate, resume (also after SIGKILL),
// divergence.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "actlab/nn/checkpoint.hpp"
#include "support/run_cli.hpp"

using actlab::test::run_actlab;
using actlab::test::scratch_dir;
using actlab::test::sh_quote;
namespace fs = std::filesystem;

namespace {

const std::string kSpiral = "train --data spiral --model mlp:64,64 --lr 0.01 --quiet ";

std::vector<std::string> epoch_lines(const std::string& out) {
  std::vector<std::string> v;
  std::istringstream is(out);
  for (std::string l; std::getline(is, l);)
    if (l.rfind("epoch=", 0) == 0) v.push_back(l.substr(0, l.find(" train_s=")));
  return v;
}

std::vector<float> weights(const std::string& ck) {
  auto c = actlab::nn::load_checkpoint(ck);
  std::vector<float> w;
  for (auto& p : c.model->params()) w.insert(w.end(), p.w->v.begin(), p.w->v.end());
  return w;
}

TEST(CliTrain, SpiralEpochLinesMetricsAndAccuracy) {
  const auto dir = scratch_dir("cli_train_spiral");
  const auto metrics = (dir / "m.json").string();
  auto r = run_actlab(kSpiral + "--epochs 30 --metrics " + sh_quote(metrics), "train_spiral");
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::regex line(
      R"(epoch=\d+ train_loss=[0-9.]+ train_acc=[0-9.]+ test_loss=[0-9.]+ test_acc=[0-9.]+ train_s=[0-9.]+)");
  std::istringstream is(r.out);
  int n = 0;
  for (std::string l; std::getline(is, l); ++n) EXPECT_TRUE(std::regex_match(l, line)) << l;
  EXPECT_EQ(n, 30);
  auto j = nlohmann::json::parse(actlab::test::slurp(metrics));
  ASSERT_EQ(j["epochs"].size(), 30u);
  for (const char* k : {"epoch", "train_loss", "train_acc", "test_loss", "test_acc", "train_s"})
    EXPECT_TRUE(j["epochs"][0].contains(k)) << k;
  EXPECT_TRUE(j["diverged"].is_null());
  EXPECT_GE(j["epochs"][29]["test_acc"].get<double>(), 0.97);
}

TEST(CliTrain, ProgressOnStderrAsPlainLinesWithoutATerminal) {
  auto r = run_actlab("train --data xor --model mlp:8 --epochs 1", "train_progress");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("epoch 1 step"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ETA"), std::string::npos);
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no carriage returns when not a TTY";
}

TEST(CliTrain, BadSpecsAndFlagsAreUsageErrorsAndWriteNothing) {
  const auto dir = scratch_dir("cli_train_bad");
  const auto m = (dir / "m.json").string();
  struct Case {
    std::string args, needle;
  } cases[] = {
      {"--model mlp:256,abc", "mlp:256,abc"},
      {"--model mlp:8 --acts relu,tanh", "has 2 entries"},
      {"--act nosuch", "not in the catalogue"},
      {"--optimizer lbfgs", "lbfgs"},
      {"--lr -1", "--lr"},
      {"--data imagenet", "imagenet"},
      {"--model cnn", "needs image data"},
      {"--dropout 1.5", "--dropout"},
      {"--epochs 0", "--epochs"},
      {"--init magic", "magic"},
      {"--act elu --param alpha=-1", "alpha"},
      {"--act relu --param nosuch=1", "nosuch"},
  };
  for (auto& c : cases) {
    const std::string data = c.args.find("--data") == std::string::npos ? "--data xor " : "";
    auto r = run_actlab("train --quiet --metrics " + sh_quote(m) + " " + data + c.args, "train_bad");
    EXPECT_EQ(r.rc, 2) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.needle), std::string::npos) << c.args << ": " << r.err;
    EXPECT_FALSE(fs::exists(m)) << c.args;
  }
}

TEST(CliTrain, SaveThenEvaluateGivesTheSameAccuracy) {
  const auto dir = scratch_dir("cli_train_save");
  const auto ck = (dir / "model.ck").string();
  auto r = run_actlab(kSpiral + "--epochs 5 --save " + sh_quote(ck), "train_save");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto last = epoch_lines(r.out).back();
  const auto acc = last.substr(last.find("test_acc=") + 9);
  auto e = run_actlab("evaluate --model-file " + sh_quote(ck), "evaluate");
  ASSERT_EQ(e.rc, 0) << e.err;
  EXPECT_EQ(e.out.substr(0, e.out.find(' ')), "test_acc=" + acc);
  // A corrupt checkpoint is a data error naming the file.
  auto bytes = actlab::test::slurp(ck);
  bytes[bytes.size() / 2] ^= 1;
  const auto bad = (dir / "bad.ck").string();
  { std::ofstream(bad, std::ios::binary) << bytes; }
  auto b = run_actlab("evaluate --model-file " + sh_quote(bad), "evaluate_bad");
  EXPECT_EQ(b.rc, 1);
  EXPECT_NE(b.err.find("bad.ck"), std::string::npos) << b.err;
  EXPECT_NE(b.err.find("checksum"), std::string::npos) << b.err;
}

TEST(CliTrain, ResumeEqualsUninterruptedAndIsDeterministic) {
  const auto dir = scratch_dir("cli_train_resume");
  const auto a = (dir / "a.ck").string(), b = (dir / "b.ck").string();
  const std::string args = "train --data moons --model mlp:16,16 --dropout 0.1 --quiet --epochs 4 ";
  auto full = run_actlab(args + "--save " + sh_quote(a), "resume_full");
  ASSERT_EQ(full.rc, 0) << full.err;
  auto again = run_actlab(args, "resume_again");
  EXPECT_EQ(epoch_lines(full.out), epoch_lines(again.out)) << "same seed and threads";
  auto half = run_actlab("train --data moons --model mlp:16,16 --dropout 0.1 --quiet --epochs 2 --save " +
                             sh_quote(b), "resume_half");
  ASSERT_EQ(half.rc, 0) << half.err;
  auto rest = run_actlab("train --resume " + sh_quote(b) + " --epochs 4 --quiet", "resume_rest");
  ASSERT_EQ(rest.rc, 0) << rest.err;
  auto fl = epoch_lines(full.out), rl = epoch_lines(rest.out);
  ASSERT_EQ(rl.size(), 2u);
  EXPECT_EQ(rl[0], fl[2]);
  EXPECT_EQ(rl[1], fl[3]);
  EXPECT_EQ(weights(a), weights(b));
}

TEST(CliTrain, SigkillMidEpochThenResumeEqualsUninterrupted) {
  const auto dir = scratch_dir("cli_train_kill");
  const auto a = (dir / "a.ck").string(), b = (dir / "b.ck").string();
  // 20000 spiral rows: long enough (~1 s) to be killed while running.
  const std::string args = "train --data spiral --rows 20000 --model mlp:64,64 --batch 32 --epochs 2 "
                           "--quiet --checkpoint-every 50 ";
  auto full = run_actlab(args + "--save " + sh_quote(a), "kill_full");
  ASSERT_EQ(full.rc, 0) << full.err;
  const std::string cmd = std::string(ACTLAB_BIN) + " " + args + "--save " + sh_quote(b) + " >/dev/null 2>&1";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Kill as soon as the first checkpoint exists (mid-epoch 1).
  for (int i = 0; i < 2000 && !fs::exists(b); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(fs::exists(b));
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().string().find(".tmp.") != std::string::npos) fs::remove(e.path());  // a torn temp file is allowed, never the target
  auto rest = run_actlab("train --resume " + sh_quote(b) + " --quiet", "kill_resume");
  ASSERT_EQ(rest.rc, 0) << rest.err;
  EXPECT_EQ(weights(a), weights(b));
}

TEST(CliTrain, DivergenceStopsWithARecord) {
  const auto dir = scratch_dir("cli_train_diverge");
  const auto m = (dir / "m.json").string();
  auto r = run_actlab("train --data spiral --model mlp:64,64 --optimizer sgd --lr 1e30 --quiet --metrics " +
                          sh_quote(m), "diverge");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("diverged at epoch 1, step "), std::string::npos) << r.err;
  auto j = nlohmann::json::parse(actlab::test::slurp(m));
  ASSERT_TRUE(j["diverged"].is_object());
  EXPECT_EQ(j["diverged"]["epoch"], 1);
  // --clip-grad keeps a large learning rate finite.
  auto c = run_actlab("train --data spiral --model mlp:64,64 --optimizer sgd --lr 1 --clip-grad 1 --quiet --epochs 2",
                      "clip");
  EXPECT_EQ(c.rc, 0) << c.err;
}

}  // namespace
