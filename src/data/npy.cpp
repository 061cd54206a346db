// NumPy .npy files (format 1.0, 2.0, 3.0): an X array of features or images
// and a Y array of integer labels (see include/actlab/data/tabular.hpp).
// Layout: "\x93NUMPY", major, minor, header length (u16 LE for 1.x, u32 LE
// for 2.x/3.x), a Python dict literal {'descr': '<f4', 'fortran_order':
// False, 'shape': (N, F), } padded with spaces and '\n', then the C-order
// payload. The payload size implied by the header is compared with the file
// size before anything is allocated from the shape, and the payload is
// converted in chunks, so a file is never held in memory twice.
#include <algorithm>
#include <bit>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "actlab/core/error.hpp"
#include "actlab/data/tabular.hpp"
#include "src/data/internal.hpp"

namespace actlab::data {
namespace {

using detail::InputFile;
using detail::show;

constexpr const char* kExample = "npy:x_train.npy,y_train.npy,test_x=x_test.npy,test_y=y_test.npy "
                                 "(or npy:x.npy,y.npy,test_fraction=0.25)";
constexpr std::size_t kMaxHeader = std::size_t{1} << 20;  // numpy's own default limit is 10 000
constexpr std::size_t kMaxRows = std::size_t{UINT32_MAX} / 2;

struct Header {
  char kind = 0;        // 'f', 'u', 'i'
  int itemsize = 0;     // bytes per element
  bool big = false;     // big-endian payload
  std::string descr;    // as written
  std::vector<std::uint64_t> shape;
  std::uint64_t offset = 0;    // payload start
  std::uint64_t elements = 0;  // product of shape
};

std::string shape_text(const std::vector<std::uint64_t>& s) {
  std::string t = "(";
  for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + (s.size() == 1 ? ",)" : ")");
}

// The Python literal in the header: only what numpy.save writes (a dict of
// strings, True/False and a tuple of integers).
class DictParser {
 public:
  DictParser(std::string_view s, std::string who) : s_(s), who_(std::move(who)) {}

  [[noreturn]] void fail(const std::string& why) const {
    throw DataError(who_ + ": its header " + why + " (header: " + show(s_, 120) +
                    "); it was not written by numpy.save (np.save(path, array) writes a valid one)");
  }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool eat(char c) {
    ws();
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  void expect(char c, const char* what) {
    if (!eat(c)) fail(std::string("lacks ") + what + " at offset " + std::to_string(i_));
  }
  std::string str() {
    ws();
    if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '"')) fail("has no string at offset " + std::to_string(i_));
    const char q = s_[i_++];
    const std::size_t end = s_.find(q, i_);
    if (end == std::string_view::npos) fail("has an unterminated string");
    std::string out(s_.substr(i_, end - i_));
    i_ = end + 1;
    return out;
  }
  std::string ident() {
    ws();
    const std::size_t b = i_;
    while (i_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[i_]))) ++i_;
    return std::string(s_.substr(b, i_ - b));
  }
  std::vector<std::uint64_t> tuple() {
    expect('(', "'(' opening the shape");
    std::vector<std::uint64_t> v;
    for (;;) {
      if (eat(')')) return v;
      ws();
      if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_])))
        fail("has a shape entry that is not a non-negative integer at offset " + std::to_string(i_));
      std::uint64_t n = 0;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
        if (n > (UINT64_MAX - 9) / 10) fail("has a shape entry beyond 2^64");
        n = n * 10 + static_cast<std::uint64_t>(s_[i_++] - '0');
      }
      if (i_ < s_.size() && s_[i_] == 'L') ++i_;  // Python 2 longs
      if (v.size() == 32) fail("has more than 32 dimensions");
      v.push_back(n);
      if (eat(')')) return v;
      expect(',', "',' between shape entries");
    }
  }
  bool at(char c) {
    ws();
    return i_ < s_.size() && s_[i_] == c;
  }
  bool done() {
    ws();
    return i_ == s_.size();
  }
  std::size_t pos() const { return i_; }

 private:
  std::string_view s_;
  std::string who_;
  std::size_t i_ = 0;
};

