// Owns: what can become of a frame in the decoder, and the per-outcome counters.
// Does not own: the decoding itself (frame_decoder).
#pragma once

#include <array>
#include <cstdint>

#include "decode/tunnel_kind.hpp"

namespace ringtrack::decode {

/// Every frame ends as exactly one outcome; summaries group them (tcp, not TCP, untracked
/// fragment, undecodable) and keep the detail for --verbose.
enum class DecodeOutcome : uint8_t {
  tcp,                    ///< a TCP packet with a record
  not_ip,                 ///< ARP, LLC, other ethertypes or address families
  not_tcp,                ///< IP but not TCP (UDP, ICMP, ESP, no-next-header...)
  fragment_tail,          ///< a non-first IP fragment (any protocol): belongs to no connection
  // Undecodable from here on: malformed or cut short by the snap length.
  truncated_link,         ///< link or VLAN header not fully captured
  vlan_too_deep,          ///< more than eight VLAN tags
  truncated_ip,           ///< IP header (or IPv6 extension chain) not fully captured
  bad_ip_version,
  bad_ip_header_length,   ///< IPv4 IHL < 5 or total length below the header
  bad_extension_chain,    ///< IPv6 extension headers run past the payload or loop
  truncated_tcp,          ///< fewer than 16 bytes of TCP header captured
  bad_tcp_header_length,  ///< TCP data offset below 5 words, or beyond the segment
  unsupported_link,       ///< from a pcapng interface whose link type is not decoded
  truncated_tunnel,       ///< a tunnel header (UDP, GRE, VXLAN, GTP-U...) not fully captured
  bad_tunnel_header,      ///< a tunnel header that contradicts itself or its lengths
  tunnel_too_deep,        ///< more than four tunnels nested
  count_
};

inline constexpr unsigned decode_outcome_count = static_cast<unsigned>(DecodeOutcome::count_);

const char* decode_outcome_name(DecodeOutcome o) noexcept;

/// Frames counted by outcome, and the tunnelled ones also by their innermost tunnel's
/// kind (tunnelled[0], TunnelKind::none, stays 0). Plain per-thread counters, merged with +=.
struct DecodeCounters {
  std::array<uint64_t, decode_outcome_count> frames{};
  std::array<uint64_t, tunnel_kind_count> tunnelled{};

  void count(DecodeOutcome o, TunnelKind k = TunnelKind::none) noexcept {
    ++frames[static_cast<unsigned>(o)];
    if (k != TunnelKind::none) [[unlikely]] ++tunnelled[static_cast<unsigned>(k)];
  }
  uint64_t tunnelled_frames() const noexcept {
    uint64_t n = 0;
    for (unsigned i = 1; i < tunnel_kind_count; ++i) n += tunnelled[i];
    return n;
  }
  uint64_t of(DecodeOutcome o) const noexcept { return frames[static_cast<unsigned>(o)]; }
  uint64_t undecodable() const noexcept {
    uint64_t n = 0;
    for (unsigned i = static_cast<unsigned>(DecodeOutcome::truncated_link); i < decode_outcome_count; ++i)
      n += frames[i];
    return n;
  }
  DecodeCounters& operator+=(const DecodeCounters& o) noexcept {
    for (unsigned i = 0; i < decode_outcome_count; ++i) frames[i] += o.frames[i];
    for (unsigned i = 0; i < tunnel_kind_count; ++i) tunnelled[i] += o.tunnelled[i];
    return *this;
  }
};

}  // namespace ringtrack::decode
