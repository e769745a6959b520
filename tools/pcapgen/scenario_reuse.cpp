// Owns: the `reuse` scenario: one 4-tuple carrying three consecutive connections.
// Does not own: TCP mechanics (session_traffic) or scheduling (interleaver).
//
// (A) SYN retransmitted with the same ISN, transfer, FIN close -> CLOSED; (B) new SYN after the
// close, transfer, RST -> RESET; (C) new SYN after the reset, retransmitted, data -> ESTABLISHED;
// all among unrelated background connections.
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {

void run_reuse(ScenarioContext& context) {
  const bool ipv6 = context.options.ipv6;
  const uint32_t mss = mss_payload_bytes(ipv6);
  Rng random = context.random.fork(9);
  std::vector<TcpSession> sessions;
  ScriptBook book;
  const frames::IpAddress client_ip = client_host(ipv6, 3);
  const frames::IpAddress server_ip = server_host(ipv6, 2);
  int32_t previous = -1;

  const auto add_reused = [&](auto&& write) {
    sessions.push_back(make_session(client_ip, 50000, server_ip, 80, random));
    TcpSession& session = sessions.back();
    session.start_after = previous;  // never overlaps its predecessor on the same 4-tuple
    previous = static_cast<int32_t>(sessions.size() - 1);
    book.open(session);
    write();
    book.close(session);
  };
  const auto add_background = [&](uint32_t index) {
    const ClientEndpoint client = unique_client_endpoint(500 + index);
    sessions.push_back(make_session(client_host(ipv6, client.host_index + 50), client.port,
                                    server_host(ipv6, index + 3), server_port(index), random));
    book.open(sessions.back());
    book.handshake();
    book.exchange(random, random.between(1, 3), 6000, mss);
    book.close_three_way(Direction::c2s);
    book.close(sessions.back());
  };

  add_reused([&] {  // A
    book.add(TcpOp::syn, Direction::c2s);
    book.add(TcpOp::syn, Direction::c2s);  // retransmitted SYN: same ISN, same connection
    book.add(TcpOp::syn_ack, Direction::s2c);
    book.add(TcpOp::ack, Direction::c2s);
    book.exchange(random, 2, 6000, mss);
    book.close_four_way(Direction::c2s);
  });
  add_background(0);
  add_reused([&] {  // B
    book.handshake();
    book.exchange(random, 1, 3000, mss);
    book.transfer(Direction::s2c, 3000, mss);
    book.add(TcpOp::rst, Direction::s2c);
  });
  add_background(1);
  add_background(2);
  add_reused([&] {  // C
    book.add(TcpOp::syn, Direction::c2s);
    book.add(TcpOp::syn, Direction::c2s);
    book.add(TcpOp::syn_ack, Direction::s2c);
    book.add(TcpOp::ack, Direction::c2s);
    book.exchange(random, 1, 4000, mss);
  });
  add_background(3);

  Interleaver runner(sessions, book, 3, context.random.fork(10));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
