// actlab bench: kernel throughput against oneDNN, PyTorch and the copy limit.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "actlab/act/catalogue.hpp"
#include "actlab/core/atomic_file.hpp"
#include "actlab/core/resources.hpp"
#include "actlab/core/error.hpp"
#include "actlab/lab/kernel_bench.hpp"
#include "src/cli/command.hpp"
#include "src/cli/common.hpp"

namespace actlab::cli {
namespace {

std::vector<std::string> split_csv(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string t;
  while (std::getline(ss, t, ','))
    if (!t.empty()) out.push_back(t);
  return out;
}

// "16384", "2^14" -> 16384. Throws UsageError naming the flag.
std::size_t parse_size(const std::string& t, const std::string& flag) {
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (t.rfind("2^", 0) == 0 && digits(t.substr(2))) {
    const auto e = std::stoul(t.substr(2));
    if (e <= 30) return std::size_t{1} << e;
  } else if (digits(t)) {
    return std::stoull(t);
  }
  throw UsageError(flag + ": '" + t + "' is not a size; use whole numbers or powers like 2^20, comma separated (e.g. --n 16384,2^20)");
}

int parse_int(const std::string& t, const std::string& flag) {
  if (t.empty() || t.size() > 6 || !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw UsageError(flag + ": '" + t + "' is not a whole number");
  return std::stoi(t);
}

struct Opts {
  std::vector<std::string> acts;
  std::string sizes = "2^14,2^20,2^26";
  std::string threads;
  std::string against = "onednn,torch";
  std::string dist = "normal";
  bool csv = false, median = false, no_inplace = false, quiet = false;
  int repeats = 5;
  double min_time = 0.02;
  std::string python = "/usr/bin/python3", torch_script, out;
};

// oneDNN and PyTorch run on OpenMP (libgomp), whose idle threads spin
// (OMP_WAIT_POLICY unset = active for a while) after every parallel region.
// On a machine with more runnable threads than cores the spinning team
// steals the cores the next call needs: measured here, oneDNN's 2-thread
// eltwise at 2^14 went from 0.001 to 0.3-1.1 Gelem/s with the passive
// policy. libgomp reads the variable once at load time, so the bench
// re-executes itself with OMP_WAIT_POLICY=passive unless the user chose a
// policy (which the table then reports).
void ensure_passive_omp() {
  if (std::getenv("OMP_WAIT_POLICY")) return;
  std::ifstream f("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  for (std::string a; std::getline(f, a, '\0');) args.push_back(a);
  if (args.empty()) return;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::setenv("OMP_WAIT_POLICY", "passive", 1);
  std::cout << std::flush;
  ::execv("/proc/self/exe", argv.data());
  // execv failed: carry on with the active policy (reported in the table).
}

int run(const Opts& o) {
  check_output_paths({{"--out", o.out}});  // before minutes of measuring
  ensure_passive_omp();
  lab::BenchOptions b;
  std::vector<std::string> names;
  for (const auto& a : o.acts)
    for (const auto& n : split_csv(a)) names.push_back(n);
  if (names.empty()) {
    for (std::size_t i = 0; i < act::kNumActs; ++i)
      if (!act::is_rowwise(static_cast<act::Act>(i))) names.push_back(act::name(static_cast<act::Act>(i)));
  }
  for (const auto& n : names) {
    const ActSpec s = parse_act(n);
    if (act::is_rowwise(s.act))
      throw UsageError("ACT: '" + n + "' is rowwise (softmax family); actlab bench measures pointwise activations");
    b.acts.push_back({s.act, s.params});
  }
  for (const auto& t : split_csv(o.sizes)) b.sizes.push_back(parse_size(t, "--n"));
  if (o.threads.empty()) {
    const int hc = std::max(1u, std::thread::hardware_concurrency());
    b.threads = {1};
    if (hc > 1) b.threads.push_back(hc);
  } else {
    for (const auto& t : split_csv(o.threads)) {
      const int n = parse_int(t, "--threads");
      if (n < 1 || n > kMaxThreads)
        throw UsageError("--threads: " + t + " is outside [1, " + std::to_string(kMaxThreads) + "]");
      b.threads.push_back(n);
    }
  }
  for (const auto& a : split_csv(o.against)) {
    if (a == "onednn") b.onednn = true;
    else if (a == "torch") b.torch = true;
    else if (a != "none")
      throw UsageError("--against: '" + a + "' is unknown; use onednn, torch, both (onednn,torch) or none");
  }
  const auto d = lab::parse_dist(o.dist);
  if (!d) throw UsageError("--dist: '" + o.dist + "' is unknown; use normal, uniform, negative or large");
  b.dist = *d;
  b.repeats = o.repeats;
  b.min_seconds = o.min_time;
  b.median = o.median;
  b.inplace = !o.no_inplace;
  b.python = o.python;
  b.torch_script = o.torch_script;
  if (!o.quiet) b.progress = [](const std::string& s) { std::cerr << "bench: " << s << std::endl; };

  const lab::BenchReport r = lab::run_kernel_bench(b);
  std::ostringstream text;
  if (o.csv) {
    lab::write_csv(r, text);
    // The CSV stays machine-readable; the reasons go to stderr.
    for (const auto& n : r.notes) std::cerr << "note: " << n << "\n";
  } else {
    lab::write_table(r, text);
  }
  if (o.out.empty()) std::cout << text.str() << std::flush;
  else write_file_atomic(o.out, text.str());
  return 0;
}

const Registrar reg{"bench", "Kernel throughput vs oneDNN, PyTorch and the copy limit", [](CLI::App& app) {
  auto o = std::make_shared<Opts>();
  app.add_option("ACT", o->acts, "Activations (names or comma lists; default: every pointwise entry)");
  app.add_option("--n", o->sizes, "Sizes in elements, comma separated, 2^k allowed")->capture_default_str();
  app.add_option("--threads", o->threads, "Thread counts, comma separated (default: 1 and the core count)");
  app.add_option("--against", o->against, "Comparisons: onednn, torch, onednn,torch or none")->capture_default_str();
  app.add_option("--dist", o->dist, "Inputs: normal (sigma 3), uniform (-100, 100), negative, large")
      ->capture_default_str();
  app.add_flag("--csv", o->csv, "CSV output: act,n,threads,impl,fwd_Gelem_s,bwd_Gelem_s");
  app.add_option("--repeats", o->repeats, "Timed repetitions per measurement")->capture_default_str();
  app.add_option("--min-time", o->min_time, "Seconds per repetition (calls repeated to fill it)")->capture_default_str();
  app.add_flag("--median", o->median, "Report the median repetition instead of the best");
  app.add_flag("--no-inplace", o->no_inplace, "Skip the in-place forward/backward timings");
  app.add_option("--python", o->python, "Python with torch for the PyTorch side")->capture_default_str();
  app.add_option("--torch-script", o->torch_script, "Path of bench/torch_eltwise.py (default: found above the binary)");
  app.add_option("--out", o->out, "Write the table/CSV to FILE (atomically) instead of stdout");
  app.add_flag("--quiet", o->quiet, "No progress lines on stderr");
  return std::function<int()>([o] {
    if (o->repeats < 1) throw UsageError("--repeats: " + std::to_string(o->repeats) + " must be >= 1");
    return run(*o);
  });
}};

}  // namespace
}  // namespace actlab::cli
