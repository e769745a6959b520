// Owns: what one shard knows of the tunnels its connections came out of, by tunnel id, for
// output: kind, outer endpoints, GRE key / VNI / ERSPAN session, GTP-U TEIDs.
// Does not own: the ids (decode/tunnel_trail) or telling the shard (runtime/record_router).
#pragma once

#include <cstdint>

#include "decode/tunnel_identity.hpp"
#include "os/zeroed_memory.hpp"

namespace ringtrack::flow {

/// The connection record has no room for a tunnel's 52 bytes and its key holds only a
/// hash of them; a connection's tunnel never changes, and a shard's connections share few
/// tunnels, so the shard keeps them once each: 4096 direct-mapped slots by id (208 KiB,
/// mapped with the shard and touched only as tunnels are told of, as the flow table is). A tunnel told of later takes a slot from an older one whose
/// id lands there; a row whose tunnel lost its slot shows the key's kind and id alone.
/// Owned by the shard's thread.
class TunnelBook {
 public:
  static constexpr uint32_t slots = 4096;

  /// Throws SetupError when the memory cannot be had.
  TunnelBook()
      : _memory(slots * sizeof(decode::TunnelIdentity)),
        _entries(static_cast<decode::TunnelIdentity*>(_memory.get())) {}

  void learn(const decode::TunnelIdentity& tunnel) noexcept {
    decode::TunnelIdentity& entry = _entries[tunnel.id % slots];
    if (entry.id != tunnel.id || entry.kind != tunnel.kind) {
      entry = tunnel;
      return;
    }
    // The same tunnel again: GTP-U's other direction brings the other TEID.
    for (unsigned d = 0; d < 2; ++d) {
      if (tunnel.teid_seen & (1u << d)) entry.teid[d] = tunnel.teid[d];
    }
    entry.teid_seen |= tunnel.teid_seen;
  }

  /// What is known of tunnel id of kind: at least the id and kind.
  decode::TunnelIdentity find(uint32_t id, decode::TunnelKind kind) const noexcept {
    const decode::TunnelIdentity& entry = _entries[id % slots];
    if (entry.id == id && entry.kind == kind) return entry;
    decode::TunnelIdentity known{};
    known.id = id;
    known.kind = kind;
    return known;
  }

 private:
  os::ZeroedMemory _memory;  // zero bytes: every slot empty (kind none)
  decode::TunnelIdentity* _entries;
};

}  // namespace ringtrack::flow
