// actlab study: verdict logic on synthetic runs, a tiny study end to end
// (files, results.json fields, the report in headless Chromium), --jobs
// invariance, resume after SIGKILL, validation of cached runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "actlab/core/error.hpp"
#include "actlab/lab/study.hpp"
#include "support/image_check.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using namespace actlab;
using namespace actlab::lab;
using actlab::test::scratch_dir;
using actlab::test::slurp;
using nlohmann::json;

namespace {

// A run record whose final test accuracy is `acc` (epoch 0 at chance).
RunRecord fake_record(const RunSpec& s, double acc) {
  RunRecord r;
  r.key = s.key();
  r.hash = s.hash();
  for (int e = 0; e <= s.epochs; ++e) {
    EpochProbe p;
    p.epoch = e;
    p.test_acc = e == 0 ? 0.1 : acc;
    p.train_acc = p.test_acc;
    p.test_loss = p.train_loss = 1;
    p.steps = std::uint64_t(e) * 10;
    for (const char* n : {"hidden1", "output"}) {
      LayerStats l;
      l.name = n;
      l.units = 4;
      p.layers.push_back(l);
    }
    r.epochs.push_back(p);
  }
  return r;
}

const char* kMixing = R"(
title = "t"
seeds = 4
[defaults]
data = "xor"
rows = 64
model = "mlp:4,4"
epochs = 1
[[experiment]]
name = "mix"
claim = "mixing"
[experiment.axes]
act = ["relu,tanh", "relu", "tanh"]
[experiment.params]
mix = "relu,tanh"
)";

// Analyses the mixing claim on fake runs: acc(act, seed) from `f`.
ClaimResult mixing_with(const std::function<double(const std::string&, int)>& f) {
  static Study s;  // the records point into it
  s = parse_study(kMixing, "mix.toml");
  static std::map<std::string, RunRecord> recs;
  recs.clear();
  ExperimentRuns er;
  er.exp = &s.experiments[0];
  for (const auto& c : s.experiments[0].cells) {
    CellRuns cr;
    cr.cell = &c;
    for (int k = 0; k < s.experiments[0].seeds; ++k) {
      RunSpec r = c.spec;
      r.seed = std::uint64_t(k + 1);
      recs[r.hash()] = fake_record(r, f(c.at.at("act"), k));
    }
    for (int k = 0; k < s.experiments[0].seeds; ++k) {
      RunSpec r = c.spec;
      r.seed = std::uint64_t(k + 1);
      cr.seeds.push_back(&recs[r.hash()]);
    }
    er.cells.push_back(cr);
  }
  return find_claim("mixing")->analyse(er);
}

std::string tiny_study(const fs::path& dir, int seeds = 2) {
  const std::string text = R"(
title = "tiny"
seeds = )" + std::to_string(seeds) + R"(
[defaults]
data = "moons"
rows = 200
model = "mlp:8"
epochs = 2
batch = 32
optimizer = "adam"
lr = 0.01
[[experiment]]
name = "step"
claim = "step"
[experiment.axes]
act = ["step", "sigmoid"]
[[experiment]]
name = "acts"
title = "A descriptive comparison"
[experiment.axes]
act = ["relu", "tanh", "gelu"]
[[experiment]]
name = "cost"
claim = "cost"
[experiment.axes]
act = ["relu", "sigmoid", "tanh"]
[experiment.params]
repeats = 3
elements = 4096
)";
  const fs::path p = dir / "tiny.toml";
  std::ofstream(p) << text;
  return p.string();
}

json strip_seconds(json j) {
  if (j.is_object()) {
    j.erase("seconds");
    for (auto& [k, v] : j.items()) v = strip_seconds(v);
  } else if (j.is_array()) {
    for (auto& v : j) v = strip_seconds(v);
  }
  return j;
}

std::map<std::string, json> records_in(const fs::path& runs) {
  std::map<std::string, json> m;
  for (const auto& e : fs::directory_iterator(runs))
    if (e.path().extension() == ".json") m[e.path().filename().string()] = strip_seconds(json::parse(slurp(e.path())));
  return m;
}

}  // namespace

TEST(StudyVerdicts, ClearDifferenceIsSupported) {
  const ClaimResult c = mixing_with([](const std::string& a, int k) {
    return (a == "relu,tanh" ? 0.90 : 0.80) + 0.002 * k;  // mix ahead by 0.1, tiny spread
  });
  EXPECT_EQ(c.verdict, stats::Verdict::supported);
  ASSERT_EQ(c.findings.size(), 2u);
  EXPECT_NEAR(c.findings[0].effect.mean, 0.1, 1e-9);
}

