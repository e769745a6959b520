// Owns: the `gtp-bearers` scenario: one inner 4-tuple (10.0.0.5:40000 -> 192.0.2.80:443)
// on three GTP-U bearers behind the same two gateways (IPv4) and on two more behind a pair
// of IPv6 gateways: subscribers of different APNs with the same address, told apart only
// by their TEIDs (each direction its own). Five connections, interleaved.
// Does not own: tunnel bytes (tunnel_wrap) or scheduling (interleaver).
#include <vector>

#include "interleaver.hpp"
#include "scenarios.hpp"
#include "tunnel_session.hpp"

namespace ringtrack::pcapgen {

void run_gtp_bearers(ScenarioContext& context) {
  Rng random = context.random.fork(25);
  std::vector<TcpSession> sessions;
  ScriptBook book;
  using frames::IpAddress;
  const IpAddress enb = IpAddress::v4(172, 18, 0, 1), upf = IpAddress::v4(172, 18, 1, 1);
  const IpAddress enb6 = IpAddress::v6({0x2001, 0xdb8, 0x18, 0, 0, 0, 0, 1});
  const IpAddress upf6 = IpAddress::v6({0x2001, 0xdb8, 0x18, 0, 0, 0, 0, 2});
  const IpAddress subscriber = IpAddress::v4(10, 0, 0, 5), server = IpAddress::v4(192, 0, 2, 80);
  const auto bearer = [&](const IpAddress& access, const IpAddress& core, uint32_t n) {
    TunnelPath path;
    path.push(tunnel_layer(TunnelLayerKind::gtpu, access, core, 0, 0x3000 + n, 0x4000 + n));
    add_tunnelled_session(sessions, book, subscriber, 40000, server, 443, path, 0, random);
  };
  for (uint32_t n = 1; n <= 3; ++n) bearer(enb, upf, n);
  for (uint32_t n = 4; n <= 5; ++n) bearer(enb6, upf6, n);
  Interleaver runner(sessions, book, static_cast<uint32_t>(sessions.size()), context.random.fork(26));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
