// gzip decompression with zlib, bounded by a cap. The output buffer grows
// with the bytes zlib actually produces (never from the gzip ISIZE trailer or
// any other field of the input), so a gzip bomb or a lying header cannot make
// us allocate more than `cap`.
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/data/idx.hpp"

namespace actlab::data {
namespace {

const char* kRefetch =
    "re-download the file or reinstall the package (sudo apt-get install --reinstall "
    "dataset-fashion-mnist)";

std::string mib(std::size_t n) { return std::to_string(n >> 20) + " MiB"; }

// RAII for the z_stream so every throw releases zlib's state.
struct Inflater {
  z_stream s{};
  bool ok = false;
  Inflater() {
    // 16 + MAX_WBITS: gzip wrapper only, zlib checks CRC-32 and ISIZE.
    ok = inflateInit2(&s, 16 + MAX_WBITS) == Z_OK;
  }
  ~Inflater() {
    if (ok) inflateEnd(&s);
  }
};

}  // namespace

bool is_gzip(std::string_view b) {
  return b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f &&
         static_cast<unsigned char>(b[1]) == 0x8b;
}

std::string gunzip(std::string_view gz, const std::string& name, std::size_t cap) {
  if (!is_gzip(gz)) throw DataError("'" + name + "' is not gzip data (no 1f 8b magic); " + kRefetch);
  Inflater inf;
  if (!inf.ok) throw DataError("zlib could not be initialised to read '" + name + "' (out of memory?)");
  std::string out;
  // First guess from the compressed size (input-based, so bounded by it);
  // grows by doubling as data arrives.
  out.resize(std::min(cap, std::max<std::size_t>(gz.size() * 2, 1 << 16)));
  std::size_t produced = 0;
  std::size_t in_pos = 0;
  for (;;) {
    // zlib counts in uInt: feed at most UINT_MAX bytes per call.
    const std::size_t in_chunk = std::min<std::size_t>(gz.size() - in_pos, UINT_MAX);
    inf.s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data() + in_pos));
    inf.s.avail_in = static_cast<uInt>(in_chunk);
    if (produced == out.size()) {
      if (out.size() >= cap)
        throw DataError("'" + name + "' decompresses to more than " + mib(cap) +
                        ", the limit for an IDX file (Fashion-MNIST's largest is 47 MiB); "
                        "the file is not an MNIST-format file or is corrupted: " + kRefetch);
      out.resize(std::min(cap, out.size() * 2));
    }
    const std::size_t out_room = std::min<std::size_t>(out.size() - produced, UINT_MAX);
    inf.s.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    inf.s.avail_out = static_cast<uInt>(out_room);
    const int rc = inflate(&inf.s, Z_NO_FLUSH);
    const std::size_t used_in = in_chunk - inf.s.avail_in;
    in_pos += used_in;
    produced += out_room - inf.s.avail_out;
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (gzip allows concatenation); anything
      // else after the trailer is garbage.
      if (in_pos == gz.size()) break;
      if (!is_gzip(gz.substr(in_pos)))
        throw DataError("'" + name + "' has " + std::to_string(gz.size() - in_pos) +
                        " bytes of garbage after the end of the gzip stream (corrupted); " +
                        kRefetch);
      if (inflateReset(&inf.s) != Z_OK) throw DataError("zlib reset failed reading '" + name + "'");
      continue;
    }
    if (rc == Z_DATA_ERROR)
      throw DataError("'" + name + "' is corrupted: zlib reports \"" +
                      std::string(inf.s.msg ? inf.s.msg : "invalid data") + "\" at compressed byte " +
                      std::to_string(in_pos) + "; " + kRefetch);
    if (rc == Z_MEM_ERROR) throw DataError("out of memory decompressing '" + name + "'");
    if (rc == Z_NEED_DICT) throw DataError("'" + name + "' needs a preset dictionary: not a gzip file; " + kRefetch);
    // Z_OK or Z_BUF_ERROR: no progress possible with all input consumed means
    // the stream stops before its end marker.
    if (in_pos == gz.size() && inf.s.avail_out != 0)
      throw DataError("'" + name + "' is truncated: the gzip stream ends after " +
                      std::to_string(gz.size()) + " compressed bytes (" + std::to_string(produced) +
                      " decompressed) without its end marker; " + kRefetch);
  }
  out.resize(produced);
  return out;
}

std::string gzip_compress(std::string_view data) {
  z_stream s{};
  // 16 + MAX_WBITS: write a gzip (not zlib) wrapper.
  if (deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw DataError("zlib could not be initialised for compression (out of memory?)");
  std::string out;
  std::size_t in_pos = 0, produced = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (produced == out.size()) out.resize(std::max<std::size_t>(out.size() * 2, 1 << 12));
    const std::size_t in_chunk = std::min<std::size_t>(data.size() - in_pos, UINT_MAX);
    const std::size_t out_room = std::min<std::size_t>(out.size() - produced, UINT_MAX);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + in_pos));
    s.avail_in = static_cast<uInt>(in_chunk);
    s.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    s.avail_out = static_cast<uInt>(out_room);
    rc = deflate(&s, in_pos + in_chunk == data.size() ? Z_FINISH : Z_NO_FLUSH);
    in_pos += in_chunk - s.avail_in;
    produced += out_room - s.avail_out;
    if (rc == Z_STREAM_ERROR) {
      deflateEnd(&s);
      throw DataError("zlib compression failed");
    }
  }
  deflateEnd(&s);
  out.resize(produced);
  return out;
}

}  // namespace actlab::data
