// Owns: frame pieces as byte vectors in the shapes decoder tests and benchmarks use: Ethernet
// with VLAN tags, IPv4/IPv6 with options and extension headers, TCP; appended with operator+.
// Does not own: header byte layouts (tools/frames) or realistic traffic (tools/pcapgen).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <utility>
#include <vector>

#include "frames/link_layer.hpp"
#include "frames/tunnel_header.hpp"

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
  uint8_t flags = 0x02;      // SYN
  uint8_t header_words = 5;  // data offset
  uint32_t payload = 0;
};

/// TCP header (options zero-filled up to header_words) followed by payload bytes.
Bytes tcp(const TcpSpec& t);

/// IPv4 header with option_words of options, protocol, around body; total length from body
/// unless total_override is given.
Bytes ipv4(std::initializer_list<uint8_t> src, std::initializer_list<uint8_t> dst, const Bytes& body,
           uint8_t protocol = 6, uint8_t option_words = 0, uint16_t fragment_field = 0x4000, int total_override = -1);

/// IPv4 TCP header with these option bytes (a multiple of 4) around body.
Bytes ipv4_with_options(std::initializer_list<uint8_t> src, std::initializer_list<uint8_t> dst, const Bytes& options,
                        const Bytes& body);

/// IPv6 header; payload length from the rest unless payload_override is given.
Bytes ipv6(uint8_t last_src, uint8_t last_dst, uint8_t next_header, const Bytes& rest, int payload_override = -1);

/// An IPv6 extension header of the (len+1)*8 kind, with next header and body padding.
Bytes ipv6_extension(uint8_t next_header, uint8_t length_units = 0);

/// An IPv6 Fragment header: offset in 8-byte units << 3 and the M flag in bit 0.
Bytes ipv6_fragment(uint16_t offset_and_more, uint8_t next_header = 6, uint32_t id = 0x1234);

/// UDP header (zero checksum) around body; length from body unless length_override is given.
Bytes udp(uint16_t src_port, uint16_t dst_port, const Bytes& body, int length_override = -1);

/// Tunnel headers (tools/frames/tunnel_header), as bytes to put before the inner packet.
Bytes gre(const frames::GreHeader& header);
Bytes erspan(const frames::ErspanHeader& header);
Bytes vxlan(uint32_t vni);
Bytes geneve(const frames::GeneveHeader& header);
Bytes gtpu(const frames::GtpuHeader& header);
Bytes teredo(const frames::TeredoIndicators& indicators);

/// Ethernet header; tags as (TPID, TCI) pairs, outermost first.
Bytes ethernet(uint16_t ethertype, std::initializer_list<std::pair<uint16_t, uint16_t>> tags = {});
/// Ethernet header with a tag stack built at run time, outermost first.
Bytes ethernet(uint16_t ethertype, std::span<const frames::VlanTag> tags);
/// The tag a TPID and a whole TCI (priority, DEI, VID) make.
frames::VlanTag vlan_tag(uint16_t tpid, uint16_t tci);

}  // namespace ringtrack::testing
