// Owns: the `malformed` scenario: N undecodable frames between the frames of six valid connections.
// Does not own: the malformed frame layouts (malformed_frames).
//
// Every MalformedKind the link type can express is used in turn; the valid connections end in
// different states and are listed in --expect.
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "malformed_frames.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

constexpr uint32_t valid_connections = 6;

void write_script(ScriptBook& book, uint32_t index, uint32_t mss, Rng& random) {
  switch (index) {
    case 0:
      book.handshake();
      book.exchange(random, 2, 6000, mss);
      book.close_four_way(Direction::c2s);
      break;
    case 1:
      book.handshake();
      book.exchange(random, 1, 6000, mss);
      book.add(TcpOp::rst, Direction::s2c);
      break;
    case 2:
      book.handshake();
      book.exchange(random, 2, 6000, mss);
      break;
    case 3:
      book.handshake();
      book.exchange(random, 1, 6000, mss);
      book.close_three_way(Direction::s2c);
      break;
    case 4:
      book.add(TcpOp::syn, Direction::c2s);
      book.add(TcpOp::syn_ack, Direction::s2c);
      break;
    default:
      book.handshake();
      book.exchange(random, 1, 6000, mss);
      book.add(TcpOp::fin, Direction::c2s);
      book.add(TcpOp::ack, Direction::s2c);
      break;
  }
}

}  // namespace

void run_malformed(ScenarioContext& context) {
  const uint64_t malformed_count = context.options.count.value_or(10000);
  Rng random = context.random.fork(20);
  std::vector<TcpSession> sessions;
  ScriptBook book;
  for (uint32_t index = 0; index < valid_connections; ++index) {
    const bool ipv6 = index % 2 == 1;
    const ClientEndpoint client = unique_client_endpoint(700 + index);
    sessions.push_back(make_session(client_host(ipv6, client.host_index + 70), client.port,
                                    server_host(ipv6, index + 20), server_port(index), random));
    book.open(sessions.back());
    write_script(book, index, mss_payload_bytes(ipv6), random);
    book.close(sessions.back());
  }
  const std::vector<MalformedKind> kinds = malformed_kinds_for(context.options.link);
  MalformedBuilder builder(frames::LinkWriter(context.options.link, context.options.big_endian),
                           context.random.fork(21));
  Interleaver runner(sessions, book, valid_connections, context.random.fork(22));

  const uint64_t valid_steps = book.size();
  uint64_t steps = 0;
  uint64_t sent = 0;
  const auto send_until = [&](uint64_t target) {
    for (; sent < target; ++sent) {
      context.traffic.sink.emit_undecodable(builder.build(kinds[sent % kinds.size()]));
    }
  };
  while (runner.step(context.traffic)) {
    ++steps;
    send_until(malformed_count * steps / valid_steps);
  }
  send_until(malformed_count);
}

}  // namespace ringtrack::pcapgen
