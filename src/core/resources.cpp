#include "actlab/core/resources.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>

namespace actlab {
namespace {

std::uint64_t read_u64(const char* path) {
  std::ifstream f(path);
  std::string s;
  if (!(f >> s) || s == "max") return std::numeric_limits<std::uint64_t>::max();
  try {
    return std::stoull(s);
  } catch (...) {
    return std::numeric_limits<std::uint64_t>::max();
  }
}

// Resident + mapped size of this process (VmSize, for RLIMIT_AS).
std::uint64_t mapped_bytes() {
  std::ifstream f("/proc/self/status");
  std::string k;
  while (f >> k) {
    if (k == "VmSize:") {
      std::uint64_t kb = 0;
      f >> kb;
      return kb * 1024;
    }
    std::getline(f, k);
  }
  return 0;
}

}  // namespace

std::uint64_t available_memory_bytes() {
  std::uint64_t best = std::numeric_limits<std::uint64_t>::max();
  {
    std::ifstream f("/proc/meminfo");
    std::string k;
    while (f >> k) {
      if (k == "MemAvailable:") {
        std::uint64_t kb = 0;
        if (f >> kb) best = std::min(best, kb * 1024);
        break;
      }
      std::getline(f, k);
    }
  }
  const std::uint64_t cg_max = read_u64("/sys/fs/cgroup/memory.max");
  if (cg_max != std::numeric_limits<std::uint64_t>::max()) {
    const std::uint64_t cur = read_u64("/sys/fs/cgroup/memory.current");
    if (cur != std::numeric_limits<std::uint64_t>::max())
      best = std::min(best, cg_max > cur ? cg_max - cur : 0);
  }
  for (int res : {RLIMIT_AS, RLIMIT_DATA}) {
    rlimit rl{};
    if (::getrlimit(res, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
      const std::uint64_t used = mapped_bytes();
      const std::uint64_t lim = static_cast<std::uint64_t>(rl.rlim_cur);
      best = std::min(best, lim > used ? lim - used : 0);
    }
  }
  return best;
}

std::string human_bytes(double b) {
  char buf[64];
  if (b < 1024) std::snprintf(buf, sizeof buf, "%.0f bytes", b);
  else if (b < 1024.0 * 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024);
  else if (b < 1024.0 * 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f MiB", b / (1024.0 * 1024));
  else std::snprintf(buf, sizeof buf, "%.1f GiB", b / (1024.0 * 1024 * 1024));
  return buf;
}

std::string memory_shortfall(double need) {
  const std::uint64_t avail = available_memory_bytes();
  if (avail == std::numeric_limits<std::uint64_t>::max() || need <= static_cast<double>(avail)) return {};
  return "needs about " + human_bytes(need) + " of memory, but only " + human_bytes(static_cast<double>(avail)) +
         " is available";
}

}  // namespace actlab
