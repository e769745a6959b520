// Owns: FlowTable allocation, insertion, backward-shift slot removal and its statistics.
// Does not own: lookups (inline in the header, on the hot path).
#include "flow/flow_table.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "os/setup_error.hpp"

namespace ringtrack::flow {
FlowTable::FlowTable(uint32_t capacity, bool with_fast_rates, bool with_averages)
    : _capacity(capacity) {
  if (capacity == 0 || capacity > max_capacity)
    throw std::invalid_argument("flow table capacity per shard must be 1.." +
                                std::to_string(max_capacity) + ", got " + std::to_string(capacity));
  _arrays.slot_count = uint64_t(capacity) * 2;
  try {
    _slot_memory = os::ZeroedMemory(_arrays.slot_count * sizeof(uint64_t));
    _arena_memory = os::ZeroedMemory(std::size_t(capacity) * sizeof(Connection));
    _counter_memory = os::ZeroedMemory(std::size_t(capacity) * sizeof(ConnectionCounters));
    _health_memory = os::ZeroedMemory(std::size_t(capacity) * sizeof(TcpHealth));
    if (with_fast_rates) _fast_rate_memory = os::ZeroedMemory(std::size_t(capacity) * sizeof(FastRateRings));
    if (with_averages) _average_memory = os::ZeroedMemory(std::size_t(capacity) * sizeof(AverageRings));
    _side_memory = os::ZeroedMemory(std::size_t(capacity) * sizeof(ConnectionSide));
  } catch (const SetupError& e) {
    throw SetupError(std::string("flow table of ") + std::to_string(capacity) + " connections: " + e.what() +
                     " (lower --max-flows)");
  }
  _arrays.slots = static_cast<uint64_t*>(_slot_memory.get());
  _arrays.arena = static_cast<Connection*>(_arena_memory.get());
  _arrays.counters = static_cast<ConnectionCounters*>(_counter_memory.get());
  _arrays.healths = static_cast<TcpHealth*>(_health_memory.get());
  if (with_fast_rates) _arrays.fast_rates = static_cast<FastRateRings*>(_fast_rate_memory.get());
  if (with_averages) _arrays.averages = static_cast<AverageRings*>(_average_memory.get());
  _arrays.sides = static_cast<ConnectionSide*>(_side_memory.get());
}

uint32_t FlowTable::insert(const decode::FlowKey& key, uint64_t hash) noexcept {
  const uint32_t index = _size++;
  uint64_t pos = _arrays.home_of(hash);
  while (_arrays.slots[pos] != 0) pos = _arrays.next(pos);
  _arrays.slots[pos] = tag_of(hash) | (uint64_t(index) + 1);
  Connection& c = _arrays.arena[index];
  std::memset(static_cast<void*>(&c), 0, sizeof c);
  c.key = key;
  std::memset(static_cast<void*>(&_arrays.counters[index]), 0, sizeof(ConnectionCounters));
  std::memset(static_cast<void*>(&_arrays.healths[index]), 0, sizeof(TcpHealth));
  if (_arrays.fast_rates) std::memset(&_arrays.fast_rates[index], 0, sizeof(FastRateRings));
  if (_arrays.averages) std::memset(&_arrays.averages[index], 0, sizeof(AverageRings));
  return index;
}

uint64_t FlowTable::slot_pointing_to(uint32_t index, uint64_t hash) const noexcept {
  const uint64_t want = uint64_t(index) + 1;
  uint64_t pos = _arrays.home_of(hash);
  while ((_arrays.slots[pos] & FlowTableArrays::index_mask) != want) pos = _arrays.next(pos);
  return pos;
}

void FlowTable::remove_slot(uint64_t hole) noexcept {
  // Backward shift: walk the cluster after the hole; a slot whose home is not cyclically
  // within (hole, pos] can move into the hole without breaking its own probe path.
  for (uint64_t pos = _arrays.next(hole);; pos = _arrays.next(pos)) {
    const uint64_t slot = _arrays.slots[pos];
    if (slot == 0) break;
    const uint64_t home = _arrays.home_of(slot);
    const bool home_in_between = hole <= pos ? (hole < home && home <= pos)
                                             : (hole < home || home <= pos);
    if (!home_in_between) {
      _arrays.slots[hole] = slot;
      hole = pos;
    }
  }
  _arrays.slots[hole] = 0;
}

std::array<uint64_t, 17> FlowTable::probe_length_histogram() const noexcept {
  std::array<uint64_t, 17> histogram{};
  for (uint64_t pos = 0; pos < _arrays.slot_count; ++pos) {
    const uint64_t slot = _arrays.slots[pos];
    if (slot == 0) continue;
    const uint64_t home = _arrays.home_of(slot);
    const uint64_t distance = pos >= home ? pos - home : pos + _arrays.slot_count - home;
    ++histogram[distance < 16 ? distance : 16];
  }
  return histogram;
}

}  // namespace ringtrack::flow
