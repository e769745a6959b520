// Owns: TCP headers (with options, and Linux's SYN and timestamp option layouts) and UDP
// headers as bytes, and the pseudo-header sum their checksums start from; every field is
// the caller's to set, so a decoder test can break any one of them.
// Does not own: the payload, or summing it (a caller that keeps payloads may precompute their
// sums).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "frames/ip_address.hpp"

namespace ringtrack::frames {

inline constexpr uint32_t tcp_fixed_header_bytes = 20;
inline constexpr std::size_t tcp_checksum_offset = 16;
inline constexpr uint32_t udp_header_bytes = 8;
inline constexpr std::size_t udp_checksum_offset = 6;

struct TcpHeader {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  std::optional<uint8_t> data_offset_words;  // unset: (20 + options.size()) / 4
  uint8_t reserved = 0;                      // the low nibble next to the data offset
  uint8_t flags = 0;
  uint16_t window = 0;
  uint16_t checksum = 0;  // as given: a caller that wants it right seals it afterwards
  uint16_t urgent = 0;
  std::span<const uint8_t> options{};  // written after the fixed 20 bytes
};

/// Writes the header and its options at out; returns 20 + options.size().
std::size_t write_tcp_header(uint8_t* out, const TcpHeader& tcp) noexcept;

/// Option bytes for a TCP header, up to the 40 the data offset can express.
struct TcpOptionBytes {
  std::array<uint8_t, 40> bytes{};
  std::size_t size = 0;

  std::span<const uint8_t> span() const noexcept { return {bytes.data(), size}; }
};

/// Linux's SYN and SYN-ACK options: MSS, SACK permitted, timestamps, NOP, window scale (20 bytes).
TcpOptionBytes syn_options(uint16_t mss, uint8_t window_scale, uint32_t tsval, uint32_t tsecr) noexcept;
/// Linux's options on established segments: NOP, NOP, timestamps (12 bytes).
TcpOptionBytes timestamp_options(uint32_t tsval, uint32_t tsecr) noexcept;

struct UdpHeader {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint16_t length_bytes = 0;  // header and payload
  uint16_t checksum = 0;      // as given; 0 means "none" (RFC 768)
};

/// Writes the 8-byte header at out; returns 8.
std::size_t write_udp_header(uint8_t* out, const UdpHeader& udp) noexcept;

/// The unfolded sum of the TCP/UDP pseudo-header (RFC 793, RFC 8200 8.1): add the header and
/// payload words to it, then finish_checksum gives the checksum field.
uint64_t pseudo_header_sum(const IpAddress& src, const IpAddress& dst, uint8_t protocol,
                           uint32_t transport_bytes) noexcept;

}  // namespace ringtrack::frames
