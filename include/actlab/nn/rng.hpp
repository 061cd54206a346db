// Counter-based random numbers. Every random draw in training (dropout
// masks, RReLU slopes) is a pure function of (seed, step, layer, index), so
// there is no generator state to checkpoint: a resumed run draws exactly the
// numbers an uninterrupted one would, whatever the thread count.
#pragma once

#include <cmath>
#include <cstdint>

namespace actlab::nn {

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Hash of a tuple of counters.
inline std::uint64_t hash_u64(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0,
                              std::uint64_t d = 0) {
  return splitmix64(splitmix64(splitmix64(splitmix64(a) ^ b) ^ c) ^ d);
}

// Uniform in [0, 1) with 24 random bits (exactly representable in float).
inline float u01(std::uint64_t h) { return static_cast<float>(h >> 40) * 0x1.0p-24f; }

// Sequential generator for initialisation (splitmix64 stream).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() { return splitmix64(s_++); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  // Standard normal by Box-Muller (one of the pair; simple and deterministic).
  double normal() {
    double u1 = uniform();
    const double u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  std::uint64_t s_;
};

}  // namespace actlab::nn
