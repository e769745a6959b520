// Owns: the eight bytes kept beside a connection record for the few connections whose
// identity needs more than the key (a GTP-U bearer's TEIDs, a deep VLAN stack's tags).
// Does not own: where they are kept (flow_table's side array) or what fills them (flow_shard).
#pragma once

#include <cstdint>

#include "decode/flow_key.hpp"
#include "decode/vlan_stack.hpp"
#include "flow/gtp_bearer.hpp"

namespace ringtrack::flow {

/// The tags of a VLAN stack beyond the key's outer three (a stack of four to eight): 12 bits
/// each, the fourth tag lowest, and how many in the top four bits. Output lists them; the
/// identity is the outer three (Suricata's depth).
struct DeeperVlans {
  static constexpr unsigned max_count = decode::VlanStack::max_depth - decode::FlowKey::max_vlan_depth;
  uint64_t packed;

  unsigned count() const noexcept { return unsigned(packed >> 60); }
  uint16_t id(unsigned i) const noexcept { return uint16_t((packed >> (12 * i)) & 0xfffu); }

  /// Those of stack beyond its outer three (none when stack is null).
  static DeeperVlans of(const decode::VlanStack* stack) noexcept {
    DeeperVlans deeper{0};
    if (stack == nullptr || stack->depth <= decode::FlowKey::max_vlan_depth) return deeper;
    const unsigned count = stack->depth - decode::FlowKey::max_vlan_depth;
    for (unsigned i = 0; i < count; ++i)
      deeper.packed |= uint64_t(stack->ids[decode::FlowKey::max_vlan_depth + i] & 0xfffu) << (12 * i);
    deeper.packed |= uint64_t(count) << 60;
    return deeper;
  }
};
static_assert(DeeperVlans::max_count * 12 <= 60, "the tags leave the count's four bits");

/// Which member holds follows from the key: has_side says whether either does.
union ConnectionSide {
  GtpBearer bearer;    ///< a GTP-U key
  DeeperVlans vlans;   ///< an untunnelled key holding three VLAN ids
};
static_assert(sizeof(ConnectionSide) == 8, "one word a record");

inline bool has_side(const decode::FlowKey& key) noexcept {
  return is_gtpu(key) || key.vlan_depth() == decode::FlowKey::max_vlan_depth;
}

}  // namespace ringtrack::flow
