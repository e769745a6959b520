// Owns: the RFC 1071 one's-complement sum used by IPv4, TCP and UDP checksums.
// Does not own: which bytes are summed (ip_header sums its header, transport_header the pseudo-header).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringtrack::frames {

/// Adds big-endian 16-bit words to an unfolded 64-bit accumulator; an odd tail byte is padded
/// with zero. Every caller passes pieces that start on an even offset of the summed message.
inline uint64_t add_checksum_words(const uint8_t* data, std::size_t length_bytes, uint64_t sum) noexcept {
  std::size_t index = 0;
  for (; index + 1 < length_bytes; index += 2) {
    sum += (static_cast<uint64_t>(data[index]) << 8) | data[index + 1];
  }
  if (index < length_bytes) {
    sum += static_cast<uint64_t>(data[index]) << 8;
  }
  return sum;
}

/// Folds the carries and complements: the value to store in the checksum field.
inline uint16_t finish_checksum(uint64_t sum) noexcept {
  while ((sum >> 16) != 0) {
    sum = (sum & 0xFFFF) + (sum >> 16);
  }
  return static_cast<uint16_t>(~sum & 0xFFFF);
}

}  // namespace ringtrack::frames