TEST(StudyVerdicts, OppositeDifferenceIsContradicted) {
  const ClaimResult c = mixing_with([](const std::string& a, int k) { return (a == "relu,tanh" ? 0.70 : 0.80) + 0.001 * k; });
  EXPECT_EQ(c.verdict, stats::Verdict::contradicted);
  EXPECT_LT(c.findings[0].effect.hi, 0);
}

TEST(StudyVerdicts, OverlappingIntervalsAreInconclusiveAndSayHowManySeeds) {
  // Differences of +0.03, -0.01, +0.02, -0.02 around 0: the CI straddles 0.
  const double d[] = {0.03, -0.01, 0.02, -0.02};
  const ClaimResult c = mixing_with([&](const std::string& a, int k) { return 0.8 + (a == "relu,tanh" ? d[k] : 0.0); });
  EXPECT_EQ(c.verdict, stats::Verdict::inconclusive);
  EXPECT_LT(c.findings[0].effect.lo, 0);
  EXPECT_GT(c.findings[0].effect.hi, 0);
  EXPECT_NE(c.caveat.find("seeds"), std::string::npos) << c.caveat;
}

TEST(StudyFiles, UnknownClaimIsAUsageErrorNamingIt) {
  const auto dir = scratch_dir("study_unknown_claim");
  Study s = parse_study("[[experiment]]\nname = \"x\"\nclaim = \"no_such_claim\"\n[experiment.axes]\nact = [\"relu\"]\n",
                        "bad.toml");
  StudyOptions o;
  o.out = (dir / "out").string();
  o.progress = false;
  try {
    run_study(s, o);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_claim"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("bad.toml:"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "out" / "runs")) << "nothing may be trained before the claims are checked";
}

TEST(StudyEndToEnd, TinyStudyWritesEveryFileAndJsonFields) {
  const auto dir = scratch_dir("study_tiny");
  const auto r = actlab::test::run_actlab("study " + actlab::test::sh_quote(tiny_study(dir)) + " --out " +
                                              actlab::test::sh_quote((dir / "out").string()) + " -q --jobs 2",
                                          "study_tiny");
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const char* f : {"report.html", "report.md", "results.json"}) EXPECT_TRUE(fs::is_regular_file(dir / "out" / f)) << f;
  const json j = json::parse(slurp(dir / "out" / "results.json"));
  EXPECT_EQ(j.at("format"), "actlab-study-results");
  EXPECT_EQ(j.at("runs").get<int>(), 2 * 2 + 3 * 2);
  ASSERT_EQ(j.at("claims").size(), 3u);
  for (const auto& c : j.at("claims")) {
    const std::string v = c.at("verdict");
    EXPECT_TRUE(v == "supported" || v == "contradicted" || v == "inconclusive" || v == "descriptive") << v;
    for (const auto& f : c.at("findings")) {
      for (const char* k : {"mean", "ci95_lo", "ci95_hi", "n"}) EXPECT_TRUE(f.at("effect").contains(k)) << k;
      EXPECT_TRUE(f.contains("threshold"));
      EXPECT_TRUE(f.contains("rule"));
    }
    for (const auto& fig : c.at("figures")) {
      EXPECT_TRUE(fs::is_regular_file(dir / "out" / fig.at("png").get<std::string>())) << fig;
      EXPECT_TRUE(fs::is_regular_file(dir / "out" / fig.at("csv").get<std::string>())) << fig;
    }
  }
  EXPECT_EQ(j.at("claims")[0].at("claim"), "step");
  EXPECT_FALSE(j.at("claims")[0].at("findings").empty());
  EXPECT_EQ(j.at("claims")[1].at("verdict"), "descriptive");
  // 2 experiments with runs x 2 seeds: 10 run records, each with the init epoch and 2 more.
  int records = 0;
  for (const auto& e : fs::directory_iterator(dir / "out" / "runs")) {
    ++records;
    const RunRecord rec = record_from_json(json::parse(slurp(e.path())));
    EXPECT_EQ(rec.epochs.size(), 3u);
  }
  EXPECT_EQ(records, 10);
  EXPECT_NE(r.out.find("10 runs (10 trained, 0 reused)"), std::string::npos) << r.out;

  // The report in a real browser: the overview table is in the page and visible.
  const char* chromium = "/usr/bin/chromium";
  if (!fs::exists(chromium)) GTEST_SKIP() << "chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)";
  const std::string common = std::string("timeout 120 ") + chromium +
                             " --headless --no-sandbox --disable-gpu --disable-background-networking"
                             " --disable-component-update --disable-sync --no-first-run --user-data-dir=" +
                             actlab::test::sh_quote((dir / "profile").string());
  const std::string url = actlab::test::sh_quote("file://" + (dir / "out" / "report.html").string());
  const std::string dom_cmd = common + " --dump-dom " + url + " >" + actlab::test::sh_quote((dir / "dom.html").string()) +
                              " 2>" + actlab::test::sh_quote((dir / "chromium.log").string());
  ASSERT_EQ(std::system(dom_cmd.c_str()), 0) << slurp(dir / "chromium.log");
  const std::string dom = slurp(dir / "dom.html");
  const auto at = dom.find("<table id=\"overview\">");
  ASSERT_NE(at, std::string::npos) << "no overview table in the rendered page";
  const std::string ov = dom.substr(at, dom.find("</table>", at) - at);
  EXPECT_NE(ov.find("A step function cannot be trained"), std::string::npos);
  EXPECT_NE(ov.find("class=\"badge"), std::string::npos) << "verdict badges missing";
  const auto shot = dir / "shot.png";
  const std::string shot_cmd = common + " --screenshot=" + actlab::test::sh_quote(shot.string()) +
                               " --window-size=1200,900 " + url + " >>" +
                               actlab::test::sh_quote((dir / "chromium.log").string()) + " 2>&1";
  ASSERT_EQ(std::system(shot_cmd.c_str()), 0) << slurp(dir / "chromium.log");
  const auto px = actlab::test::decode_png(slurp(shot));
  int header_rows = 0;
  for (std::uint32_t y = 0; y < px.height; ++y) {
    int hdr = 0;
    for (std::uint32_t x = 0; x < px.width; ++x) hdr += px.at(x, y) == 0x1f4e79;
    header_rows += hdr > 150;
  }
  EXPECT_GE(header_rows, 15) << "the overview table's header is not visible in the first screen: " << shot;
}

