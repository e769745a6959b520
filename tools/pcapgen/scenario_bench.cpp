// Owns: the `bench` scenario: C concurrent connections, random data over them, exactly P frames.
// Does not own: TCP mechanics (session_traffic) or scheduling (interleaver).
//
// All C handshakes first (3C frames), then P - 6C data frames spread over the connections in
// seeded random order (ACK-only and 100..MSS-byte payloads, both directions), then every
// connection closes with FIN, FIN|ACK, ACK (3C frames). All C are open at the peak.
#include <string>
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

constexpr uint32_t frames_per_handshake = 3;
constexpr uint32_t frames_per_close = 3;
constexpr uint32_t handshakes_in_flight = 64;  // SYNs overlap like a busy accept queue
constexpr uint32_t server_count = 64;

constexpr uint64_t default_conns = 100000;
constexpr uint64_t default_packets = 1000000;

}  // namespace

void check_bench_options(const CliOptions& options) {
  const uint64_t conns = options.conns.value_or(default_conns);
  const uint64_t fixed_frames = conns * (frames_per_handshake + frames_per_close);
  if (options.packets.value_or(default_packets) < fixed_frames) {
    throw UsageError("bench needs --packets >= 6 x --conns (" + std::to_string(fixed_frames) +
                     ") for the handshakes and closes");
  }
}

void run_bench(ScenarioContext& context) {
  const uint64_t conns = context.options.conns.value_or(default_conns);
  const uint64_t packets = context.options.packets.value_or(default_packets);
  const uint64_t fixed_frames = conns * (frames_per_handshake + frames_per_close);
  const bool ipv6 = context.options.ipv6;
  const uint32_t mss = mss_payload_bytes(ipv6);
  Rng random = context.random.fork(15);

  std::vector<TcpSession> sessions;
  sessions.reserve(conns);
  ScriptBook opening;
  for (uint32_t index = 0; index < conns; ++index) {
    const ClientEndpoint client = unique_client_endpoint(index);
    const uint32_t server = index % server_count;
    sessions.push_back(make_session(client_host(ipv6, client.host_index), client.port, server_host(ipv6, server),
                                    server_port(server), random));
    opening.open(sessions.back());
    opening.handshake();
    opening.close(sessions.back());
  }
  Interleaver(sessions, opening, handshakes_in_flight, context.random.fork(16), false).run(context.traffic);

  const uint64_t data_frames = packets - fixed_frames;
  const auto session_count = static_cast<uint32_t>(conns);
  for (uint64_t frame = 0; frame < data_frames; ++frame) {
    TcpSession& session = sessions[random.below(session_count)];
    const Direction from = random.one_in(2) ? Direction::c2s : Direction::s2c;
    if (random.one_in(4)) {
      send_segment(context.traffic, session, TcpOp::ack, from);
    } else {
      send_segment(context.traffic, session, TcpOp::data, from, random.between(100, mss));
    }
  }

  ScriptBook closing;
  for (TcpSession& session : sessions) {
    closing.open(session);
    closing.close_three_way(random.one_in(2) ? Direction::c2s : Direction::s2c);
    closing.close(session);
  }
  Interleaver(sessions, closing, handshakes_in_flight, context.random.fork(17)).run(context.traffic);
}

}  // namespace ringtrack::pcapgen
