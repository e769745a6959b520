// Owns: the VLAN stacks deeper than a key holds that one shard was told of, by stack id,
// until a connection that starts with one keeps its tags (connection_side).
// Does not own: the ids (decode/vlan_stack) or telling the shard (runtime/record_router).
#pragma once

#include <cstdint>

#include "decode/vlan_stack.hpp"
#include "os/zeroed_memory.hpp"

namespace ringtrack::flow {

/// As the tunnel book: a reader tells each stack once, a shard's connections share few
/// stacks, so they are kept once each in 1024 direct-mapped slots by id (24 KiB, touched
/// only as stacks are told of). A stack told of later takes a slot from an older one whose
/// id lands there; a connection that starts after its stack lost the slot lists the key's
/// outer three tags alone. Owned by the shard's thread.
class VlanStackBook {
 public:
  static constexpr uint32_t slots = 1024;

  /// Throws SetupError when the memory cannot be had.
  VlanStackBook()
      : _memory(slots * sizeof(decode::VlanStack)), _entries(static_cast<decode::VlanStack*>(_memory.get())) {}

  void learn(const decode::VlanStack& stack) noexcept { _entries[stack.id % slots] = stack; }

  /// The stack of id, or null (id 0: none; or its slot was taken).
  const decode::VlanStack* find(uint32_t id) const noexcept {
    const decode::VlanStack& entry = _entries[id % slots];
    return id != 0 && entry.id == id ? &entry : nullptr;
  }

 private:
  os::ZeroedMemory _memory;  // zero bytes: every slot empty (id 0)
  decode::VlanStack* _entries;
};

}  // namespace ringtrack::flow
