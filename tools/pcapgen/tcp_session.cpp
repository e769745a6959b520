// Owns: initialising a session's per-side counters.
// Does not own: any later change to them (session_traffic).
#include "tcp_session.hpp"

namespace ringtrack::pcapgen {
namespace {

TcpEndpoint make_endpoint(const frames::IpAddress& ip, uint16_t port, uint8_t role, Rng& random) noexcept {
  TcpEndpoint endpoint;
  endpoint.ip = ip;
  endpoint.mac = frames::mac_for(ip, role);
  endpoint.port = port;
  endpoint.isn = random.next32();
  endpoint.snd_nxt = endpoint.isn;
  endpoint.ipv4_id = static_cast<uint16_t>(random.next32());
  endpoint.fragment_id = random.next32();
  endpoint.flow_label = random.next32() & 0xFFFFF;
  endpoint.ts_base = random.next32();
  return endpoint;
}

}  // namespace

TcpSession make_session(const frames::IpAddress& client_ip, uint16_t client_port, const frames::IpAddress& server_ip,
                        uint16_t server_port, Rng& random) noexcept {
  TcpSession session;
  session.client = make_endpoint(client_ip, client_port, 0, random);
  session.server = make_endpoint(server_ip, server_port, 1, random);
  // Server frames look routed (a few hops away); client frames leave the capture host.
  session.server.ttl = 57;
  session.server.window = 509;
  return session;
}

}  // namespace ringtrack::pcapgen
