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

/// One TCP packet, decoded. Trivially copyable, 80 bytes: batches of them travel from a
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
  uint8_t pad[4];          ///< 76
};

static_assert(sizeof(PacketRecord) == 80, "ten words; keep it flat and small");
static_assert(offsetof(PacketRecord, ts_ns) == 48, "no padding hole after the key");

}  // namespace ringtrack::decode
