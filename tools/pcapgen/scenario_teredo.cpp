// Owns: the `teredo` scenario: IPv6 connections in Teredo (UDP 3544) through two relays,
// with and without an origin indication, one 4-tuple also outside any tunnel.
// Does not own: Teredo bytes (tunnel_wrap) or scheduling (interleaver).
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"
#include "tunnel_session.hpp"

namespace ringtrack::pcapgen {

void run_teredo(ScenarioContext& context) {
  Rng random = context.random.fork(21);
  std::vector<TcpSession> sessions;
  ScriptBook book;
  const frames::IpAddress client_nat = frames::IpAddress::v4(203, 0, 113, 7);
  const frames::IpAddress relay_a = frames::IpAddress::v4(192, 0, 2, 50);
  const frames::IpAddress relay_b = frames::IpAddress::v4(198, 51, 100, 50);
  const auto teredo = [&](const frames::IpAddress& relay, uint32_t origin) {
    TunnelPath path;
    path.push(tunnel_layer(TunnelLayerKind::teredo, client_nat, relay, origin));
    return path;
  };
  const frames::IpAddress client = client_host(true, 1), server = server_host(true, 0);
  // One 4-tuple through relay A, through relay B (with an origin indication), and plain.
  add_tunnelled_session(sessions, book, client, 40001, server, 443, teredo(relay_a, 0), 0, random);
  add_tunnelled_session(sessions, book, client, 40001, server, 443, teredo(relay_b, 1), 0, random);
  add_tunnelled_session(sessions, book, client, 40001, server, 443, TunnelPath{}, 0, random);
  // Others, one 4-tuple each.
  for (uint32_t i = 0; i < 4; ++i) {
    add_tunnelled_session(sessions, book, client_host(true, 2 + i), uint16_t(41000 + i), server_host(true, 1 + i),
                          server_port(i), teredo(i % 2 ? relay_a : relay_b, i % 2), 0, random);
  }
  Interleaver runner(sessions, book, static_cast<uint32_t>(sessions.size()), context.random.fork(22));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
