#include "src/lab/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace actlab::lab {

ProgressBar::ProgressBar(int total_runs, bool enabled)
    : total_(total_runs), enabled_(enabled), tty_(::isatty(2) != 0), t0_(std::chrono::steady_clock::now()),
      last_draw_(t0_ - std::chrono::seconds(1)) {}

std::string ProgressBar::eta_text(double done) const {
  // done: runs completed in this process plus the fraction of the current one.
  const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  const double remaining_units = total_ - (first_done_ < 0 ? 0 : first_done_) - done;
  if (done <= 0.02) return "ETA --";
  const double eta = el / done * std::max(0.0, remaining_units);
  char buf[64];
  const long s = std::lround(eta);
  if (s >= 3600) std::snprintf(buf, sizeof buf, "ETA %ldh%02ldm", s / 3600, (s / 60) % 60);
  else std::snprintf(buf, sizeof buf, "ETA %ldm%02lds", s / 60, s % 60);
  return buf;
}

void ProgressBar::update(int runs_done, double frac, const std::string& label) {
  if (!enabled_ || !tty_) return;
  if (first_done_ < 0) first_done_ = runs_done;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double done = double(runs_done) + frac;
  const int width = 30, fill = total_ ? int(width * done / total_) : width;
  std::string bar(std::size_t(std::clamp(fill, 0, width)), '=');
  bar.resize(width, ' ');
  std::fprintf(stderr, "\r[%s] %d/%d runs  %-34s %s   ", bar.c_str(), runs_done, total_, label.c_str(),
               eta_text(done - first_done_).c_str());
  std::fflush(stderr);
}

void ProgressBar::run_finished(int runs_done, const std::string& label, const std::string& result) {
  if (!enabled_) return;
  if (first_done_ < 0) first_done_ = runs_done - 1;
  ++trained_;
  if (tty_) std::fprintf(stderr, "\r%*s\r", 110, "");
  std::fprintf(stderr, "run %d/%d %s: %s  (%s)\n", runs_done, total_, label.c_str(), result.c_str(),
               eta_text(double(runs_done - first_done_)).c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_ && tty_) std::fprintf(stderr, "\r%*s\r", 110, "");
}

}  // namespace actlab::lab