std::string first_bytes(std::string_view b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < b.size() && i < 6; ++i) {
    const auto c = static_cast<unsigned char>(b[i]);
    s += (i ? " " : "");
    s += d[c >> 4];
    s += d[c & 15];
  }
  return s;
}

Header read_header(const InputFile& f) {
  const std::string who = f.what() + " '" + f.name() + "'";
  const std::string kFix = "save it with numpy.save (np.save(path, array))";
  if (f.size() == 0) throw DataError(who + " is empty (0 bytes), expected a NumPy .npy file; " + kFix);
  std::string pre(std::min<std::uint64_t>(f.size(), 12), '\0');
  f.read(0, pre.data(), pre.size());
  if (pre.substr(0, 6) != "\x93NUMPY") {
    const std::string zip = pre.substr(0, 4) == "PK\x03\x04" ? " (a zip archive: an .npz holds .npy files; unzip it "
                                                                 "or save each array with np.save)"
                                                               : "";
    throw DataError(who + " is not a NumPy .npy file: it starts with " + first_bytes(pre) +
                    ", expected 93 4e 55 4d 50 59 (\"\\x93NUMPY\")" + zip + "; " + kFix);
  }
  if (pre.size() < 10)
    throw DataError(who + " is truncated: " + std::to_string(f.size()) + " bytes, shorter than a .npy header; " + kFix);
  const int major = static_cast<unsigned char>(pre[6]), minor = static_cast<unsigned char>(pre[7]);
  if (!((major == 1 || major == 2 || major == 3) && minor == 0))
    throw DataError(who + " is .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                    "; only 1.0, 2.0 and 3.0 are supported");
  std::uint64_t hlen = 0, start = 0;
  if (major == 1) {
    hlen = static_cast<unsigned char>(pre[8]) | (std::uint64_t{static_cast<unsigned char>(pre[9])} << 8);
    start = 10;
  } else {
    if (pre.size() < 12)
      throw DataError(who + " is truncated: " + std::to_string(f.size()) + " bytes, shorter than a .npy header; " + kFix);
    for (int k = 3; k >= 0; --k) hlen = (hlen << 8) | static_cast<unsigned char>(pre[8 + k]);
    start = 12;
  }
  if (hlen > kMaxHeader)
    throw DataError(who + ": its header length is " + std::to_string(hlen) + " bytes, more than the " +
                    std::to_string(kMaxHeader) + " a .npy header can need; the file is corrupted");
  if (start + hlen > f.size())
    throw DataError(who + " is truncated: its header is " + std::to_string(hlen) + " bytes but the file has only " +
                    std::to_string(f.size() - start) + " after the magic; " + kFix);
  std::string text(hlen, '\0');
  f.read(start, text.data(), text.size());

  Header h;
  h.offset = start + hlen;
  DictParser p(text, who);
  bool have_descr = false, have_fortran = false, have_shape = false, fortran = false;
  p.expect('{', "the opening '{'");
  while (!p.eat('}')) {
    const std::string key = p.str();
    p.expect(':', "':' after a key");
    if (key == "descr") {
      if (p.at('['))
        throw DataError(who + " holds a structured array (its dtype has named fields); save a plain numeric "
                        "array (e.g. np.save(path, x.astype(np.float32)))");
      h.descr = p.str();
      have_descr = true;
    } else if (key == "fortran_order") {
      const std::string v = p.ident();
      if (v != "True" && v != "False") p.fail("has fortran_order '" + show(v) + "', not True or False");
      fortran = v == "True";
      have_fortran = true;
    } else if (key == "shape") {
      h.shape = p.tuple();
      have_shape = true;
    } else {
      p.fail("has an unexpected key '" + show(key) + "'");
    }
    if (p.eat('}')) break;
    p.expect(',', "',' between entries");
  }
  if (!p.done()) p.fail("has text after the closing '}'");
  if (!have_descr || !have_fortran || !have_shape) p.fail("lacks one of 'descr', 'fortran_order', 'shape'");
  if (fortran)
    throw DataError(who + " is stored in Fortran (column-major) order (fortran_order: True); save it in C order: "
                    "np.save(path, np.ascontiguousarray(x))");

  // The dtype: byte order, kind, item size.
  const std::string& d = h.descr;
  std::size_t k = 0;
  char order = '=';
  if (!d.empty() && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=')) order = d[k++];
  const char kind = k < d.size() ? d[k++] : '?';
  int size = 0;
  for (; k < d.size() && std::isdigit(static_cast<unsigned char>(d[k])) && size < 1000; ++k) size = size * 10 + (d[k] - '0');
  if (kind == 'O')
    throw DataError(who + " holds Python objects (dtype object, '" + show(d) +
                    "'), not numbers; save a numeric array: np.save(path, np.asarray(x, dtype=np.float32))");
  if (kind == 'U' || kind == 'S' || kind == 'a')
    throw DataError(who + " holds strings (dtype '" + show(d) + "'); labels must be integers 0, 1, ...: "
                    "np.unique(y, return_inverse=True)[1] numbers them");
  const bool known = k == d.size() && ((kind == 'f' && (size == 4 || size == 8)) ||
                                       ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)));
  if (!known)
    throw DataError(who + " has dtype '" + show(d) +
                    "', which is not supported; use float32 '<f4', float64 '<f8' or uint8 '|u1' for X and an "
                    "integer type ('<i8', '<i4', '|u1', ...) for Y");
  h.kind = kind;
  h.itemsize = size;
  h.big = size > 1 && (order == '>' || (order == '=' && std::endian::native == std::endian::big));
  if (h.big)
    throw DataError(who + " is big-endian (dtype '" + show(d) + "'); save it little-endian: np.save(path, x.astype('<" +
                    std::string(1, kind) + std::to_string(size) + "'))");

  // Bytes the shape needs vs bytes present, before anything is sized from it.
  unsigned __int128 n = 1;
  bool overflow = false;
  for (std::uint64_t s : h.shape) {
    n *= s;  // < 2^64 * 2^64
    if (n >> 64) overflow = true, n = static_cast<unsigned __int128>(1) << 64;
  }
  const unsigned __int128 need = n * static_cast<unsigned>(size);
  const std::uint64_t have = f.size() - h.offset;
  if (overflow || need != have)
    throw DataError(who + ": header says shape " + shape_text(h.shape) + " of '" + d + "' = " +
                    (overflow || (need >> 64) ? std::string("more than 2^64")
                                              : std::to_string(static_cast<std::uint64_t>(need))) +
                    " bytes of data, but the file holds " + std::to_string(have) + " (" +
                    (need > have ? "truncated, or a corrupted header" : "extra bytes after the data") + "); " + kFix);
  h.elements = static_cast<std::uint64_t>(n);
  return h;
}

