// Owns: frames every robust decoder must count as undecodable and never turn into a TCP segment.
// Does not own: valid traffic (frame_builder) or when malformed frames are sent (scenario_malformed).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "frame_builder.hpp"
#include "link_layer.hpp"
#include "rng.hpp"

namespace pcapgen {

enum class malformed_kind : std::uint8_t {
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

std::string_view malformed_kind_name(malformed_kind kind) noexcept;

/// The kinds a link type can express (no tags on raw/NULL/LOOP, no link header on raw).
std::vector<malformed_kind> malformed_kinds_for(link_type type);

class malformed_builder {
public:
    malformed_builder(link_writer link, rng random) noexcept : _link(link), _random(random) {}

    /// Builds one frame of the kind; the span stays valid until the next call.
    built_frame build(malformed_kind kind) noexcept;

private:
    std::size_t write_link(std::span<const vlan_tag> tags, std::uint16_t ethertype) noexcept;
    std::size_t write_ipv4(std::uint8_t* out, std::uint32_t total_bytes) noexcept;
    std::size_t write_ipv6(std::uint8_t* out, std::uint8_t next_header, std::uint32_t payload_bytes) noexcept;
    std::size_t write_tcp(std::uint8_t* out, std::uint8_t data_offset_words, bool timestamps) noexcept;
    void fill_random(std::uint8_t* out, std::size_t length_bytes) noexcept;
    built_frame frame(std::size_t provided_bytes, std::size_t wire_bytes) const noexcept;

    built_frame garbage() noexcept;
    built_frame bad_ipv4_header(malformed_kind kind) noexcept;
    built_frame bad_tcp_header(malformed_kind kind) noexcept;
    built_frame truncated(malformed_kind kind) noexcept;
    built_frame deep_vlan_stack() noexcept;
    built_frame ipv6_chain(malformed_kind kind) noexcept;

    link_writer _link;
    rng _random;
    std::array<std::uint8_t, 4096> _frame{};  // 250 * 8-byte extension headers + headers fit
};

}  // namespace pcapgen
