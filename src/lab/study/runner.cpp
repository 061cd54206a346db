// The study runner: a pool of jobs over the runs still missing from the
// cache, longest first, with a progress bar weighted by estimated cost.
#include "actlab/lab/runner.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"

namespace actlab::lab {
namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

// Multiply-adds per row of one forward pass of the model (dense and conv
// layers; activations and norms are cheap beside them).
double macs_per_row(const RunSpec& s, std::size_t features, std::size_t hw) {
  const auto& m = s.model;
  double macs = 0, in = double(features);
  const double classes = 10;
  if (m.arch == "cnn" && m.widths.size() == 3) {
    const double side = std::sqrt(double(hw ? hw : 784));
    const double c1 = double(m.widths[0]), c2 = double(m.widths[1]), d = double(m.widths[2]);
    macs += side * side * 25 * c1;                      // conv1 5x5 on the full image
    macs += (side / 2) * (side / 2) * 25 * c1 * c2;     // conv2 after a 2x2 pool
    macs += (side / 4) * (side / 4) * c2 * d + d * classes;
    return macs;
  }
  if (m.arch == "resmlp" && !m.widths.empty()) {
    const double w = double(m.widths[0]);
    return in * w + double(m.depth) * w * w + w * classes;
  }
  for (auto w : m.widths) {
    macs += in * double(w);
    in = double(w);
  }
  return macs + in * classes;
}

std::size_t data_features(const DataSpec& d) {
  if (d.name == "fashion-mnist") return 784;
  if (d.name.rfind("csv:", 0) == 0 || d.name.rfind("npy:", 0) == 0) return 64;  // unknown before loading
  return 2;  // the synthetic 2-D sets
}

std::size_t data_train_rows(const DataSpec& d) {
  if (d.name == "fashion-mnist") return d.train_rows ? d.train_rows : 60000;
  if (d.name.rfind("csv:", 0) == 0 || d.name.rfind("npy:", 0) == 0) return d.train_rows ? d.train_rows : 10000;
  return d.synthetic_rows;
}

std::size_t data_test_rows(const DataSpec& d) {
  if (d.name == "fashion-mnist") return d.test_rows ? d.test_rows : 10000;
  return std::max<std::size_t>(data_train_rows(d) / 2, 1);
}

std::string fmt_time(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  char b[32];
  if (s < 60) std::snprintf(b, sizeof b, "%.0fs", s);
  else if (s < 3600) std::snprintf(b, sizeof b, "%dm%02ds", int(s) / 60, int(s) % 60);
  else std::snprintf(b, sizeof b, "%dh%02dm", int(s) / 3600, (int(s) % 3600) / 60);
  return b;
}

// Shared data sets: each distinct DataSpec is loaded once, by the first job
// that needs it; the others wait for it.
class DataCache {
 public:
  std::shared_ptr<const data::Split> get(const DataSpec& d) {
    const std::string key = data_key(d);
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      auto it = sets_.find(key);
      if (it == sets_.end()) break;
      if (it->second) return it->second;
      cv_.wait(lk);  // another job is loading it
    }
    sets_[key] = nullptr;
    lk.unlock();
    std::shared_ptr<const data::Split> s;
    try {
      s = std::make_shared<const data::Split>(load_run_data(d));
    } catch (...) {
      lk.lock();
      sets_.erase(key);
      cv_.notify_all();
      throw;
    }
    lk.lock();
    sets_[key] = s;
    cv_.notify_all();
    return s;
  }

 private:
  static std::string data_key(const DataSpec& d) {
    char b[64];
    std::snprintf(b, sizeof b, "|%zu|%zu|%zu|%.17g|%llu", d.train_rows, d.test_rows, d.synthetic_rows, d.noise,
                  static_cast<unsigned long long>(d.seed));
    return d.name + "|" + d.dir + b;
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<const data::Split>> sets_;
};

// Progress over all runs, weighted by their estimated cost.
class Progress {
 public:
  Progress(bool enabled, std::string label, double total_cost, int total_runs, int reused)
      : on_(enabled), tty_(isatty(2)), label_(std::move(label)), total_(total_cost), runs_(total_runs),
        reused_(reused), t0_(clock_type::now()), last_(t0_) {}