// "X[17, 3]": the NumPy index of flat element `e`.
std::string index_text(const char* role, const std::vector<std::uint64_t>& shape, std::uint64_t e) {
  std::vector<std::uint64_t> idx(shape.size());
  for (std::size_t i = shape.size(); i-- > 0;) {
    idx[i] = e % shape[i];
    e /= shape[i];
  }
  std::string s = std::string(role) + "[";
  for (std::size_t i = 0; i < idx.size(); ++i) s += (i ? ", " : "") + std::to_string(idx[i]);
  return s + "]";
}

template <class T>
T load_le(const unsigned char* p) {
  using U = std::conditional_t<sizeof(T) == 1, std::uint8_t,
            std::conditional_t<sizeof(T) == 2, std::uint16_t, std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
  U u = 0;
  for (std::size_t b = sizeof(T); b-- > 0;) u = static_cast<U>((u << 8) | p[b]);
  return std::bit_cast<T>(u);
}

// Calls `fn(element index, bytes)` over the payload, read in chunks.
template <class Fn>
void for_each_chunk(const InputFile& f, const Header& h, Fn fn) {
  constexpr std::size_t kChunk = std::size_t{1} << 20;  // elements per read
  std::vector<unsigned char> buf;
  for (std::uint64_t e = 0; e < h.elements;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, h.elements - e));
    buf.resize(n * h.itemsize);
    f.read(h.offset + e * h.itemsize, buf.data(), buf.size());
    fn(e, n, buf.data());
    e += n;
  }
}

