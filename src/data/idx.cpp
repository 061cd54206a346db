// IDX parsing. Layout: 2 zero bytes, a type byte (0x08 = unsigned byte), a
// rank byte, `rank` big-endian uint32 dimensions, then the payload in
// row-major order. The payload size is checked against the bytes actually
// present before any caller sizes a buffer from the dimensions.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/data/idx.hpp"

namespace actlab::data {
namespace {

const char* kFix =
    "re-download the file or reinstall the package (sudo apt-get install --reinstall "
    "dataset-fashion-mnist), or point --data-dir at a directory of MNIST-format files";

std::string hex_bytes(std::string_view b, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n && i < b.size(); ++i) {
    const auto c = static_cast<unsigned char>(b[i]);
    if (i) s += ' ';
    s += digits[c >> 4];
    s += digits[c & 15];
  }
  return s;
}

const char* type_name(unsigned t) {
  switch (t) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return nullptr;
  }
}

std::uint32_t be32(const std::string& b, std::size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data()) + at;
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

}  // namespace

IdxArray parse_idx(std::string bytes, const std::string& name, int rank, std::size_t cap) {
  if (bytes.empty())
    throw DataError("'" + name + "' is empty (0 bytes), expected an IDX file; " + kFix);
  if (is_gzip(bytes)) {
    bytes = gunzip(bytes, name, cap);
    if (bytes.empty())
      throw DataError("'" + name + "' decompresses to 0 bytes, expected an IDX file; " + kFix);
  } else if (bytes.size() > cap) {
    throw DataError("'" + name + "' is " + std::to_string(bytes.size()) +
                    " bytes, more than the limit for an IDX file (" + std::to_string(cap) +
                    "); it is not an MNIST-format file");
  }
  const std::string expect_magic = std::string("00 00 08 0") + std::to_string(rank);
  const std::string what = rank == 3 ? "idx3 images" : rank == 1 ? "idx1 labels" : "idx";
  if (bytes.size() < 4)
    throw DataError("'" + name + "' holds only " + std::to_string(bytes.size()) +
                    " bytes, too short for an IDX header (magic " + expect_magic + "); " + kFix);
  const auto t = static_cast<unsigned char>(bytes[2]);
  const auto r = static_cast<unsigned char>(bytes[3]);
  if (bytes[0] != 0 || bytes[1] != 0 || !type_name(t))
    throw DataError("'" + name + "' is not an IDX file: its magic number is " + hex_bytes(bytes, 4) +
                    ", expected " + expect_magic + " (" + what + "); " + kFix);
  if (t != 0x08)
    throw DataError("'" + name + "' holds " + type_name(t) +
                    " IDX data; only unsigned-byte files (magic " + expect_magic +
                    ") are supported, as in MNIST and Fashion-MNIST");
  if (r != rank)
    throw DataError("'" + name + "' has " + std::to_string(r) + " dimensions (magic " +
                    hex_bytes(bytes, 4) + "), expected " + std::to_string(rank) + " for " + what +
                    " (magic " + expect_magic + "); check that images and labels files are not swapped");
  const std::size_t header = 4 + 4 * std::size_t{r};
  if (bytes.size() < header)
    throw DataError("'" + name + "' is truncated: " + std::to_string(bytes.size()) +
                    " bytes, fewer than its " + std::to_string(header) + "-byte IDX header; " + kFix);
  IdxArray a;
  a.dims.resize(r);
  const std::size_t payload = bytes.size() - header;
  // The product is computed with an overflow check and compared with the
  // payload actually present: a header claiming 2^31 elements in a small
  // file is rejected here, before anything is allocated from it.
  unsigned __int128 elements = 1;
  bool overflow = false;  // the product exceeds 2^64 (the message says so)
  std::string shape;
  for (int i = 0; i < r; ++i) {
    a.dims[i] = be32(bytes, 4 + 4 * std::size_t(i));
    shape += (i ? " x " : "") + std::to_string(a.dims[i]);
    if (a.dims[i] == 0) {
      std::string full;
      for (int k = 0; k < r; ++k) full += (k ? " x " : "") + std::to_string(be32(bytes, 4 + 4 * std::size_t(k)));
      throw DataError("'" + name + "' header says " + full + ": a size of 0 (dimension " +
                      std::to_string(i + 1) + " of " + std::to_string(r) + "), so it holds no data; " + kFix);
    }
    elements *= a.dims[i];  // < 2^64 * 2^32: no 128-bit overflow
    if (elements >> 64) overflow = true, elements = static_cast<unsigned __int128>(1) << 64;
  }
  if (overflow || elements != payload)
    throw DataError("'" + name + "' header says " + shape + " = " +
                    (overflow ? std::string("more than 2^64") : std::to_string(static_cast<std::uint64_t>(elements))) +
                    " bytes of data, but the file holds " + std::to_string(payload) + " (" +
                    (elements > payload ? "truncated, or a corrupted header" : "extra bytes after the data") +
                    "); " + kFix);
  a.bytes = std::move(bytes);
  a.offset = header;
  return a;
}

static std::string read_idx_bytes(const std::string& path, const std::string& what) {
  // Own reader rather than core's read_file: it must refuse devices and
  // FIFOs (/dev/zero would never end) and files larger than the cap.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw DataError(what + " '" + path + "' cannot be opened: " + std::strerror(errno) + "; " + kFix);
  if (S_ISDIR(st.st_mode))
    throw DataError(what + " '" + path + "' is a directory, expected an IDX file; " + kFix);
  if (!S_ISREG(st.st_mode))
    throw DataError(what + " '" + path + "' is not a regular file (a device or pipe?); " + kFix);
  if (static_cast<std::uint64_t>(st.st_size) > kMaxIdxBytes)
    throw DataError(what + " '" + path + "' is " + std::to_string(st.st_size) +
                    " bytes, more than the limit for an IDX file (" + std::to_string(kMaxIdxBytes) +
                    "); it is not an MNIST-format file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw DataError(what + " '" + path + "' cannot be opened: " + std::strerror(errno));
  std::string out;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && out.size() <= kMaxIdxBytes) out.append(buf, n);
  const bool err = std::ferror(f);
  std::fclose(f);
  if (err) throw DataError("reading " + what + " '" + path + "' failed: " + std::strerror(errno));
  return out;
}

IdxArray read_idx(const std::string& path, int rank) {
  return parse_idx(read_idx_bytes(path, rank == 3 ? "image file" : "label file"), path, rank);
}

}  // namespace actlab::data
