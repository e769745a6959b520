// Owns: the TEIDs a GTP-U connection was seen with, and the rule that finds a packet's
// connection among those of one key (one inner 4-tuple between the same two gateways).
// Does not own: where they are kept (flow_table's side array) or the TEIDs' decoding.
#pragma once

#include <array>
#include <cstdint>

#include "decode/flow_key.hpp"
#include "decode/packet_record.hpp"
#include "decode/tunnel_kind.hpp"

namespace ringtrack::flow {

/// Each GTP-U end names a bearer by the TEID it receives on, so the TEIDs are not in the key
/// (the two directions of one connection carry different ones), and two subscribers with
/// the same inner address and port behind the same gateways share a key. A connection
/// keeps the TEID it saw each way; a packet belongs to the one whose TEID its way is the
/// packet's, else to one that has seen no TEID its way yet.
struct GtpBearer {
  std::array<uint32_t, 2> teid;  ///< [0]: on packets sent to outer endpoint b; [1]: to a; 0: none yet
};

inline bool is_gtpu(const decode::FlowKey& key) noexcept {
  return key.tunnel_kind() == static_cast<unsigned>(decode::TunnelKind::gtpu);
}

/// The slot of bearer that packet's way fills.
inline unsigned bearer_way(const decode::PacketRecord& packet) noexcept { return packet.gtp_to_outer_b ? 0u : 1u; }

}  // namespace ringtrack::flow
