// Machine resources a configuration is checked against before it allocates:
// memory available to this process and the thread cap.
#pragma once

#include <cstdint>
#include <string>

namespace actlab {

// The most threads any command accepts (--threads, --jobs): OpenMP runtimes
// crash far above the core count (libgomp segfaults at 65536).
constexpr int kMaxThreads = 256;

// Bytes this process can still allocate: the smallest of MemAvailable
// (/proc/meminfo), the cgroup v2 limit minus usage, and RLIMIT_AS / RLIMIT_DATA
// minus what is mapped. UINT64_MAX when nothing can be read.
std::uint64_t available_memory_bytes();

// "1.5 GiB", "320.0 MiB", "12 bytes".
std::string human_bytes(double bytes);

// Empty when `need` bytes fit in available_memory_bytes(); otherwise
// "needs about X of memory, but only Y is available".
std::string memory_shortfall(double need);

}  // namespace actlab