  void step(std::size_t slot, double fraction) {
    std::lock_guard<std::mutex> lk(mu_);
    if (slot >= part_.size()) part_.resize(slot + 1, {0, 0});
    part_[slot].second = fraction;
    draw(false);
  }
  void start(std::size_t slot, double cost) {
    std::lock_guard<std::mutex> lk(mu_);
    if (slot >= part_.size()) part_.resize(slot + 1, {0, 0});
    part_[slot] = {cost, 0};
  }
  void finish_run(std::size_t slot, double cost) {
    std::lock_guard<std::mutex> lk(mu_);
    done_cost_ += cost;
    ++done_;
    if (slot < part_.size()) part_[slot] = {0, 0};
    draw(!tty_);
  }
  void close() {
    std::lock_guard<std::mutex> lk(mu_);
    if (on_ && tty_ && drawn_) std::fputc('\n', stderr);
  }

 private:
  void draw(bool force) {
    if (!on_) return;
    const auto now = clock_type::now();
    const double since = std::chrono::duration<double>(now - last_).count();
    if (!force && since < (tty_ ? 0.2 : 1e9)) return;
    if (!tty_ && !force) return;
    last_ = now;
    double cost = done_cost_;
    for (auto& [c, f] : part_) cost += c * f;
    const double frac = total_ > 0 ? std::min(1.0, cost / total_) : 1.0;
    const double el = std::chrono::duration<double>(now - t0_).count();
    const double eta = frac > 0.005 ? el * (1 - frac) / frac : NAN;
    const int width = 28, fill = int(frac * width);
    std::string bar(std::size_t(fill), '=');
    if (fill < width) bar += '>';
    bar.resize(std::size_t(width), ' ');
    std::fprintf(stderr, "%s[%s] %3.0f%%  %d/%d %s trained (%d reused)  elapsed %s  ETA %s%s", tty_ ? "\r" : "",
                 bar.c_str(), 100 * frac, done_, runs_, label_.c_str(), reused_, fmt_time(el).c_str(),
                 fmt_time(eta).c_str(), tty_ ? "   " : "\n");
    std::fflush(stderr);
    drawn_ = true;
  }
  bool on_, tty_, drawn_ = false;
  std::string label_;
  double total_, done_cost_ = 0;
  int runs_, reused_, done_ = 0;
  std::vector<std::pair<double, double>> part_;  // per job slot: cost and fraction of its current run
  clock_type::time_point t0_, last_;
  std::mutex mu_;
};

bool load_cached(const fs::path& p, const RunSpec& s, RunRecord& out, bool& invalid) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(p, ec))) return false;
  invalid = false;
  try {
    if (!fs::is_regular_file(fs::symlink_status(p, ec)))
      throw DataError("not a regular file");
    const std::string text = read_file(p.string(), "run record");
    RunRecord r = record_from_json(nlohmann::json::parse(text));
    if (r.key != s.key()) {
      // A hash collision or a hand-edited file: the record belongs to another configuration.
      throw DataError("its configuration key differs from the run's");
    }
    out = std::move(r);
    return true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "actlab: cached run %s is unusable (%s); training it again\n", p.string().c_str(), e.what());
    invalid = true;
    return false;
  }
}

}  // namespace

double estimate_seconds(const RunSpec& s) {
  // Calibrated on the engine: the default claims study (588 runs) took 108 s
  // of one AMD EPYC (Zen 4) core, about 2.5e10 multiply-adds per second
  // counted as below (training = 3 passes, plus the evaluations of every
  // epoch; oneDNN's GEMMs dominate). Order of magnitude only: it orders the
  // jobs, weights the progress bar and prices --dry-run.
  const std::size_t f = data_features(s.data);
  const double macs = macs_per_row(s, f, f);
  const double train_rows = double(data_train_rows(s.data));
  const double test_rows = double(data_test_rows(s.data));
  const double eval_rows = double(std::min<std::size_t>(s.measure.train_eval_rows, data_train_rows(s.data)));
  double work = 3 * macs * train_rows * s.epochs;                      // training steps
  work += macs * (test_rows + eval_rows) * (s.epochs + 1);             // per-epoch evaluations
  if (s.measure.eval_every > 0) {
    const double steps = std::ceil(train_rows / std::max(1, s.batch)) * s.epochs;
    const double rows = s.measure.eval_rows ? double(s.measure.eval_rows) : test_rows;
    work += macs * rows * std::floor(steps / s.measure.eval_every);
  }
  return 0.01 + work / 2.5e10;
}

