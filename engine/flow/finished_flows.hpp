// Owns: a shard's memory of recently finished connections (a TIME_WAIT of identities), fixed
// in size, so that a finished connection's stray segments are not taken for a new one.
// Does not own: what a stray segment counts toward (flow_shard) or the live records (flow_table).
#pragma once

#include <cstdint>

#include "decode/flow_key.hpp"
#include "os/zeroed_memory.hpp"

namespace ringtrack::flow {

// FinishedFlows design
// ====================
// A set-associative cache of keys, sized once at startup, never allocating afterwards:
//
//   struct Bucket {              // 200 bytes: about three cache lines
//     uint32_t tag[4];           // hash >> 32 | 1; 0 = empty way
//     uint32_t until_s[4];       // capture second the memory ends (exclusive)
//     FlowKey  key[4];           // 42 bytes each
//   } buckets[bucket_count];     // bucket_count a power of two; bucket = hash & (count - 1)
//
// A lookup reads the first line (tags and ends) and a key only on a tag match. Remembering
// takes an empty or run-out way, else the one that ends first: the oldest memory of the
// bucket goes. Nothing is ever removed in place except by forget(); run-out ways are just
// reused. Memory is touched only as buckets fill (os::ZeroedMemory).
class FinishedFlows {
 public:
  static constexpr unsigned ways = 4;
  struct Bucket {
    uint32_t tag[ways];
    uint32_t until_s[ways];
    decode::FlowKey key[ways];
  };
  static_assert(sizeof(Bucket) == 32 + ways * sizeof(decode::FlowKey),
                "tags and ends together first, then the keys, no padding");

  /// At most max_keys keys (rounded down to whole buckets of 4, a power-of-two count; at
  /// least one bucket). Throws SetupError when the memory cannot be had.
  explicit FinishedFlows(uint32_t max_keys);

  uint32_t key_capacity() const noexcept { return uint32_t(_mask + 1) * ways; }
  uint64_t footprint_bytes() const noexcept { return _memory.bytes(); }

  /// Remembers key (hash: its flow hash) as finished until until_ns (capture time).
  void remember(const decode::FlowKey& key, uint64_t hash, uint64_t until_ns) noexcept;
  /// True when key is remembered and its time has not run out at now_ns.
  bool holds(const decode::FlowKey& key, uint64_t hash, uint64_t now_ns) const noexcept;
  /// Forgets key (a new connection started on it).
  void forget(const decode::FlowKey& key, uint64_t hash) noexcept;

 private:
  static uint32_t tag_of(uint64_t hash) noexcept { return uint32_t(hash >> 32) | 1u; }
  Bucket& bucket_of(uint64_t hash) const noexcept { return _buckets[hash & _mask]; }
  /// The way of bucket holding key, or ways.
  static unsigned way_of(const Bucket& b, const decode::FlowKey& key, uint32_t tag) noexcept;

  os::ZeroedMemory _memory;
  Bucket* _buckets = nullptr;
  uint64_t _mask = 0;
};

}  // namespace ringtrack::flow
