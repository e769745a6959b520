// Owns: the flat record a decoded TCP packet becomes, the unit passed between threads.
// Does not own: how frames are decoded (frame_decoder) or what a shard does with it (flow/).
#pragma once

#include <cstddef>
#include <cstdint>

#include "decode/flow_key.hpp"

namespace ringtrack::decode {

/// TCP flag bits as on the wire (byte 13 of the TCP header).
namespace tcp_flag {
inline constexpr uint8_t fin = 0x01;
inline constexpr uint8_t syn = 0x02;
inline constexpr uint8_t rst = 0x04;
inline constexpr uint8_t psh = 0x08;
inline constexpr uint8_t ack = 0x10;
}  // namespace tcp_flag

/// TCP options a record carries (PacketRecord::tcp_options).
namespace tcp_option {
inline constexpr uint8_t timestamps = 0x01;  ///< RFC 7323 timestamps: tsval and tsecr are set
/// The header was not all captured (a short snap length): like Wireshark, the
/// health analysis leaves the segment out.
inline constexpr uint8_t header_cut = 0x02;
}  // namespace tcp_option

/// One TCP packet, decoded. Trivially copyable, 96 bytes: batches of them travel from a
/// reader to the shard that owns the flow. The one-byte fields and seq fill the six bytes
/// after the 42-byte key, so the 64-bit fields stay aligned without padding.
struct PacketRecord {
  FlowKey key;             ///<  0: canonical identity; from_a says which endpoint sent it
  uint8_t tcp_flags;       ///< 42
  uint8_t from_a;          ///< 43: 1 when endpoint a (the smaller) sent this packet
  uint32_t seq;            ///< 44
  uint64_t ts_ns;          ///< 48: capture timestamp, Unix nanoseconds
  uint64_t flow_hash;      ///< 56: keyed hash of key; set by the flow layer, not by decode
  uint32_t ack;            ///< 64
  uint32_t payload_bytes;  ///< 68: TCP payload from the IP lengths, not from what was captured
  uint32_t wire_bytes;     ///< 72: the frame's original length on the wire (pcap len)
  uint32_t ip_bytes;       ///< 76: the IP packet's length (header included), as IPFIX counts octets
  uint32_t tsval;          ///< 80: TCP timestamp option values, when tcp_options has timestamps
  uint32_t tsecr;          ///< 84
  uint16_t window;         ///< 88: the advertised window as on the wire (unscaled)
  uint8_t tcp_options;     ///< 90: tcp_option bits
  /// 91, 92: when the key's innermost tunnel is GTP-U, the TEID this packet carried and
  /// whether it was sent to the tunnel's outer endpoint b (the greater); else unset. Each
  /// end names a bearer by the TEID it receives on, so the pair tells bearers apart.
  uint8_t gtp_to_outer_b;
  union {
    uint32_t gtp_teid;
    /// An untunnelled key whose VLAN stack is deeper than the three it holds: the stack's
    /// decode::vlan_stack_id, which the decoder tells beside the record; else 0.
    uint32_t vlan_stack_id;
  };
};

static_assert(sizeof(PacketRecord) == 96, "twelve words; keep it flat and small");
static_assert(offsetof(PacketRecord, ts_ns) == 48, "no padding hole after the key");

}  // namespace ringtrack::decode
