// Owns: a VLAN stack as output shows it (every tag, up to eight) and the id a record names
// it by when the key holds only its outer three.
// Does not own: the key's packing of the outer three (flow_key) or where stacks are kept
// (flow/vlan_stack_book).
#pragma once

#include <array>
#include <cstdint>

namespace ringtrack::decode {

/// Flat, 24 bytes, trivial: told to a shard beside the records, as tunnels are.
struct VlanStack {
  /// Most tags a decodable frame carries: carrier stacks (QinQinQ) go to three, the key
  /// holds the outer three, and eight bounds the walk for a hostile frame.
  static constexpr unsigned max_depth = 8;

  uint32_t id;                             ///< vlan_stack_id of the stack
  uint8_t depth;                           ///< tags met, outermost first in ids
  std::array<uint16_t, max_depth> ids;
};

static_assert(sizeof(VlanStack) == 24, "flat and small: sixteen ride in a record batch");

/// The id of a stack deeper than the key's three (a multiply-xorshift of the ids and the
/// depth): never 0, which a record's vlan_stack_id keeps for "the key holds the whole stack".
constexpr uint32_t vlan_stack_id(const uint16_t* ids, unsigned depth) noexcept {
  uint64_t h = depth;
  for (unsigned i = 0; i < depth; ++i) {
    h = (h ^ ids[i]) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 29;
  }
  const uint32_t id = uint32_t(h ^ (h >> 32));
  return id != 0 ? id : 1;
}

}  // namespace ringtrack::decode
