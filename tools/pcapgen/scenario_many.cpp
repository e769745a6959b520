// Owns: the `many` scenario: N short request/response connections overlapping in time, all closed.
// Does not own: TCP mechanics (session_traffic) or scheduling (interleaver).
//
// Closes are client- or server-initiated, 3- or 4-way; every connection ends CLOSED.
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

// Up to 256 connections open at once: enough overlap that a flow table sees thousands of
// insertions and removals interleaved, small enough that each connection finishes quickly.
constexpr uint32_t max_active_sessions = 256;
constexpr uint32_t server_count = 50;

}  // namespace

void run_many(ScenarioContext& context) {
  const auto conns = static_cast<uint32_t>(context.options.conns.value_or(5000));
  const bool ipv6 = context.options.ipv6;
  const uint32_t mss = mss_payload_bytes(ipv6);
  Rng random = context.random.fork(13);
  std::vector<TcpSession> sessions;
  sessions.reserve(conns);
  ScriptBook book;
  for (uint32_t index = 0; index < conns; ++index) {
    const ClientEndpoint client = unique_client_endpoint(index);
    const uint32_t server = random.below(server_count);
    sessions.push_back(make_session(client_host(ipv6, client.host_index), client.port, server_host(ipv6, server),
                                    server_port(server), random));
    TcpSession& session = sessions.back();
    book.open(session);
    book.handshake();
    book.transfer(Direction::c2s, random.between(80, 700), mss);
    book.transfer(Direction::s2c, random.between(200, 6000), mss);
    switch (random.below(3)) {
      case 0: book.close_three_way(Direction::c2s); break;
      case 1: book.close_four_way(Direction::s2c); break;
      default: book.close_four_way(Direction::c2s); break;
    }
    book.close(session);
  }
  Interleaver runner(sessions, book, max_active_sessions, context.random.fork(14));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
