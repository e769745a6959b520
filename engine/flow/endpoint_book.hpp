// Owns: what a shard remembers per connection endpoint beyond the 192-byte record: the
// outstanding round-trip-time sample and the last acknowledgement (number, time, window,
// duplicates), in a fixed table that does not grow with the connections.
// Does not own: what the entries mean (rtt_sampler, tcp_health).
#pragma once

#include <cstdint>

#include "os/zeroed_memory.hpp"

namespace ringtrack::flow {

namespace rtt_entry_state {
inline constexpr uint8_t stale = 0;     ///< the endpoint's current TSval is unknown: learn it first
inline constexpr uint8_t armed = 1;     ///< waiting for the answer to rtt_mark
inline constexpr uint8_t baseline = 2;  ///< rtt_mark is the endpoint's current TSval: arm on a newer one
}  // namespace rtt_entry_state

/// One endpoint of one connection. 32 bytes: a connection's two share a cache line.
struct EndpointEntry {
  uint32_t tag;             ///< which connection and endpoint holds the entry; 0: none
  uint32_t rtt_mark;        ///< TSval, or the sequence number that acknowledges the segment
  uint32_t rtt_at_us;       ///< capture time the sample started, microseconds (low 32 bits)
  uint32_t last_ack;        ///< the endpoint's last acknowledgement number
  uint32_t last_ack_at_us;  ///< when it was sent
  uint16_t window;          ///< the window it last advertised (as on the wire)
  uint8_t dup_acks;         ///< duplicate ACKs in a row (Wireshark's rule), saturating
  uint8_t rtt_state;        ///< rtt_entry_state
  uint8_t ack_known;        ///< last_ack, last_ack_at_us and window are set
  uint8_t pad[7];

  /// An entry taken over by (or first given to) the endpoint with tag: nothing known.
  static EndpointEntry claimed(uint32_t tag) noexcept { return EndpointEntry{tag, 0, 0, 0, 0, 0, 0, 0, 0, {}}; }
};
static_assert(sizeof(EndpointEntry) == 32, "a connection's pair is one cache line");

/// Direct-mapped by the connection's flow hash: a connection whose pair another one took
/// loses what was in it (a sample; the ACK memory, learnt again from the next ACK), as
/// epping's bounded map does. 2^15 pairs, 2 MiB a shard, touched only where used.
class EndpointBook {
 public:
  static constexpr unsigned pairs_log2 = 15;

  EndpointBook() : _memory(sizeof(EndpointEntry) * 2 << pairs_log2) {}

  static uint32_t tag_of(uint64_t flow_hash, unsigned endpoint) noexcept {
    const uint32_t tag = (uint32_t(flow_hash) & ~1u) | endpoint;
    return tag != 0 ? tag : 2;
  }
  /// The connection's two entries, [0] for endpoint a, [1] for b.
  EndpointEntry* pair(uint64_t flow_hash) noexcept { return static_cast<EndpointEntry*>(_memory.get()) + index_of(flow_hash); }
  void prefetch(uint64_t flow_hash) const noexcept {
    __builtin_prefetch(static_cast<const EndpointEntry*>(_memory.get()) + index_of(flow_hash));
  }

 private:
  static uint64_t index_of(uint64_t flow_hash) noexcept {
    constexpr uint64_t mask = (uint64_t(1) << pairs_log2) - 1;
    return ((flow_hash >> 32) & mask) * 2;
  }

  os::ZeroedMemory _memory;
};

}  // namespace ringtrack::flow
