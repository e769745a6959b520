// Owns: building tunnel scenarios' sessions and their scripts.
// Does not own: the scenarios' choice of tunnels.
#include "tunnel_session.hpp"

#include "frames/link_layer.hpp"

namespace ringtrack::pcapgen {

TunnelLayer tunnel_layer(TunnelLayerKind kind, const frames::IpAddress& client_side,
                         const frames::IpAddress& server_side, uint32_t key, uint32_t teid_c2s,
                         uint32_t teid_s2c) noexcept {
  TunnelLayer layer;
  layer.kind = kind;
  layer.client_side = client_side;
  layer.server_side = server_side;
  layer.key = key;
  layer.teid[0] = teid_c2s;
  layer.teid[1] = teid_s2c;
  return layer;
}

void add_tunnelled_session(std::vector<TcpSession>& sessions, ScriptBook& book, const frames::IpAddress& client,
                           uint16_t client_port, const frames::IpAddress& server, uint16_t port,
                           const TunnelPath& path, uint16_t vlan_id, Rng& random) {
  sessions.push_back(make_session(client, client_port, server, port, random));
  TcpSession& session = sessions.back();
  session.tunnels = path;
  if (vlan_id != 0) session.vlans.push(frames::tpid_8021q, vlan_id);
  // Payloads well under any tunnel's 16-bit lengths, four layers of headers included.
  const uint32_t mss = 1200;
  book.open(session);
  book.handshake();
  book.exchange(random, random.between(1, 4), 6000, mss);
  book.close_three_way(random.one_in(2) ? Direction::c2s : Direction::s2c);
  book.close(session);
}

}  // namespace ringtrack::pcapgen
