// Owns: the fixed-capacity index from FlowKey to a dense arena of Connection records.
// Does not own: what a connection means (flow_shard), hashing (flow_hash), expiry, eviction.
#pragma once

#include <array>
#include <cstdint>

#include "decode/flow_key.hpp"
#include "flow/connection.hpp"
#include "flow/connection_side.hpp"
#include "flow/rate_window.hpp"
#include "os/zeroed_memory.hpp"

namespace ringtrack::flow {

// FlowTable design
// ================
// Sized once at startup from the shard's capacity; nothing on the data path allocates or
// rehashes. Four arrays:
//
//   struct {
//     uint64_t   slots[slot_count];   // the index; slot_count = 2 * capacity (load <= 1/2)
//     Connection arena[capacity];     // live records packed at [0, size): identity, times
//     ConnectionCounters counters[capacity];  // beside them, index for index
//     TcpHealth  healths[capacity];   // likewise
//   }
//
// A slot is 0 when empty, else   tag << 24 | (arena index + 1)
//
//    63                                   24 23                 0
//   +---------------------------------------+--------------------+
//   |  tag = hash >> 24 (40 bits)           |  arena index + 1    |
//   +---------------------------------------+--------------------+
//
// The home slot of a hash is (hash >> 32) * slot_count >> 32: the top 32 bits of the tag,
// so a slot's home can be recomputed from the slot alone. Probing is linear, one 8-byte
// slot per step (eight per cache line); a tag match is confirmed by comparing the key in
// the arena, which the 40-bit tag makes almost always the only arena access.
//
// Erase uses backward-shift deletion: later slots of the cluster move up when their home
// allows it, so there are no tombstones and probe lengths after hours of churn equal those
// of a fresh table. The arena stays dense: erasing record i moves the last record into i
// and repoints its slot, so sweeps and snapshots walk [0, size) without holes.
//
// The counters and healths follow the arena's moves; with -f, a parallel array of FastRateRings does; on the screen,
// one of AverageRings likewise. One of ConnectionSide is always there, written and moved
// only for the connections has_side names (GTP-U, deep VLAN stacks), so its pages stay
// untouched without them. A key may be held by
// several records (GTP-U bearers of one inner 4-tuple: find_if tells them apart).
//
// Capacity per table is at most 2^24 - 1 records (24 index bits); a shard never needs more.
/// Where a table's arrays are: fixed from construction on. A hot loop copies it into a
/// local once; read through the table, these members are loaded again after every store
/// into a record, which the compiler cannot prove does not overwrite them.
struct FlowTableArrays {
  static constexpr uint32_t npos = UINT32_MAX;
  static constexpr unsigned index_bits = 24;
  static constexpr uint64_t index_mask = (uint64_t(1) << index_bits) - 1;

  uint64_t* slots = nullptr;
  Connection* arena = nullptr;
  ConnectionCounters* counters = nullptr;
  TcpHealth* healths = nullptr;
  FastRateRings* fast_rates = nullptr;  ///< null without -f
  AverageRings* averages = nullptr;     ///< null unless the 10 s and 40 s averages are kept
  ConnectionSide* sides = nullptr;      ///< valid where has_side(key)
  uint64_t slot_count = 0;

  /// Home slot of a hash, or of an occupied slot (its tag keeps the hash's top 32 bits).
  uint64_t home_of(uint64_t hash) const noexcept { return ((hash >> 32) * slot_count) >> 32; }
  uint64_t next(uint64_t pos) const noexcept { return pos + 1 == slot_count ? 0 : pos + 1; }

  /// Arena index of key, or npos.
  uint32_t find(const decode::FlowKey& key, uint64_t hash) const noexcept {
    for (uint64_t pos = home_of(hash);; pos = next(pos)) {
      const uint64_t slot = slots[pos];
      if (slot == 0) return npos;
      if ((slot >> index_bits) == (hash >> index_bits)) {
        const uint32_t index = uint32_t(slot & index_mask) - 1;
        if (arena[index].key == key) return index;
      }
    }
  }

  /// Arena index of the first record of key that accept(index) takes, or npos.
  template <class Accept>
  uint32_t find_if(const decode::FlowKey& key, uint64_t hash, const Accept& accept) const noexcept {
    for (uint64_t pos = home_of(hash);; pos = next(pos)) {
      const uint64_t slot = slots[pos];
      if (slot == 0) return npos;
      if ((slot >> index_bits) == (hash >> index_bits)) {
        const uint32_t index = uint32_t(slot & index_mask) - 1;
        if (arena[index].key == key && accept(index)) return index;
      }
    }
  }

  /// Arena index of the first record whose tag matches hash, or npos: reads only the index,
  /// so a batch can locate records and prefetch them before comparing keys.
  uint32_t candidate(uint64_t hash) const noexcept {
    for (uint64_t pos = home_of(hash);; pos = next(pos)) {
      const uint64_t slot = slots[pos];
      if (slot == 0) return npos;
      if ((slot >> index_bits) == (hash >> index_bits)) return uint32_t(slot & index_mask) - 1;
    }
  }

