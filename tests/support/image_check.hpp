// Checks that plot files are real images: PNG signature, IHDR dimensions,
// and a decoded pixel census (zlib inflate of the IDAT stream, PNG filters
// undone) so tests can tell a blank canvas from a drawn figure.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace actlab::test {

struct PngInfo {
  bool ok = false;
  std::uint32_t width = 0, height = 0;
  int bit_depth = 0, color_type = 0;
  std::string error;
};

inline std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

inline PngInfo png_info(const std::string& bytes) {
  PngInfo info;
  static const char sig[8] = {'\x89', 'P', 'N', 'G', '\r', '\n', '\x1a', '\n'};
  if (bytes.size() < 33 || bytes.compare(0, 8, std::string(sig, 8)) != 0) {
    info.error = "no PNG signature";
    return info;
  }
  if (bytes.compare(12, 4, "IHDR") != 0) {
    info.error = "first chunk is not IHDR";
    return info;
  }
  info.width = be32(bytes, 16);
  info.height = be32(bytes, 20);
  info.bit_depth = std::uint8_t(bytes[24]);
  info.color_type = std::uint8_t(bytes[25]);
  info.ok = info.width > 0 && info.height > 0;
  if (!info.ok) info.error = "zero dimension";
  return info;
}

// Decoded 8-bit RGBA pixels (colour types 2 and 6, bit depth 8, no
// interlace: what cairo and Chromium write).
struct Pixels {
  std::uint32_t width = 0, height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4
  std::uint32_t at(std::uint32_t x, std::uint32_t y) const {
    const std::uint8_t* p = &rgba[(std::size_t(y) * width + x) * 4];
    return (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
  }
};

inline Pixels decode_png(const std::string& bytes) {
  PngInfo info = png_info(bytes);
  if (!info.ok) throw std::runtime_error("not a PNG: " + info.error);
  if (info.bit_depth != 8 || (info.color_type != 2 && info.color_type != 6) || bytes[28] != 0)
    throw std::runtime_error("unsupported PNG format (need 8-bit RGB/RGBA, no interlace)");
  const int bpp = info.color_type == 6 ? 4 : 3;
  std::string idat;
  for (std::size_t at = 8; at + 12 <= bytes.size();) {
    const std::uint32_t len = be32(bytes, at);
    const std::string type = bytes.substr(at + 4, 4);
    if (type == "IDAT") idat += bytes.substr(at + 8, len);
    if (type == "IEND") break;
    at += 12 + std::size_t(len);
  }
  const std::size_t stride = std::size_t(info.width) * bpp;
  std::vector<std::uint8_t> raw((stride + 1) * info.height);
  uLongf raw_len = raw.size();
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK ||
      raw_len != raw.size())
    throw std::runtime_error("PNG IDAT does not inflate to the expected size");
  std::vector<std::uint8_t> cur(stride), prev(stride, 0);
  Pixels px;
  px.width = info.width;
  px.height = info.height;
  px.rgba.resize(std::size_t(info.width) * info.height * 4);
  for (std::uint32_t y = 0; y < info.height; ++y) {
    const std::uint8_t ft = raw[y * (stride + 1)];
    const std::uint8_t* src = &raw[y * (stride + 1) + 1];
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= std::size_t(bpp) ? cur[i - bpp] : 0;
      const int b = prev[i];
      const int c = i >= std::size_t(bpp) ? prev[i - bpp] : 0;
      int v = src[i];
      switch (ft) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) / 2; break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          v += (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
          break;
        }
        default: throw std::runtime_error("bad PNG filter type");
      }
      cur[i] = std::uint8_t(v);
    }
    for (std::uint32_t x = 0; x < info.width; ++x) {
      std::uint8_t* d = &px.rgba[(std::size_t(y) * info.width + x) * 4];
      d[0] = cur[x * bpp];
      d[1] = cur[x * bpp + 1];
      d[2] = cur[x * bpp + 2];
      d[3] = bpp == 4 ? cur[x * bpp + 3] : 255;
    }
    std::swap(cur, prev);
  }
  return px;
}

// Distinct RGB colours in a rectangle of the image.
inline std::size_t distinct_colours(const Pixels& px, std::uint32_t x0, std::uint32_t y0, std::uint32_t x1,
                                    std::uint32_t y1) {
  std::set<std::uint32_t> s;
  for (std::uint32_t y = y0; y < y1 && y < px.height; ++y)
    for (std::uint32_t x = x0; x < x1 && x < px.width; ++x) s.insert(px.at(x, y));
  return s.size();
}

// Fraction of pixels in a rectangle that differ from `bg`.
inline double non_background(const Pixels& px, std::uint32_t bg, std::uint32_t x0, std::uint32_t y0,
                             std::uint32_t x1, std::uint32_t y1) {
  std::size_t n = 0, d = 0;
  for (std::uint32_t y = y0; y < y1 && y < px.height; ++y)
    for (std::uint32_t x = x0; x < x1 && x < px.width; ++x, ++n) d += px.at(x, y) != bg;
  return n ? double(d) / n : 0.0;
}

// An SVG that a browser would render: an <svg> root and drawn elements.
inline bool looks_like_svg(const std::string& s, std::string* why = nullptr) {
  auto fail = [&](const char* w) {
    if (why) *why = w;
    return false;
  };
  if (s.find("<svg") == std::string::npos) return fail("no <svg element");
  if (s.find("</svg>") == std::string::npos) return fail("no closing </svg>");
  if (s.find("<path") == std::string::npos && s.find("<polyline") == std::string::npos)
    return fail("no <path or <polyline elements");
  return true;
}

}  // namespace actlab::test