struct Labels {
  std::vector<std::int32_t> y;
  int max = -1;
};

Dataset read_x(const InputFile& f, std::vector<std::uint64_t>& shape_out) {
  const std::string who = f.what() + " '" + f.name() + "'";
  const Header h = read_header(f);
  const auto& s = h.shape;
  if (s.size() < 2 || s.size() > 4)
    throw DataError(who + " has shape " + shape_text(s) +
                    "; X must be 2-D (rows, features), 3-D (rows, height, width) or 4-D (rows, channels, height, "
                    "width)" + (s.size() == 1 ? " (one feature per row: x.reshape(-1, 1))" : ""));
  if (!(h.kind == 'f' || (h.kind == 'u' && h.itemsize == 1)))
    throw DataError(who + " has dtype '" + h.descr +
                    "'; X must be float32 '<f4', float64 '<f8' or uint8 '|u1': np.save(path, x.astype(np.float32))");
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == 0)
      throw DataError(who + " has shape " + shape_text(s) + ": dimension " + std::to_string(i) + " is 0, it holds no data");
  if (s[0] > kMaxRows)
    throw DataError(who + " has " + std::to_string(s[0]) + " rows, more than supported (" + std::to_string(kMaxRows) + ")");
  for (std::size_t i = 1; i < s.size(); ++i)
    if (s[i] > static_cast<std::uint64_t>(INT_MAX))
      throw DataError(who + " has shape " + shape_text(s) + ": dimension " + std::to_string(i) + " is too large");
  Dataset d;
  d.rows = s[0];
  d.features = static_cast<std::size_t>(h.elements / s[0]);
  if (s.size() >= 3) {
    d.channels = s.size() == 4 ? static_cast<int>(s[1]) : 1;
    d.height = static_cast<int>(s[s.size() - 2]);
    d.width = static_cast<int>(s[s.size() - 1]);
  }
  d.x.resize(h.elements);  // elements * itemsize == the bytes present
  float* out = d.x.data();
  auto bad = [&](std::uint64_t e, const std::string& why) {
    return DataError(who + ": " + index_text("X", s, e) + " " + why);
  };
  for_each_chunk(f, h, [&](std::uint64_t e0, std::size_t n, const unsigned char* p) {
    if (h.kind == 'u') {
      for (std::size_t i = 0; i < n; ++i) out[e0 + i] = p[i] * (1.0f / 255.0f);
    } else if (h.itemsize == 4) {
      for (std::size_t i = 0; i < n; ++i) {
        const float v = load_le<float>(p + 4 * i);
        if (!std::isfinite(v)) throw bad(e0 + i, "is " + detail::num(v) + "; features must be finite numbers");
        out[e0 + i] = v;
      }
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        const double v = load_le<double>(p + 8 * i);
        if (!std::isfinite(v)) throw bad(e0 + i, "is " + detail::num(v) + "; features must be finite numbers");
        if (std::fabs(v) > std::numeric_limits<float>::max())
          throw bad(e0 + i, "is " + detail::num(v) + ", outside the float32 range (about +-3.4e38)");
        out[e0 + i] = static_cast<float>(v);
      }
    }
  });
  shape_out = s;
  return d;
}

