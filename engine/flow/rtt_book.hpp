// Owns: a shard's outstanding round-trip-time samples, at most one per connection and
// endpoint, in a fixed table that does not grow with the connections.
// Does not own: when a sample is started or answered (rtt_sampler).
#pragma once

#include <cstdint>

#include "os/zeroed_memory.hpp"

namespace ringtrack::flow {

/// One endpoint's sample: the TSval or sequence number whose echo or acknowledgement will
/// answer it, and when it was sent.
struct RttEntry {
  uint32_t tag;    ///< which connection and endpoint holds the entry; 0: none
  uint32_t mark;   ///< TSval, or the sequence number that acknowledges the segment
  uint32_t at_us;  ///< capture time the mark was sent, microseconds (low 32 bits)
  uint32_t state;  ///< rtt_entry_state
};

namespace rtt_entry_state {
inline constexpr uint32_t armed = 1;     ///< waiting for the answer to mark
inline constexpr uint32_t baseline = 2;  ///< mark is the endpoint's current TSval: arm on a newer one
inline constexpr uint32_t stale = 3;     ///< the endpoint's current TSval is unknown: learn it first
}  // namespace rtt_entry_state

/// Direct-mapped by the connection's flow hash: a connection whose entry another one took
/// loses that sample (and learns again before it samples), as epping's bounded map does.
/// 2^16 entries, 1 MiB a shard, touched only where used.
class RttBook {
 public:
  static constexpr unsigned entries_log2 = 16;

  RttBook() : _memory(sizeof(RttEntry) << entries_log2) {}
  static_assert(sizeof(RttEntry) * 2 == 32, "a connection's pair fits half a cache line");

  static uint32_t tag_of(uint64_t flow_hash, unsigned endpoint) noexcept {
    const uint32_t tag = (uint32_t(flow_hash) & ~1u) | endpoint;
    return tag != 0 ? tag : 2;
  }
  /// A connection's two entries share a cache line: one prefetch serves both endpoints.
  RttEntry& slot(uint64_t flow_hash, unsigned endpoint) noexcept {
    return static_cast<RttEntry*>(_memory.get())[index_of(flow_hash) | endpoint];
  }
  void prefetch(uint64_t flow_hash) const noexcept {
    __builtin_prefetch(static_cast<const RttEntry*>(_memory.get()) + index_of(flow_hash));
  }

 private:
  static uint64_t index_of(uint64_t flow_hash) noexcept {
    constexpr uint64_t mask = (uint64_t(1) << entries_log2) - 1;
    return ((flow_hash >> 32) << 1) & mask;
  }

  os::ZeroedMemory _memory;
};

}  // namespace ringtrack::flow
