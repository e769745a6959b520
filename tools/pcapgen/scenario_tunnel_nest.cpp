// Owns: the `tunnel-nest` scenario: tunnels inside tunnels, two to four deep (VXLAN in
// GRE, GTP-U in 4in6, Geneve in VXLAN in GRE in IPIP, 4in6 in Teredo), a VLAN tag outside
// one of them on links that carry tags.
// Does not own: tunnel bytes (tunnel_wrap) or scheduling (interleaver).
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"
#include "tunnel_session.hpp"

namespace ringtrack::pcapgen {

void run_tunnel_nest(ScenarioContext& context) {
  Rng random = context.random.fork(25);
  std::vector<TcpSession> sessions;
  ScriptBook book;
  using frames::IpAddress;
  using Kind = TunnelLayerKind;
  const auto v4 = [](uint8_t net, uint8_t host) { return IpAddress::v4(172, 16, net, host); };
  const auto v6 = [](uint16_t host) { return IpAddress::v6({0x2001, 0x0db8, 0xfe, 0, 0, 0, 0, host}); };

  TunnelPath vxlan_in_gre;
  vxlan_in_gre.push(tunnel_layer(Kind::gre, v4(0, 1), v4(0, 2), 9));
  vxlan_in_gre.push(tunnel_layer(Kind::vxlan, v4(1, 1), v4(1, 2), 5000));
  TunnelPath gtp_in_4in6;
  gtp_in_4in6.push(tunnel_layer(Kind::ipip, v6(1), v6(2)));
  gtp_in_4in6.push(tunnel_layer(Kind::gtpu, v4(2, 1), v4(2, 2), 0, 0x77, 0x88));
  TunnelPath four_deep;
  four_deep.push(tunnel_layer(Kind::ipip, v4(3, 1), v4(3, 2)));
  four_deep.push(tunnel_layer(Kind::gre, v4(4, 1), v4(4, 2)));
  four_deep.push(tunnel_layer(Kind::vxlan, v4(5, 1), v4(5, 2), 42));
  four_deep.push(tunnel_layer(Kind::geneve, v4(6, 1), v4(6, 2), 43));
  TunnelPath in_teredo;
  in_teredo.push(tunnel_layer(Kind::teredo, v4(7, 1), v4(7, 2), 1));
  in_teredo.push(tunnel_layer(Kind::ipip, v6(3), v6(4)));

  const uint16_t vlan = frames::link_carries_vlan_tags(context.traffic.link) ? 30 : 0;
  add_tunnelled_session(sessions, book, client_host(false, 1), 40001, server_host(false, 0), 80, vxlan_in_gre, vlan, random);
  add_tunnelled_session(sessions, book, client_host(false, 2), 40002, server_host(false, 1), 443, gtp_in_4in6, 0, random);
  add_tunnelled_session(sessions, book, client_host(true, 3), 40003, server_host(true, 2), 22, four_deep, 0, random);
  add_tunnelled_session(sessions, book, client_host(false, 4), 40004, server_host(false, 3), 25, in_teredo, 0, random);
  // The first 4-tuple again, one tunnel less deep: another connection.
  TunnelPath gre_only;
  gre_only.push(vxlan_in_gre.layers[0]);
  add_tunnelled_session(sessions, book, client_host(false, 1), 40001, server_host(false, 0), 80, gre_only, vlan, random);
  Interleaver runner(sessions, book, static_cast<uint32_t>(sessions.size()), context.random.fork(26));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
