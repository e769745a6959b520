// Owns: a connection as seen from outside its shard: oriented client -> server, with its
// speeds read at one moment, and the way back from a view to its key.
// Does not own: the live record (connection) or formatting.
#pragma once

#include <array>
#include <cstdint>

#include "decode/flow_key.hpp"
#include "decode/tunnel_identity.hpp"
#include "flow/tcp_state.hpp"

namespace ringtrack::flow {

/// Why a view left its shard: still tracked (an interim or snapshot row) or removed.
enum class EndReason : uint8_t {
  none,      ///< still tracked
  expired,   ///< a removal timer (-r, half-open, closing, idle) fired
  evicted,   ///< the table was full and this was the most evictable connection
  reused,    ///< a new SYN on the 4-tuple after CLOSED/RESET started a new connection
};

inline const char* end_reason_name(EndReason r) noexcept {
  switch (r) {
    case EndReason::none: return "active";
    case EndReason::expired: return "expired";
    case EndReason::evicted: return "evicted";
    case EndReason::reused: return "reused";
  }
  return "?";
}

namespace view_flag {
inline constexpr uint8_t midstream = 0x01;  ///< picked up without its handshake
inline constexpr uint8_t one_sided = 0x02;  ///< a mid-stream pickup seen in one direction only
inline constexpr uint8_t ipv6 = 0x04;
/// The speed window began before the connection's first packet (a connection, or a
/// capture, younger than the window): the speed is of part of it.
inline constexpr uint8_t speed_partial = 0x08;
}  // namespace view_flag

/// Copyable snapshot row; arrays indexed [0] = client to server, [1] = server to client.
struct ConnView {
  std::array<uint8_t, 16> client_addr;  ///< IPv4 as ::ffff:a.b.c.d
  std::array<uint8_t, 16> server_addr;
  uint16_t client_port;
  uint16_t server_port;
  uint16_t vlan_ids[8];                 ///< every tag, outermost first (the key holds the outer three)
  uint8_t vlan_depth;
  uint8_t flags;                        ///< view_flag bits
  uint8_t tcp_flags[2];                 ///< union of the TCP flags each side sent (FIN 0x01 .. CWR 0x80)
  TcpState state;
  EndReason end;
  uint64_t first_ts_ns;
  uint64_t last_ts_ns;
  uint64_t as_of_ns;                    ///< the moment speed and idle refer to
  uint64_t packets[2];
  uint64_t wire_bytes[2];
  uint64_t payload_bytes[2];
  uint64_t speed_bytes_per_s[2];        ///< payload bytes per second, per direction
  uint32_t handshake_rtt_us;            ///< 0 = handshake not seen
  uint32_t shard;
  uint64_t ip_bytes[2];                 ///< IP packets' lengths summed (IPFIX octets)
  uint32_t retrans[2];                  ///< retransmitted segments (SYN and FIN included)
  uint32_t retrans_bytes[2];            ///< their payload bytes
  uint32_t out_of_order[2];
  uint32_t zero_window[2];              ///< zero-window advertisements by the sender
  uint32_t rtt_us[2];                   ///< smoothed RTT from the capture point to [0] the client,
                                        ///< [1] the server, and back; 0 = no sample
  uint32_t rtt_min_us;                  ///< least end-to-end RTT (both paths); 0 = none
  uint32_t rtt_samples;
  decode::TunnelIdentity tunnel;        ///< the innermost tunnel (kind none: not tunnelled); id:
                                        ///< the key's hash of its tunnels (decode::FlowKey)

  bool ipv6() const noexcept { return (flags & view_flag::ipv6) != 0; }
  uint64_t speed_total() const noexcept { return speed_bytes_per_s[0] + speed_bytes_per_s[1]; }
  uint64_t idle_ns() const noexcept { return as_of_ns > last_ts_ns ? as_of_ns - last_ts_ns : 0; }
  uint64_t retrans_total() const noexcept { return uint64_t(retrans[0]) + retrans[1]; }
  /// End-to-end smoothed RTT, once both paths have samples; 0 otherwise.
  uint32_t rtt_total_us() const noexcept { return rtt_us[0] && rtt_us[1] ? rtt_us[0] + rtt_us[1] : 0; }
};

/// The key of v's connection with meta as decode::FlowKey::meta (a paused screen asks for
/// its frozen rows by key; the merge matches the answers to those keys).
inline decode::FlowKey key_of(const ConnView& v, uint64_t meta) noexcept {
  decode::FlowKey key{};
  decode::make_flow_key(key, v.client_addr, v.client_port, v.server_addr, v.server_port, meta);
  return key;
}

/// The key the shard holds v under: meta packed back from v's tunnel or VLAN stack, and family.
inline decode::FlowKey key_of(const ConnView& v) noexcept {
  const uint64_t context = v.tunnel.kind != decode::TunnelKind::none
                               ? decode::pack_tunnel(v.tunnel.id, static_cast<unsigned>(v.tunnel.kind))
                               : decode::pack_vlan_stack(v.vlan_ids, v.vlan_depth);
  return key_of(v, context | (v.ipv6() ? decode::FlowKey::ipv6_bit : 0));
}

}  // namespace ringtrack::flow
