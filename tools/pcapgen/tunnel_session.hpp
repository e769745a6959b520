// Owns: the session every tunnel scenario adds: a 4-tuple, its tunnels and optional VLAN
// tags, and a short script (handshake, an exchange, a close) sized by its index.
// Does not own: tunnel bytes (tunnel_wrap) or which tunnels a scenario picks (scenario_*).
#pragma once

#include <cstdint>
#include <vector>

#include "frames/ip_address.hpp"
#include "rng.hpp"
#include "script_book.hpp"
#include "tcp_session.hpp"
#include "tunnel_path.hpp"

namespace ringtrack::pcapgen {

/// A tunnel layer between two addresses; for GTP-U, teid_c2s and teid_s2c are what each side receives on.
TunnelLayer tunnel_layer(TunnelLayerKind kind, const frames::IpAddress& client_side,
                         const frames::IpAddress& server_side, uint32_t key = 0, uint32_t teid_c2s = 0,
                         uint32_t teid_s2c = 0) noexcept;

/// Adds a session client:client_port -> server:port through path (depth 0: none), with
/// vlan_id on its outermost link header when non-zero. Sessions that share a 4-tuple get
/// different script lengths (from random), so each one's counts tell it apart.
void add_tunnelled_session(std::vector<TcpSession>& sessions, ScriptBook& book, const frames::IpAddress& client,
                           uint16_t client_port, const frames::IpAddress& server, uint16_t port,
                           const TunnelPath& path, uint16_t vlan_id, Rng& random);

}  // namespace ringtrack::pcapgen
