// Owns: the flat record a decoded TCP packet becomes, the unit passed between threads.
// Does not own: how frames are decoded (frame_decoder) or what a shard does with it (flow/).
#pragma once

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
/// reader to the shard that owns the flow.
struct PacketRecord {
  FlowKey key;             ///< canonical identity; from_a says which endpoint sent it
  uint64_t ts_ns;          ///< capture timestamp, Unix nanoseconds
  uint64_t flow_hash;      ///< keyed hash of key; set by the flow layer, not by decode
  uint32_t seq;
  uint32_t ack;
  uint32_t payload_bytes;  ///< TCP payload from the IP lengths, not from what was captured
  uint32_t wire_bytes;     ///< the frame's original length on the wire (pcap len)
  uint8_t tcp_flags;
  uint8_t from_a;          ///< 1 when endpoint a (the smaller) sent this packet
  uint8_t pad[6];
};

static_assert(sizeof(PacketRecord) == 80, "ten words; keep it flat and small");

}  // namespace ringtrack::decode
