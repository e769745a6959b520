// Owns: the 16-bit form in which a connection keeps round-trip times.
// Does not own: how samples are taken (rtt_sampler) or averaged (tcp_health).
#pragma once

#include <bit>
#include <cstdint>

namespace ringtrack::flow {

/// Microseconds as a 12-bit mantissa and a 4-bit exponent: exact below 4.096 ms, within
/// 1/2048 above, up to 134 s. 0 means no value. Two of them fit where one 32-bit count
/// would, which keeps a connection's two smoothed RTTs on its Connection line.
namespace rtt_code {

inline constexpr uint32_t max_us = uint32_t(0xfff) << 15;

inline uint16_t encode(uint32_t us) noexcept {
  if (us == 0) us = 1;  // a sample below a microsecond still is a sample
  if (us > max_us) us = max_us;
  const unsigned width = unsigned(std::bit_width(us));
  const unsigned exponent = width > 12 ? width - 12 : 0;
  return uint16_t((exponent << 12) | (us >> exponent));
}

inline uint32_t decode(uint16_t code) noexcept { return uint32_t(code & 0xfff) << (code >> 12); }

}  // namespace rtt_code
}  // namespace ringtrack::flow