TEST(StudyRunner, JobsOneAndTwoGiveIdenticalRecords) {
  const auto dir = scratch_dir("study_jobs");
  const Study s = load_study(tiny_study(dir));
  for (int jobs : {1, 2}) {
    StudyOptions o;
    o.out = (dir / ("j" + std::to_string(jobs))).string();
    o.jobs = jobs;
    o.progress = false;
    run_study(s, o);
  }
  const auto a = records_in(dir / "j1" / "runs"), b = records_in(dir / "j2" / "runs");
  ASSERT_EQ(a.size(), 10u);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, rec] : a) {
    ASSERT_TRUE(b.count(name)) << name;
    EXPECT_EQ(rec, b.at(name)) << name << " differs between --jobs 1 and --jobs 2";
  }
}

TEST(StudyRunner, InvalidCachedRecordIsReportedAndRetrained) {
  const auto dir = scratch_dir("study_invalid_cache");
  const Study s = load_study(tiny_study(dir));
  StudyOptions o;
  o.out = (dir / "out").string();
  o.progress = false;
  run_study(s, o);
  // Hand-edit one record: an accuracy of 5.0 must not be averaged into anything.
  fs::path victim;
  for (const auto& e : fs::directory_iterator(dir / "out" / "runs")) victim = e.path();
  json j = json::parse(slurp(victim));
  j["epochs"].back()["test_acc"] = 5.0;
  std::ofstream(victim) << j.dump();
  // A temp file of a killed process (a pid that does not exist) is cleaned up.
  int dead = 999999;
  while (::kill(dead, 0) == 0 || errno != ESRCH) --dead;
  const fs::path stale = dir / "out" / "runs" / ("x.json.tmp." + std::to_string(dead) + ".0");
  std::ofstream(stale) << "partial";
  testing::internal::CaptureStderr();
  const StudyOutcome out = run_study(s, o);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.trained, 1);
  EXPECT_EQ(out.reused, 9);
  EXPECT_NE(err.find(victim.filename().string()), std::string::npos) << err;
  EXPECT_NE(err.find("test_acc"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(stale)) << "stale temp file left behind";
  const RunRecord fixed = record_from_json(json::parse(slurp(victim)));
  EXPECT_LE(fixed.epochs.back().test_acc, 1.0);
}

