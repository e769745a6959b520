// Owns: hand-built frame bytes for decoder tests: link headers, VLAN tags, IPv4/IPv6 with
// options and extension headers, TCP; every field settable so tests can break one.
// Does not own: realistic traffic (tools/pcapgen writes that).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace ringtrack::testing {

using Bytes = std::vector<uint8_t>;

inline void put16(Bytes& b, uint16_t v) {
  b.push_back(uint8_t(v >> 8));
  b.push_back(uint8_t(v));
}
inline void put32(Bytes& b, uint32_t v) {
  put16(b, uint16_t(v >> 16));
  put16(b, uint16_t(v));
}
inline void set16(Bytes& b, std::size_t at, uint16_t v) {
  b[at] = uint8_t(v >> 8);
  b[at + 1] = uint8_t(v);
}
inline Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct TcpSpec {
  uint16_t src_port = 40000;
  uint16_t dst_port = 80;
  uint32_t seq = 1000;
  uint32_t ack = 0;
  uint8_t flags = 0x02;       // SYN
  uint8_t header_words = 5;   // data offset
  uint32_t payload = 0;
};

/// TCP header (options zero-filled up to header_words) followed by payload bytes.
inline Bytes tcp(const TcpSpec& t) {
  Bytes b;
  put16(b, t.src_port);
  put16(b, t.dst_port);
  put32(b, t.seq);
  put32(b, t.ack);
  b.push_back(uint8_t(t.header_words << 4));
  b.push_back(t.flags);
  put16(b, 65535);  // window
  put16(b, 0);      // checksum: decoders do not verify it
  put16(b, 0);
  const std::size_t header = std::size_t(t.header_words) * 4;
  if (header > b.size()) b.resize(header, 1);  // NOP options
  b.resize(b.size() + t.payload, 'p');
  return b;
}

/// IPv4 header with option_words of options, protocol, around body; total length from body
/// unless total_override is given.
inline Bytes ipv4(std::initializer_list<uint8_t> src, std::initializer_list<uint8_t> dst, const Bytes& body,
                  uint8_t protocol = 6, uint8_t option_words = 0, uint16_t fragment_field = 0x4000,
                  int total_override = -1) {
  Bytes b;
  const uint8_t ihl = uint8_t(5 + option_words);
  b.push_back(uint8_t(0x40 | ihl));
  b.push_back(0);
  put16(b, uint16_t(total_override >= 0 ? total_override : ihl * 4 + int(body.size())));
  put16(b, 0x1234);
  put16(b, fragment_field);
  b.push_back(64);
  b.push_back(protocol);
  put16(b, 0);
  b.insert(b.end(), src);
  b.insert(b.end(), dst);
  b.resize(b.size() + option_words * 4u, 1);
  return b + body;
}

/// IPv6 header; payload length from the rest unless payload_override is given.
inline Bytes ipv6(uint8_t last_src, uint8_t last_dst, uint8_t next_header, const Bytes& rest,
                  int payload_override = -1) {
  Bytes b;
  put32(b, 0x60000000);
  put16(b, uint16_t(payload_override >= 0 ? payload_override : int(rest.size())));
  b.push_back(next_header);
  b.push_back(64);
  const uint8_t prefix[] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  b.insert(b.end(), prefix, prefix + 15);
  b.push_back(last_src);
  b.insert(b.end(), prefix, prefix + 15);
  b.push_back(last_dst);
  return b + rest;
}

/// An IPv6 extension header of the (len+1)*8 kind, with next header and body padding.
inline Bytes ipv6_extension(uint8_t next_header, uint8_t length_units = 0) {
  Bytes b(std::size_t(length_units + 1) * 8, 0);
  b[0] = next_header;
  b[1] = length_units;
  return b;
}

/// Ethernet header; tags as (TPID, VID) pairs, outermost first.
inline Bytes ethernet(uint16_t ethertype, std::initializer_list<std::pair<uint16_t, uint16_t>> tags = {}) {
  Bytes b(12, 0xaa);  // destination and source MAC
  for (const auto& [tpid, vid] : tags) {
    put16(b, tpid);
    put16(b, vid);
  }
  put16(b, ethertype);
  return b;
}

}  // namespace ringtrack::testing
