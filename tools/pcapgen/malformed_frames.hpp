// Owns: frames every robust decoder must count as undecodable and never turn into a TCP segment.
// Does not own: valid traffic (frame_builder) or when malformed frames are sent (scenario_malformed).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "frame_builder.hpp"
#include "frames/link_layer.hpp"
#include "rng.hpp"

namespace ringtrack::pcapgen {

enum class MalformedKind : uint8_t {
  garbage,                      // random bytes behind an IP EtherType/AF, IP version neither 4 nor 6
  ipv4_ihl_below_5,             // IHL 0..4
  ipv4_ihl_beyond_capture,      // IHL 15 (60 bytes) but the frame ends inside the header
  ipv4_total_below_header,      // total length 1..19 (0 means TSO, see .cpp)
  tcp_offset_below_5,           // data offset 0..4 (IPv4 or IPv6)
  tcp_offset_beyond_payload,    // data offset 6..15 reaching past the IP payload
  ip_payload_below_tcp_header,  // IP says protocol 6 but carries only 1..19 bytes
  truncated_link_header,        // frame ends inside the link header
  truncated_vlan_tag,           // frame ends inside an 802.1Q tag
  truncated_ip_header,          // frame ends inside the IPv4/IPv6 header
  truncated_tcp_header,         // frame (orig = captured) ends inside the TCP header
  capture_cut_in_tcp_header,    // captured bytes end inside the TCP header, orig len is whole
  deep_vlan_stack,              // 3..20 tags, then nothing / bad IPv4 / cut IPv6
  ipv6_chain_off_end,           // extension header claims more bytes than the frame has
  ipv6_chain_100_plus,          // 100..250 Destination Options headers, no TCP bytes after
};

std::string_view malformed_kind_name(MalformedKind kind) noexcept;

/// The kinds a link type can express (no tags on raw/NULL/LOOP, no link header on raw).
std::vector<MalformedKind> malformed_kinds_for(frames::LinkType type);

class MalformedBuilder {
 public:
  MalformedBuilder(frames::LinkWriter link, Rng random) noexcept : _link(link), _random(random) {}

  /// Builds one frame of the kind; the span stays valid until the next call.
  BuiltFrame build(MalformedKind kind) noexcept;

 private:
  std::size_t write_link(std::span<const frames::VlanTag> tags, uint16_t ethertype) noexcept;
  std::size_t write_ipv4(uint8_t* out, uint32_t total_bytes) noexcept;
  std::size_t write_ipv6(uint8_t* out, uint8_t next_header, uint32_t payload_bytes) noexcept;
  std::size_t write_tcp(uint8_t* out, uint8_t data_offset_words, bool timestamps) noexcept;
  void fill_random(uint8_t* out, std::size_t length_bytes) noexcept;
  BuiltFrame frame(std::size_t provided_bytes, std::size_t wire_bytes) const noexcept;

  BuiltFrame garbage() noexcept;
  BuiltFrame bad_ipv4_header(MalformedKind kind) noexcept;
  BuiltFrame bad_tcp_header(MalformedKind kind) noexcept;
  BuiltFrame truncated(MalformedKind kind) noexcept;
  BuiltFrame deep_vlan_stack() noexcept;
  BuiltFrame ipv6_chain(MalformedKind kind) noexcept;

  frames::LinkWriter _link;
  Rng _random;
  std::array<uint8_t, 4096> _frame{};  // 250 * 8-byte extension headers + headers fit
};

}  // namespace ringtrack::pcapgen
