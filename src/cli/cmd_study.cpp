// actlab study [FILE]: runs a study (the default claims study without FILE),
// decides every claim with statistics over seeds and writes the report.
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/lab/study.hpp"
#include "src/cli/command.hpp"

namespace actlab::cli {
namespace {

struct StudyArgs {
  std::string file;
  lab::StudyOptions o;
  lab::StudyOverrides ov;
  std::vector<std::string> set;
  std::string acts, data, only;
  bool quiet = false, print_default = false, list_claims = false, list_keys = false;
};

const Registrar reg{
    "study",
    "Run a study (default: the claims suite): every claim tested with statistics over seeds, one report",
    [](CLI::App& app) {
      auto a = std::make_shared<StudyArgs>();
      app.add_option("file", a->file, "Study file (TOML; docs/lab.md). Default: the built-in claims study");
      app.add_option("--out,-o", a->o.out, "Output folder (report.html, report.md, results.json, data/, fig/, runs/)")
          ->capture_default_str();
      app.add_option("--jobs,-j", a->o.jobs, "Runs in parallel, each single-threaded (default: one per core)")
          ->check(CLI::Range(1, 256));
      app.add_option("--seeds", a->ov.seeds, "Seeds per grid point in every experiment (default: the file's)")
          ->check(CLI::Range(1, 1000));
      app.add_option("--set", a->set, "KEY=VALUE: a setting for every run, after the file's (repeatable), "
                                      "e.g. --set epochs=5 --set train_size=0");
      app.add_option("--acts", a->acts, "Activations for every experiment with an 'act' axis, e.g. relu,gelu,tanh");
      app.add_option("--data", a->data, "Data set for every run (e.g. fashion-mnist, spiral, csv:FILE, npy:X.npy,Y.npy)");
      app.add_option("--only", a->only, "Run only these experiments (comma-separated names)");
      app.add_flag("--dry-run", a->o.dry_run, "Print the runs and the estimated time; train nothing");
      app.add_flag("--quiet,-q", a->quiet, "No progress bar");
      app.add_flag("--print-default", a->print_default, "Print the built-in claims study file and exit");
      app.add_flag("--list-claims", a->list_claims, "List the built-in claim analyses and exit");
      app.add_flag("--list-keys", a->list_keys, "List the settings a study file accepts and exit");
      return std::function<int()>([a] {
        if (a->print_default) {
          std::fputs(lab::default_study_text().c_str(), stdout);
          return 0;
        }
        if (a->list_claims) {
          for (const auto& c : lab::claim_registry()) std::printf("%-18s %s\n", c.name.c_str(), c.title.c_str());
          return 0;
        }
        if (a->list_keys) {
          for (const auto& [k, d] : lab::study_keys()) std::printf("%-18s %s\n", k.c_str(), d.c_str());
          return 0;
        }
        if (!a->o.dry_run) check_out_dir("--out", a->o.out);  // before any run, not after
        for (const auto& kv : a->set) {
          const auto eq = kv.find('=');
          if (eq == std::string::npos || eq == 0)
            throw UsageError("--set '" + kv + "': expected KEY=VALUE, e.g. --set epochs=5");
          a->ov.set.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
        }
        if (!a->data.empty()) a->ov.set.emplace_back("data", a->data);
        if (!a->acts.empty()) a->ov.acts = a->acts;
        if (!a->only.empty()) {
          std::string cur;
          for (char c : a->only + ",") {
            if (c == ',') {
              if (!cur.empty()) a->ov.only.push_back(cur);
              cur.clear();
            } else {
              cur += c;
            }
          }
        }
        const lab::Study s = a->file.empty() ? lab::parse_study(lab::default_study_text(), "<default claims study>", a->ov)
                                             : lab::load_study(a->file, a->ov);
        const int jobs = a->o.jobs > 0 ? a->o.jobs : int(std::max(1u, std::thread::hardware_concurrency()));
        if (a->o.dry_run) {
          std::fputs(lab::dry_run_text(s, jobs).c_str(), stdout);
          return 0;
        }
        a->o.progress = !a->quiet;
        const auto t0 = std::chrono::steady_clock::now();
        const lab::StudyOutcome out = lab::run_study(s, a->o);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("study: %d runs (%d trained, %d reused) with %d jobs in %.0f s\n", out.runs, out.trained, out.reused,
                    jobs, secs);
        std::printf("%-3s %-72s %s\n", "#", "claim", "verdict");
        int k = 0;
        for (const auto& c : out.claims)
          std::printf("%-3d %-72.72s %s\n", ++k, c.title.c_str(),
                      c.decided ? lab::stats::verdict_name(c.verdict) : "descriptive");
        std::printf("report: %s/report.html (and report.md, results.json, data/*.csv)\n", a->o.out.c_str());
        return 0;
      });
    }};

}  // namespace
}  // namespace actlab::cli
