// The data layer's random numbers: SplitMix64 with our own uniform and
// Gaussian transforms, so a seed gives the same data sets and batch orders
// with every standard library (std::*_distribution are implementation-
// defined).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>

namespace actlab::data::detail {

// One SplitMix64 step; also used to mix (seed, stream) into a new seed.
inline std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

inline std::uint64_t mix(std::uint64_t seed, std::uint64_t stream) {
  return mix64(mix64(seed) ^ mix64(stream + 0x632be59bd9b4e019ULL));
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    s_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = s_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) without modulo bias (Lemire's multiply-shift with
  // rejection). n > 0.
  std::uint64_t below(std::uint64_t n) {
    for (;;) {
      const unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
      const auto lo = static_cast<std::uint64_t>(m);
      if (lo >= (0 - n) % n) return static_cast<std::uint64_t>(m >> 64);
    }
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  // Standard normal by Box-Muller (one value per call; simple beats fast here).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::uint64_t s_;
};

// Fisher-Yates shuffle of any random-access range.
template <class V>
void shuffle(V& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = rng.below(i);
    using std::swap;
    swap(v[i - 1], v[j]);
  }
}

}  // namespace actlab::data::detail
