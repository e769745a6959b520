// Owns: unsigned decimals written straight into a character buffer, two digits a step.
// In frontend/, not batch/, because display_format (which the screen uses too) writes with it.
// Does not own: which numbers are written or where (batch/ writers, display_format).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ringtrack::frontend {

namespace decimal_detail {
inline constexpr char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
inline constexpr std::array<uint64_t, 20> powers_of_ten = [] {
  std::array<uint64_t, 20> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

/// Writes the last `digits` digits of v ending at end, zero-padded. Uint is uint32_t when v
/// fits: dividing by 100 is then a cheaper multiply.
template <class Uint>
inline void write_backwards(char* end, Uint v, unsigned digits) noexcept {
  for (; digits >= 2; digits -= 2, v /= 100) {
    end -= 2;
    std::memcpy(end, &digit_pairs[2 * (v % 100)], 2);
  }
  if (digits) *--end = char('0' + v % 10);
}
}  // namespace decimal_detail

/// Number of decimal digits of v (1 for 0).
inline unsigned decimal_length(uint64_t v) noexcept {
  // floor(log10(v)) from the bit length (1233 / 4096 ~ log10 2), corrected by one compare.
  // 0 has the digits of 1.
  const uint64_t x = v | 1;
  const unsigned bits = 64u - unsigned(__builtin_clzll(x));
  const unsigned guess = (bits * 1233u) >> 12;
  return guess + (x >= decimal_detail::powers_of_ten[guess] ? 1u : 0u);
}

/// Writes v in decimal at `at` (room for 20 characters); returns the end.
/// Batch output writes ~20 numbers a row, a million rows: std::to_chars' length loop and
/// call cost twice this.
inline char* write_decimal(char* at, uint64_t v) noexcept {
  if (v < 10) {
    *at = char('0' + v);
    return at + 1;
  }
  const unsigned digits = decimal_length(v);
  if (v <= UINT32_MAX) decimal_detail::write_backwards(at + digits, uint32_t(v), digits);
  else decimal_detail::write_backwards(at + digits, v, digits);
  return at + digits;
}

/// Writes v (< 10^digits) as exactly `digits` digits, zero-padded; returns the end.
inline char* write_zero_padded(char* at, uint32_t v, unsigned digits) noexcept {
  decimal_detail::write_backwards(at + digits, v, digits);
  return at + digits;
}

}  // namespace ringtrack::frontend
