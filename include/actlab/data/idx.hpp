// The IDX file format (MNIST, Fashion-MNIST) and its gzip wrapper. These are
// the only functions that look at bytes from a data file; everything they
// return has been checked against the bytes actually present, so callers may
// index `data()` by the dimensions without further checks.
//
// Contract of every function here: on bad input it throws actlab::DataError
// naming the file (or the `name` given for in-memory input), what is wrong
// and the fix. It never crashes, hangs, or allocates more than `cap` bytes
// (plus the compressed input) whatever the header fields say.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actlab/data/dataset.hpp"

namespace actlab::data {

// Largest decompressed IDX file accepted (Fashion-MNIST's biggest is 47 MB).
inline constexpr std::size_t kMaxIdxBytes = std::size_t{1} << 30;

// True when `bytes` starts with the gzip magic 1f 8b.
bool is_gzip(std::string_view bytes);

// Decompresses a gzip stream (one or more members) with zlib, checking the
// CRC and length trailers. Output grows with the data actually produced and
// stops with a DataError once it would exceed `cap` bytes (gzip bombs).
// Truncated, corrupted or trailing-garbage streams throw DataError.
std::string gunzip(std::string_view gz, const std::string& name, std::size_t cap = kMaxIdxBytes);

// Compresses `data` into one gzip member (zlib, default level). For writing
// MNIST-format files, test fixtures and fuzz seeds.
std::string gzip_compress(std::string_view data);

// An unsigned-byte IDX array: dims (outermost first) and the payload.
struct IdxArray {
  std::vector<std::uint32_t> dims;
  std::string bytes;        // the whole decompressed file
  std::size_t offset = 0;   // where the payload starts inside `bytes`
  const std::uint8_t* data() const {
    return reinterpret_cast<const std::uint8_t*>(bytes.data()) + offset;
  }
  std::size_t size() const { return bytes.size() - offset; }  // == product of dims
};

// Parses IDX bytes (plain, or gzip-compressed: detected by the magic, not the
// file name). `rank` is the expected number of dimensions (3 for images, 1
// for labels); only the unsigned-byte type (0x08) is accepted. The payload
// size must equal the product of the dimensions exactly; the product is
// computed with overflow checks and compared with the bytes present before
// anything is sized from it.
IdxArray parse_idx(std::string bytes, const std::string& name, int rank,
                   std::size_t cap = kMaxIdxBytes);

// Reads and parses one file (missing file, directory, empty file... all give
// a DataError naming `path`).
IdxArray read_idx(const std::string& path, int rank);

// Builds a data set from an images array (N x H x W) and a labels array (N):
// checks that the counts agree and every label lies in [0, classes); pixels
// are scaled to [0, 1]. `limit` > 0 keeps the first `limit` rows. Names are
// the file paths used in error messages.
Dataset idx_to_dataset(const IdxArray& images, const IdxArray& labels, const std::string& images_name,
                       const std::string& labels_name, int classes = 10, std::size_t limit = 0);

}  // namespace actlab::data