int remove_stale_temps(const std::string& dir) {
  int n = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto t = name.rfind(".tmp.");
    if (t == std::string::npos) continue;
    const std::string rest = name.substr(t + 5);
    const auto dot = rest.find('.');
    if (dot == std::string::npos) continue;
    const std::string digits = rest.substr(0, dot);  // alive while end_ptr points into it
    char* end_ptr = nullptr;
    const long pid = std::strtol(digits.c_str(), &end_ptr, 10);
    if (digits.empty() || pid <= 0 || *end_ptr != '\0') continue;
    if (pid == long(::getpid())) continue;
    if (::kill(pid_t(pid), 0) == 0 || errno == EPERM) continue;  // still running
    if (!fs::is_regular_file(it->symlink_status(ec))) continue;
    if (fs::remove(it->path(), ec)) ++n;
  }
  return n;
}

RunnerOutcome run_specs(const std::vector<RunSpec>& specs, const RunnerOptions& o, RunTrainer trainer) {
  if (o.cache_dir.empty()) throw UsageError("the run cache folder is empty");
  std::error_code ec;
  fs::create_directories(o.cache_dir, ec);
  if (ec || !fs::is_directory(o.cache_dir))
    throw DataError("cannot create the run cache folder '" + o.cache_dir + "': " +
                    (ec ? ec.message() : "not a directory"));
  remove_stale_temps(o.cache_dir);

  RunnerOutcome out;
  // Distinct specs, longest first (so the last runs to finish are short ones).
  std::map<std::string, const RunSpec*> distinct;
  for (const auto& s : specs) distinct.emplace(s.hash(), &s);
  struct Job {
    const RunSpec* spec;
    std::string hash;
    double cost;
  };
  std::vector<Job> todo;
  for (const auto& [h, s] : distinct) {
    RunRecord r;
    bool invalid = false;
    if (load_cached(fs::path(o.cache_dir) / (h + ".json"), *s, r, invalid)) {
      out.records.emplace(h, std::move(r));
      ++out.reused;
    } else {
      out.invalid_cached += invalid;
      todo.push_back({s, h, estimate_seconds(*s)});
    }
  }
  std::stable_sort(todo.begin(), todo.end(), [](const Job& a, const Job& b) { return a.cost > b.cost; });
  double total = 0;
  for (auto& j : todo) total += j.cost;

  DataCache data;
  if (!trainer)
    trainer = [&data](const RunSpec& s, const StepProgress& p) {
      const auto split = data.get(s.data);
      return run_one(s, *split, p);
    };

  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const int jobs = std::max(1, std::min<int>(o.jobs > 0 ? o.jobs : int(hw), int(std::max<std::size_t>(1, todo.size()))));
  Progress bar(o.progress && !todo.empty(), o.label, total, int(todo.size()), out.reused);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::exception_ptr first_error;
  std::string error_where;
  const auto t0 = clock_type::now();
  auto worker = [&](std::size_t slot) {
    nn::set_num_threads(1);
    for (;;) {
      if (stop) return;
      const std::size_t i = next++;
      if (i >= todo.size()) return;
      const Job& job = todo[i];
      bar.start(slot, job.cost);
      try {
        RunRecord r = trainer(*job.spec, [&](std::uint64_t step, std::uint64_t steps) {
          if (steps) bar.step(slot, double(step) / double(steps));
        });
        write_file_atomic((fs::path(o.cache_dir) / (job.hash + ".json")).string(), to_json(r).dump() + "\n");
        bar.finish_run(slot, job.cost);
        std::lock_guard<std::mutex> lk(mu);
        out.records.emplace(job.hash, std::move(r));
        ++out.trained;
      } catch (...) {
        std::lock_guard<std::mutex> lk(mu);
        if (!first_error) {
          first_error = std::current_exception();
          error_where = job.spec->key();
        }
        stop = true;
        return;
      }
    }
  };
  if (jobs == 1) {
    worker(0);
  } else {
    std::vector<std::thread> pool;
    for (int j = 0; j < jobs; ++j) pool.emplace_back(worker, std::size_t(j));
    for (auto& t : pool) t.join();
  }
  bar.close();
  out.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
  if (first_error) {
    try {
      std::rethrow_exception(first_error);
    } catch (const UsageError& e) {
      throw UsageError(std::string(e.what()) + " (in the run " + error_where + ")");
    } catch (const DataError& e) {
      throw DataError(std::string(e.what()) + " (in the run " + error_where + ")");
    }
  }
  return out;
}

}  // namespace actlab::lab
