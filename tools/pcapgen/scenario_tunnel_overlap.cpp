// Owns: the `tunnel-overlap` scenario: one inner 4-tuple (10.0.0.5:40000 -> 192.0.2.80:80)
// in two VXLAN VNIs between the same VTEPs, two GTP-U tunnels (two serving gateways, each
// direction its own TEID), a keyed GRE tunnel and no tunnel: six connections.
// Does not own: tunnel bytes (tunnel_wrap) or scheduling (interleaver).
#include <vector>

#include "interleaver.hpp"
#include "scenarios.hpp"
#include "tunnel_session.hpp"

namespace ringtrack::pcapgen {

void run_tunnel_overlap(ScenarioContext& context) {
  Rng random = context.random.fork(23);
  std::vector<TcpSession> sessions;
  ScriptBook book;
  using frames::IpAddress;
  const IpAddress vtep_a = IpAddress::v4(172, 16, 0, 1), vtep_b = IpAddress::v4(172, 16, 0, 2);
  const IpAddress sgw_1 = IpAddress::v4(172, 17, 0, 1), sgw_2 = IpAddress::v4(172, 17, 0, 2);
  const IpAddress pgw = IpAddress::v4(172, 17, 1, 1);
  const auto one = [](const TunnelLayer& layer) {
    TunnelPath path;
    path.push(layer);
    return path;
  };
  const TunnelPath paths[] = {
      one(tunnel_layer(TunnelLayerKind::vxlan, vtep_a, vtep_b, 100)),
      one(tunnel_layer(TunnelLayerKind::vxlan, vtep_a, vtep_b, 200)),
      one(tunnel_layer(TunnelLayerKind::gtpu, sgw_1, pgw, 0, 0x2001, 0x1001)),
      one(tunnel_layer(TunnelLayerKind::gtpu, sgw_2, pgw, 0, 0x2002, 0x1002)),
      one(tunnel_layer(TunnelLayerKind::gre, vtep_a, vtep_b, 7)),
      TunnelPath{},
  };
  const IpAddress subscriber = IpAddress::v4(10, 0, 0, 5), server = IpAddress::v4(192, 0, 2, 80);
  for (const TunnelPath& path : paths) {
    add_tunnelled_session(sessions, book, subscriber, 40000, server, 80, path, 0, random);
  }
  Interleaver runner(sessions, book, static_cast<uint32_t>(sessions.size()), context.random.fork(24));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
