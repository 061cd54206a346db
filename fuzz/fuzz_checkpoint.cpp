// Fuzz target: the checkpoint reader (nn::load_checkpoint). The input is the
// checkpoint file, with its last 4 bytes replaced by the CRC-32 of the rest
// (otherwise almost every mutation would stop at the checksum and the parser
// behind it would never run; the checksum test itself is in tests/nn). The
// file is handed over through a memfd, so no disk is touched.
// Accepted: DataError. Anything else (UsageError, std::exception, a crash,
// a sanitizer report, an allocation beyond -rss_limit_mb) is a finding.
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/nn/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string buf(reinterpret_cast<const char*>(data), size);
  if (buf.size() >= 8) {
    const auto crc = static_cast<std::uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(buf.data()), static_cast<uInt>(buf.size() - 4)));
    std::memcpy(buf.data() + buf.size() - 4, &crc, 4);  // little-endian, as the writer stores it
  }
  static const int fd = memfd_create("fuzz_checkpoint", 0);
  if (fd < 0) std::abort();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, buf.data(), buf.size(), 0) != static_cast<ssize_t>(buf.size()))
    std::abort();
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  try {
    actlab::nn::Checkpoint ck = actlab::nn::load_checkpoint(path);
    if (!ck.model || !ck.opt) std::abort();
  } catch (const actlab::DataError&) {
  }
  return 0;
}
