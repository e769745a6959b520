// Owns: what a packet's way through tunnels leaves for its key: how deep it went, the
// innermost tunnel's identity, and the running hash that becomes the key's tunnel id.
// Does not own: reading tunnel headers (tunnel_decoder) or the key's layout (flow_key).
#pragma once

#include <cstdint>

#include "decode/flow_key.hpp"
#include "decode/tunnel_identity.hpp"
#include "decode/tunnel_kind.hpp"

namespace ringtrack::decode {

/// One per decoded frame, on the decoder's stack; every tunnel and VLAN stack met on the
/// way in is folded into state, in order, so the same path always gives the same id.
struct TunnelTrail {
  /// Tunnels inside tunnels are decoded this deep; a fifth is tunnel_too_deep. Real
  /// networks nest two (VXLAN over GRE, GTP-U over IPsec-less IPIP); four bounds a hostile frame.
  static constexpr unsigned max_depth = 4;

  uint64_t state = 0;
  uint8_t depth = 0;         ///< tunnels entered
  /// What output may show of the last one (its id is the caller's); only its kind is set
  /// until a tunnel is entered: every frame of the general path makes a trail, few enter one.
  TunnelIdentity innermost;

  TunnelTrail() noexcept { innermost.kind = TunnelKind::none; }

  /// Folds one 64-bit word into the state (a multiply-xorshift round, as splitmix64's
  /// finaliser: every input bit reaches every output bit).
  void fold(uint64_t word) noexcept {
    uint64_t h = (state ^ word) + 0x9e3779b97f4a7c15ull;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    state = h ^ (h >> 31);
  }
  /// Folds a VLAN stack (the key's outer three ids and the depth met).
  void fold_vlans(const uint16_t* ids, unsigned vlan_depth) noexcept {
    if (vlan_depth == 0) return;
    const unsigned held = vlan_depth < FlowKey::max_vlan_depth ? vlan_depth : FlowKey::max_vlan_depth;
    fold(0x766c616e00000000ull | pack_vlan_stack(ids, held));
  }
  /// FlowKey::meta for a packet at the end of this trail, with the VLAN stack met after
  /// the innermost tunnel (inner Ethernet's tags); 0 when no tunnel was entered.
  uint64_t key_meta(const uint16_t* inner_vlan_ids, unsigned inner_vlan_depth) const noexcept {
    TunnelTrail last = *this;
    last.fold_vlans(inner_vlan_ids, inner_vlan_depth);
    const uint32_t id = uint32_t(last.state ^ (last.state >> 32));
    return pack_tunnel(id, static_cast<unsigned>(innermost.kind));
  }
};

}  // namespace ringtrack::decode