Labels read_y(const InputFile& f) {
  const std::string who = f.what() + " '" + f.name() + "'";
  const Header h = read_header(f);
  if (h.shape.size() != 1)
    throw DataError(who + " has shape " + shape_text(h.shape) + "; Y must be 1-D (rows,), one label per row" +
                    (h.shape.size() == 2 && h.shape[1] == 1 ? ": np.save(path, y.ravel())" : ""));
  if (h.kind != 'i' && h.kind != 'u')
    throw DataError(who + " has dtype '" + h.descr + "'; Y must hold integer labels 0, 1, ... ('<i8', '<i4', '|u1', "
                    "...): np.save(path, y.astype(np.int64))");
  if (h.elements > kMaxRows)
    throw DataError(who + " has " + std::to_string(h.elements) + " labels, more than supported");
  Labels l;
  l.y.resize(h.elements);
  for_each_chunk(f, h, [&](std::uint64_t e0, std::size_t n, const unsigned char* p) {
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned char* q = p + i * h.itemsize;
      bool neg = false;
      std::uint64_t mag = 0;  // |value|, saturated
      auto take = [&](auto v) {
        if constexpr (std::is_signed_v<decltype(v)>)
          if (v < 0) return void(neg = true);  // any negative value is refused
        mag = static_cast<std::uint64_t>(v);
      };
      switch (h.itemsize * (h.kind == 'i' ? -1 : 1)) {
        case 1: take(load_le<std::uint8_t>(q)); break;
        case 2: take(load_le<std::uint16_t>(q)); break;
        case 4: take(load_le<std::uint32_t>(q)); break;
        case 8: take(load_le<std::uint64_t>(q)); break;
        case -1: take(load_le<std::int8_t>(q)); break;
        case -2: take(load_le<std::int16_t>(q)); break;
        case -4: take(load_le<std::int32_t>(q)); break;
        case -8: take(load_le<std::int64_t>(q)); break;
      }
      if (neg || mag >= static_cast<std::uint64_t>(kMaxClasses)) {
        std::string v;
        switch (h.itemsize * (h.kind == 'i' ? -1 : 1)) {
          case -1: v = std::to_string(load_le<std::int8_t>(q)); break;
          case -2: v = std::to_string(load_le<std::int16_t>(q)); break;
          case -4: v = std::to_string(load_le<std::int32_t>(q)); break;
          case -8: v = std::to_string(load_le<std::int64_t>(q)); break;
          default: v = std::to_string(mag);
        }
        throw DataError(who + ": Y[" + std::to_string(e0 + i) + "] = " + v +
                        (neg ? " is negative" : " is not below " + std::to_string(kMaxClasses)) +
                        "; labels are class indices 0, 1, ... (np.unique(y, return_inverse=True)[1] numbers them)");
      }
      l.y[e0 + i] = static_cast<std::int32_t>(mag);
      l.max = std::max(l.max, static_cast<int>(mag));
    }
  });
  return l;
}

// X and Y of one set, checked against each other. `classes` is set later.
Dataset read_pair(const InputFile& xf, const InputFile& yf, int& max_label) {
  std::vector<std::uint64_t> shape;
  Dataset d = read_x(xf, shape);
  Labels l = read_y(yf);
  if (l.y.size() != d.rows)
    throw DataError(xf.what() + " '" + xf.name() + "' has " + std::to_string(d.rows) + " rows (shape " +
                    shape_text(shape) + ") but " + yf.what() + " '" + yf.name() + "' has " +
                    std::to_string(l.y.size()) + " labels; the files do not belong together");
  d.y = std::move(l.y);
  max_label = l.max;
  return d;
}

void check_classes(const Dataset& train, const InputFile& yf) {
  std::vector<bool> seen(static_cast<std::size_t>(train.classes), false);
  std::size_t distinct = 0;
  for (auto y : train.y)
    if (!seen[static_cast<std::size_t>(y)]) seen[static_cast<std::size_t>(y)] = true, ++distinct;
  if (distinct < 2)
    throw DataError(yf.what() + " '" + yf.name() + "': every label is " + std::to_string(train.y[0]) +
                    "; a classifier needs at least 2 classes");
}

std::string stem(const std::string& path) {
  std::string s = std::filesystem::path(path).stem().string();
  return s.empty() ? path : s;
}

Dataset build(const InputFile& xf, const InputFile& yf) {
  int max_label = -1;
  Dataset d = read_pair(xf, yf, max_label);
  d.classes = max_label + 1;
  d.name = stem(xf.name());
  check_classes(d, yf);
  return d;
}

}  // namespace

