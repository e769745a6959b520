// Owns: IPv4 headers (with options), IPv6 headers, IPv6 extension and Fragment headers, as
// bytes; every field is the caller's to set, so a decoder test can break any one of them.
// Does not own: what follows the IP header (transport_header) or lengths a caller did not
// ask for: each header says what its length fields hold, the writer does not work them out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "frames/ip_address.hpp"

namespace ringtrack::frames {

inline constexpr uint8_t ip_protocol_tcp = 6;
inline constexpr uint8_t ip_protocol_udp = 17;
inline constexpr uint8_t ipv6_next_hop_by_hop = 0;
inline constexpr uint8_t ipv6_next_fragment = 44;
inline constexpr uint8_t ipv6_next_destination_options = 60;

inline constexpr uint32_t ipv4_header_bytes = 20;  // without options
inline constexpr uint32_t ipv6_header_bytes = 40;
inline constexpr uint32_t ipv6_fragment_header_bytes = 8;

inline constexpr uint16_t ipv4_dont_fragment = 0x4000;
inline constexpr uint16_t ipv4_more_fragments = 0x2000;

struct Ipv4Header {
  uint8_t version = 4;
  uint8_t header_words = 5;  // IHL; a well-formed header has 5 + options.size() / 4
  uint8_t tos = 0;
  uint16_t total_bytes = 0;
  uint16_t id = 0;
  uint16_t flags_and_offset = ipv4_dont_fragment;  // flags in the top 3 bits, offset in 8-byte units
  uint8_t ttl = 64;
  uint8_t protocol = ip_protocol_tcp;
  std::optional<uint16_t> checksum;  // unset: the RFC 791 sum over the header as written
  IpAddress src;                     // the first 4 bytes
  IpAddress dst;
  std::span<const uint8_t> options{};  // written after the fixed 20 bytes
};

/// Writes the header and its options at out; returns 20 + options.size().
std::size_t write_ipv4_header(uint8_t* out, const Ipv4Header& ip) noexcept;

struct Ipv6Header {
  uint8_t version = 6;
  uint8_t traffic_class = 0;
  uint32_t flow_label = 0;  // 20 bits
  uint16_t payload_bytes = 0;
  uint8_t next_header = ip_protocol_tcp;
  uint8_t hop_limit = 64;
  IpAddress src;
  IpAddress dst;
};

/// Writes the 40-byte header at out; returns 40.
std::size_t write_ipv6_header(uint8_t* out, const Ipv6Header& ip) noexcept;

/// An extension header of the (length_units + 1) * 8 kind (hop-by-hop, routing, destination
/// options): next header, length, then options, zero-filled (Pad1) to the length.
struct Ipv6Extension {
  uint8_t next_header = ip_protocol_tcp;
  uint8_t length_units = 0;
  std::span<const uint8_t> options{};  // at most (length_units + 1) * 8 - 2 bytes
};

/// Writes the whole extension header at out; returns (length_units + 1) * 8.
std::size_t write_ipv6_extension(uint8_t* out, const Ipv6Extension& extension) noexcept;

struct Ipv6FragmentHeader {
  uint8_t next_header = ip_protocol_tcp;
  uint8_t reserved = 0;
  uint16_t offset_and_more = 0;  // offset in 8-byte units << 3, M flag in bit 0
  uint32_t id = 0;
};

/// Writes the 8-byte Fragment header at out; returns 8.
std::size_t write_ipv6_fragment_header(uint8_t* out, const Ipv6FragmentHeader& fragment) noexcept;

}  // namespace ringtrack::frames
