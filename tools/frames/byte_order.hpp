// Owns: storing and loading 16/32-bit integers in big- or little-endian byte order.
// Does not own: any header layout (link_layer, ip_header, transport_header and pcap writers decide where fields go).
#pragma once

#include <cstdint>

namespace ringtrack::frames {

inline void store_be16(uint8_t* out, uint16_t value) noexcept {
  out[0] = static_cast<uint8_t>(value >> 8);
  out[1] = static_cast<uint8_t>(value);
}

inline void store_be32(uint8_t* out, uint32_t value) noexcept {
  out[0] = static_cast<uint8_t>(value >> 24);
  out[1] = static_cast<uint8_t>(value >> 16);
  out[2] = static_cast<uint8_t>(value >> 8);
  out[3] = static_cast<uint8_t>(value);
}

inline void store_le16(uint8_t* out, uint16_t value) noexcept {
  out[0] = static_cast<uint8_t>(value);
  out[1] = static_cast<uint8_t>(value >> 8);
}

inline void store_le32(uint8_t* out, uint32_t value) noexcept {
  out[0] = static_cast<uint8_t>(value);
  out[1] = static_cast<uint8_t>(value >> 8);
  out[2] = static_cast<uint8_t>(value >> 16);
  out[3] = static_cast<uint8_t>(value >> 24);
}

/// Stores in the byte order of the file being written (pcap headers, BSD NULL link header).
inline void store_ordered16(uint8_t* out, uint16_t value, bool big_endian) noexcept {
  if (big_endian) {
    store_be16(out, value);
  } else {
    store_le16(out, value);
  }
}

inline void store_ordered32(uint8_t* out, uint32_t value, bool big_endian) noexcept {
  if (big_endian) {
    store_be32(out, value);
  } else {
    store_le32(out, value);
  }
}

inline uint16_t load_be16(const uint8_t* in) noexcept { return static_cast<uint16_t>((in[0] << 8) | in[1]); }

}  // namespace ringtrack::frames