NpySpec parse_npy_spec(const std::string& spec, const std::string& dir) {
  auto fail = [&](const std::string& why) {
    return UsageError("--data '" + spec + "': " + why +
                      "; the form is npy:X.npy,Y.npy[,test_x=PATH,test_y=PATH | ,test_fraction=F], e.g. " + kExample);
  };
  if (!spec.starts_with("npy:")) throw fail("not an npy: spec");
  const std::vector<std::string> parts = detail::split_spec(std::string_view(spec).substr(4));
  auto is_key = [](const std::string& p) {
    return p.starts_with("test_x=") || p.starts_with("test_y=") || p.starts_with("test_fraction=");
  };
  if (parts[0].empty() || parts.size() < 2 || parts[1].empty() || is_key(parts[0]) || is_key(parts[1]))
    throw fail("it needs two files first, the features X and the labels Y");
  NpySpec s;
  s.x = detail::in_dir(parts[0], dir);
  s.y = detail::in_dir(parts[1], dir);
  bool has_x = false, has_y = false, has_fraction = false;
  for (std::size_t i = 2; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    const std::size_t eq = p.find('=');
    if (p.empty()) throw fail("an empty item (two commas in a row, or a comma at the end)");
    if (eq == std::string::npos)
      throw fail("'" + p + "' is not KEY=VALUE (keys: test_x, test_y, test_fraction; file names cannot contain commas)");
    const std::string key = p.substr(0, eq), value = p.substr(eq + 1);
    bool* seen = key == "test_x" ? &has_x : key == "test_y" ? &has_y : key == "test_fraction" ? &has_fraction : nullptr;
    if (!seen) throw fail("unknown key '" + key + "' (keys: test_x, test_y, test_fraction)");
    if (*seen) throw fail("'" + key + "' given twice");
    *seen = true;
    if (value.empty()) throw fail("'" + key + "=' has no value");
    if (key == "test_x") s.test_x = detail::in_dir(value, dir);
    if (key == "test_y") s.test_y = detail::in_dir(value, dir);
    if (key == "test_fraction") s.test_fraction = detail::parse_test_fraction(value, spec, kExample);
  }
  if (has_x != has_y) throw fail(has_x ? "test_x= without test_y=" : "test_y= without test_x=");
  if (has_x && has_fraction) throw fail("give either test_x=/test_y= or test_fraction=F, not both");
  return s;
}

Dataset parse_npy(std::string_view x_bytes, const std::string& x_name, std::string_view y_bytes,
                  const std::string& y_name) {
  const InputFile xf(x_bytes, x_name, "X file"), yf(y_bytes, y_name, "Y file");
  return build(xf, yf);
}

Split load_npy(const NpySpec& spec, const LoadOptions& opt) {
  detail::check_options(opt);
  const InputFile xf(spec.x, "X file", kMaxNpyBytes), yf(spec.y, "Y file", kMaxNpyBytes);
  int max_train = -1;
  Dataset all = read_pair(xf, yf, max_train);
  all.name = stem(spec.x);
  Dataset test;
  int classes = max_train + 1;
  const bool has_test = !spec.test_x.empty();
  if (has_test) {
    const InputFile txf(spec.test_x, "test X file", kMaxNpyBytes), tyf(spec.test_y, "test Y file", kMaxNpyBytes);
    int max_test = -1;
    test = read_pair(txf, tyf, max_test);
    test.name = all.name;
    if (test.features != all.features || test.channels != all.channels || test.height != all.height ||
        test.width != all.width) {
      auto geom = [](const Dataset& d) {
        return d.channels ? std::to_string(d.channels) + "x" + std::to_string(d.height) + "x" + std::to_string(d.width)
                          : std::to_string(d.features) + " features";
      };
      throw DataError("test X file '" + spec.test_x + "' holds " + geom(test) + " per row but X file '" + spec.x +
                      "' " + geom(all) + "; the training and test files come from different data sets");
    }
    classes = std::max(classes, max_test + 1);
    test.classes = classes;
  }
  all.classes = classes;
  check_classes(all, yf);
  return detail::user_split(std::move(all), has_test ? &test : nullptr, spec.test_fraction, opt);
}

}  // namespace actlab::data