TEST(StudyRunner, SigkilledStudyResumesAndReusesFinishedRuns) {
  const auto dir = scratch_dir("study_kill");
  const std::string file = tiny_study(dir, 4);  // 20 runs
  const fs::path out = dir / "out", runs = out / "runs";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string o = out.string();
    ::execl(ACTLAB_BIN, ACTLAB_BIN, "study", file.c_str(), "--out", o.c_str(), "-q", "--jobs", "1",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Kill it once a few runs are finished (and before all are).
  const auto t0 = std::chrono::steady_clock::now();
  std::size_t done = 0;
  while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(120)) {
    done = 0;
    std::error_code ec;
    for (fs::directory_iterator it(runs, ec), end; !ec && it != end; it.increment(ec))
      done += it->path().extension() == ".json";
    if (done >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_GE(done, 3u) << "the study did not finish 3 runs in time";
  std::size_t kept = 0;
  for (const auto& e : fs::directory_iterator(runs)) kept += e.path().extension() == ".json";
  ASSERT_LT(kept, 20u) << "killed too late to test resuming";
  const auto r = actlab::test::run_actlab("study " + actlab::test::sh_quote(file) + " --out " + actlab::test::sh_quote(out.string()) +
                                              " -q --jobs 2",
                                          "study_resume");
  ASSERT_EQ(r.rc, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("20 runs \\((\\d+) trained, (\\d+) reused\\)"))) << r.out;
  EXPECT_EQ(std::stoul(m[2]), kept) << "every finished run must be reused";
  EXPECT_EQ(std::stoul(m[1]) + std::stoul(m[2]), 20u);
  std::size_t temps = 0;
  for (const auto& e : fs::directory_iterator(runs)) temps += e.path().string().find(".tmp.") != std::string::npos;
  EXPECT_EQ(temps, 0u);
}

TEST(StudyCli, EmptyOutFolderIsRefusedBeforeWork) {
  const auto dir = scratch_dir("study_empty_out");
  const auto r = actlab::test::run_actlab("study " + actlab::test::sh_quote(tiny_study(dir)) + " --out ''", "study_empty_out");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
}

TEST(StudyCli, DryRunListsExperimentsAndEstimate) {
  const auto r = actlab::test::run_actlab("study --dry-run", "study_dry");
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const char* e : {"vanishing", "converges", "ranking", "cost", "total:"}) EXPECT_NE(r.out.find(e), std::string::npos) << e;
}

TEST(StudyDefault, EveryClaimIsInTheDefaultStudyAndTheThoroughFileMatchesIt) {
  EXPECT_EQ(default_study_text(), slurp(std::string(ACTLAB_SOURCE_DIR) + "/studies/claims.toml"))
      << "the compiled-in default study is not studies/claims.toml (re-run cmake)";
  const Study d = parse_study(default_study_text(), "<default>");
  std::set<std::string> used;
  for (const auto& e : d.experiments) {
    ASSERT_NE(find_claim(e.claim), nullptr) << e.name << ": claim '" << e.claim << "'";
    used.insert(e.claim);
  }
  for (const auto& c : claim_registry()) EXPECT_TRUE(used.count(c.name)) << "claim " << c.name << " is not in studies/claims.toml";
  EXPECT_EQ(used.size(), 17u);
  // The thorough file is the same study with bigger numbers: same experiments, claims and axes.
  const Study t = load_study(std::string(ACTLAB_SOURCE_DIR) + "/studies/claims-thorough.toml");
  ASSERT_EQ(t.experiments.size(), d.experiments.size());
  for (std::size_t i = 0; i < d.experiments.size(); ++i) {
    EXPECT_EQ(t.experiments[i].name, d.experiments[i].name);
    EXPECT_EQ(t.experiments[i].claim, d.experiments[i].claim);
    EXPECT_EQ(t.experiments[i].axes, d.experiments[i].axes) << d.experiments[i].name;
    EXPECT_EQ(t.experiments[i].labels, d.experiments[i].labels) << d.experiments[i].name;
    EXPECT_GE(t.experiments[i].seeds, d.experiments[i].seeds) << d.experiments[i].name;
  }
  EXPECT_GT(t.runs(), d.runs());
}

TEST(StudyRunner, EditedUserCsvIsNeverMatchedToOldRuns) {
  const auto dir = scratch_dir("study_csv_edit");
  const fs::path csv = dir / "pts.csv";
  auto write_csv = [&](int shift) {
    std::ofstream f(csv);
    f << "a,b,label\n";
    for (int i = 0; i < 120; ++i) f << ((i + shift) % 9) * 0.1 << ',' << (i % 4) * 0.25 << ',' << (i % 2) << '\n';
  };
  write_csv(0);
  const std::string text = "seeds = 2\n[defaults]\ndata = \"csv:" + csv.string() +
                           "\"\nmodel = \"mlp:4\"\nepochs = 1\n[[experiment]]\nname = \"own\"\n[experiment.axes]\n"
                           "act = [\"relu\", \"tanh\"]\n";
  const Study s = parse_study(text, "own.toml");
  StudyOptions o;
  o.out = (dir / "out").string();
  o.progress = false;
  EXPECT_EQ(run_study(s, o).trained, 4);
  EXPECT_EQ(run_study(s, o).reused, 4) << "unchanged file: every run reused";
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write_csv(3);  // same name, other contents (and a newer modification time)
  const StudyOutcome again = run_study(s, o);
  EXPECT_EQ(again.trained, 4) << "an edited file must not reuse the old runs";
  EXPECT_EQ(again.reused, 0);
}