  Connection& at(uint32_t index) const noexcept { return arena[index]; }
  ConnectionCounters& counters_of(uint32_t index) const noexcept { return counters[index]; }
  TcpHealth& health_of(uint32_t index) const noexcept { return healths[index]; }
  FastRateRings* fast_rates_of(uint32_t index) const noexcept { return fast_rates ? &fast_rates[index] : nullptr; }
  AverageRings* averages_of(uint32_t index) const noexcept { return averages ? &averages[index] : nullptr; }

  /// Brings the home slot of hash toward the cache ahead of find/insert (batched lookups).
  void prefetch_slot(uint64_t hash) const noexcept { __builtin_prefetch(&slots[home_of(hash)]); }
  void prefetch_record(uint32_t index) const noexcept {
    // Every line of the record: key and times, counters, health.
    static_assert(sizeof(Connection) == 64 && sizeof(ConnectionCounters) == 64 && sizeof(TcpHealth) == 64);
    __builtin_prefetch(&arena[index]);
    __builtin_prefetch(&counters[index]);
    __builtin_prefetch(&healths[index]);
  }
};

class FlowTable {
 public:
  static constexpr uint32_t npos = FlowTableArrays::npos;
  static constexpr uint32_t max_capacity = (1u << 24) - 1;

  /// capacity: records the table can hold (1..max_capacity). with_fast_rates: keep -f rings;
  /// with_averages: keep the averages' rings.
  FlowTable(uint32_t capacity, bool with_fast_rates, bool with_averages = false);

  uint32_t size() const noexcept { return _size; }
  uint32_t capacity() const noexcept { return _capacity; }
  bool full() const noexcept { return _size == _capacity; }
  const FlowTableArrays& arrays() const noexcept { return _arrays; }

  /// Arena index of key, or npos.
  uint32_t find(const decode::FlowKey& key, uint64_t hash) const noexcept { return _arrays.find(key, hash); }

  /// Inserts key (table not full; a GTP-U key may be there already) with a zeroed record
  /// (its side is the caller's to set); returns its arena index.
  uint32_t insert(const decode::FlowKey& key, uint64_t hash) noexcept;

  /// Removes the record at arena index; hash is its key's hash. The last record moves into
  /// index (its hash is recomputed by the caller-provided hasher), so indices above change.
  template <class Hasher>
  void erase(uint32_t index, uint64_t hash, const Hasher& hasher) noexcept {
    const uint32_t last = _size - 1;
    remove_slot(slot_pointing_to(index, hash));
    if (index != last) {
      const uint64_t moved_hash = hasher(_arrays.arena[last].key);
      _arrays.slots[slot_pointing_to(last, moved_hash)] = tag_of(moved_hash) | (uint64_t(index) + 1);
      _arrays.arena[index] = _arrays.arena[last];
      _arrays.counters[index] = _arrays.counters[last];
      _arrays.healths[index] = _arrays.healths[last];
      if (_arrays.fast_rates) _arrays.fast_rates[index] = _arrays.fast_rates[last];
      if (_arrays.averages) _arrays.averages[index] = _arrays.averages[last];
      if (has_side(_arrays.arena[index].key)) _arrays.sides[index] = _arrays.sides[last];
    }
    _size = last;
  }

  Connection& at(uint32_t index) noexcept { return _arrays.arena[index]; }
  const Connection& at(uint32_t index) const noexcept { return _arrays.arena[index]; }
  ConnectionCounters& counters(uint32_t index) noexcept { return _arrays.counters[index]; }
  const ConnectionCounters& counters(uint32_t index) const noexcept { return _arrays.counters[index]; }
  TcpHealth& health(uint32_t index) noexcept { return _arrays.healths[index]; }
  const TcpHealth& health(uint32_t index) const noexcept { return _arrays.healths[index]; }
  FastRateRings* fast_rates(uint32_t index) noexcept { return _arrays.fast_rates_of(index); }
  const FastRateRings* fast_rates(uint32_t index) const noexcept { return _arrays.fast_rates_of(index); }
  AverageRings* averages(uint32_t index) noexcept { return _arrays.averages_of(index); }
  const AverageRings* averages(uint32_t index) const noexcept { return _arrays.averages_of(index); }
  ConnectionSide& side(uint32_t index) noexcept { return _arrays.sides[index]; }
  const ConnectionSide& side(uint32_t index) const noexcept { return _arrays.sides[index]; }

  /// Distance of every occupied slot from its home: [0..15] exact, [16] = 16 or more.
  std::array<uint64_t, 17> probe_length_histogram() const noexcept;

 private:
  static uint64_t tag_of(uint64_t hash) noexcept { return hash & ~FlowTableArrays::index_mask; }
  uint64_t slot_pointing_to(uint32_t index, uint64_t hash) const noexcept;
  void remove_slot(uint64_t pos) noexcept;

  uint32_t _capacity;
  uint32_t _size = 0;
  // Zeroed mappings: the pages of a large, mostly empty table stay untouched until used.
  os::ZeroedMemory _slot_memory;
  os::ZeroedMemory _arena_memory;
  os::ZeroedMemory _counter_memory;
  os::ZeroedMemory _health_memory;
  os::ZeroedMemory _fast_rate_memory;
  os::ZeroedMemory _average_memory;
  os::ZeroedMemory _side_memory;
  FlowTableArrays _arrays;
};

}  // namespace ringtrack::flow
