// Owns: the one deterministic pseudo-random generator (xoshiro256** seeded by splitmix64).
// Does not own: what the numbers are used for.
//
// std:: distributions are avoided: their output differs between standard libraries, and "same
// seed => same bytes" must hold for every build.
#pragma once

#include <array>
#include <cstdint>

namespace ringtrack::pcapgen {

class Rng {
 public:
  explicit Rng(uint64_t seed) noexcept {
    uint64_t mix = seed;
    for (auto& word : _state) {
      word = splitmix64(mix);
    }
  }

  uint64_t next() noexcept {
    const uint64_t result = rotl(_state[1] * 5, 7) * 9;
    const uint64_t shifted = _state[1] << 17;
    _state[2] ^= _state[0];
    _state[3] ^= _state[1];
    _state[1] ^= _state[2];
    _state[0] ^= _state[3];
    _state[2] ^= shifted;
    _state[3] = rotl(_state[3], 45);
    return result;
  }

  uint32_t next32() noexcept { return static_cast<uint32_t>(next() >> 32); }

  /// Uniform in [0, bound) by multiply-shift (bias below 2^-32, deterministic); bound 0 gives 0.
  uint32_t below(uint32_t bound) noexcept {
    return static_cast<uint32_t>(((next() >> 32) * static_cast<uint64_t>(bound)) >> 32);
  }

  /// Uniform in [low, high], inclusive.
  uint32_t between(uint32_t low, uint32_t high) noexcept { return low + below(high - low + 1); }

  bool one_in(uint32_t n) noexcept { return below(n) == 0; }

  /// An independent stream, so one scenario part can draw more numbers without shifting another's.
  Rng fork(uint64_t salt) noexcept { return Rng(next() ^ (salt * 0x9E3779B97F4A7C15ULL)); }

 private:
  static uint64_t rotl(uint64_t value, int bits) noexcept { return (value << bits) | (value >> (64 - bits)); }

  static uint64_t splitmix64(uint64_t& mix) noexcept {
    mix += 0x9E3779B97F4A7C15ULL;
    uint64_t z = mix;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  std::array<uint64_t, 4> _state{};
};

}  // namespace ringtrack::pcapgen
