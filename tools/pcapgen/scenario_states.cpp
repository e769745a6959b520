// Owns: the `states` scenario: one connection per tcptrack state transition case.
// Does not own: the state machine (connection_ledger) or scheduling (interleaver).
//
// Includes the same-host connection whose FIN is acked while the other side keeps sending
// (CLOSING, not CLOSED: tcptrack gets this wrong because it tells directions apart by address only).
#include <array>
#include <string_view>
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

enum class StateCase : uint8_t {
  rst_in_syn_sent,        // SYN, RST|ACK                                   -> RESET
  rst_in_synack_ack,      // SYN, SYN|ACK, RST (no ACK flag)                -> RESET
  rst_in_established,     // handshake, data, RST|ACK                       -> RESET
  rst_in_closing,         // ..., FIN, ACK, RST                             -> RESET
  both_fins_acked,        // 4-way close                                    -> CLOSED
  server_closes_first,    // 3-way close started by the server              -> CLOSED
  simultaneous_close,     // FINs cross, both ACKed                         -> CLOSED
  same_host_then_closed,  // FIN acked, peer keeps sending, then closes     -> CLOSED
  same_host_half_closed,  // FIN acked, peer keeps sending                  -> CLOSING
  fin_with_data,          // FIN carries 120 bytes, acked at seq+120+1      -> CLOSED
  fin_data_acked_short,   // that FIN only ever acked at seq+1 (payload     -> CLOSING
                          // ignored); the server's own FIN is acked right
  syn_only,               //                                                -> SYN_SENT
  handshake_only,         // SYN, SYN|ACK                                   -> SYN|ACK-ACK
  established,            // handshake and data                             -> ESTABLISHED
};

constexpr uint32_t case_count = 14;
constexpr uint32_t fin_payload_bytes = 120;

void write_script(ScriptBook& book, StateCase which, uint32_t mss, Rng& random) {
  const auto open = [&] {
    book.handshake();
    book.exchange(random, 1, 4000, mss);
  };
  switch (which) {
    case StateCase::rst_in_syn_sent:
      book.add(TcpOp::syn, Direction::c2s);
      book.add(TcpOp::rst_refuse, Direction::s2c);
      break;
    case StateCase::rst_in_synack_ack:
      book.add(TcpOp::syn, Direction::c2s);
      book.add(TcpOp::syn_ack, Direction::s2c);
      book.add(TcpOp::rst_bare, Direction::c2s);
      break;
    case StateCase::rst_in_established:
      open();
      book.add(TcpOp::rst, Direction::c2s);
      break;
    case StateCase::rst_in_closing:
      open();
      book.add(TcpOp::fin, Direction::c2s);
      book.add(TcpOp::ack, Direction::s2c);
      book.add(TcpOp::rst, Direction::s2c);
      break;
    case StateCase::both_fins_acked:
      open();
      book.close_four_way(Direction::c2s);
      break;
    case StateCase::server_closes_first:
      open();
      book.close_three_way(Direction::s2c);
      break;
    case StateCase::simultaneous_close:
      open();
      book.close_simultaneous();
      break;
    case StateCase::same_host_then_closed:
    case StateCase::same_host_half_closed:
      open();
      book.add(TcpOp::fin, Direction::c2s);
      book.add(TcpOp::ack, Direction::s2c);
      book.transfer(Direction::s2c, 6000, mss);  // still CLOSING: only one FIN is acked
      if (which == StateCase::same_host_then_closed) {
        book.add(TcpOp::fin, Direction::s2c);
        book.add(TcpOp::ack, Direction::c2s);
      }
      break;
    case StateCase::fin_with_data:
      open();
      book.close_four_way(Direction::c2s, fin_payload_bytes);
      break;
    case StateCase::fin_data_acked_short:
      open();
      book.add(TcpOp::fin, Direction::c2s, fin_payload_bytes);
      book.add(TcpOp::ack_short, Direction::s2c, fin_payload_bytes);
      book.add(TcpOp::fin_ack_short, Direction::s2c, fin_payload_bytes);
      book.add(TcpOp::ack, Direction::c2s);
      break;
    case StateCase::syn_only: book.add(TcpOp::syn, Direction::c2s); break;
    case StateCase::handshake_only:
      book.add(TcpOp::syn, Direction::c2s);
      book.add(TcpOp::syn_ack, Direction::s2c);
      break;
    case StateCase::established:
      book.handshake();
      book.exchange(random, 2, 4000, mss);
      break;
  }
}

}  // namespace

void run_states(ScenarioContext& context) {
  const bool ipv6 = context.options.ipv6;
  Rng random = context.random.fork(11);
  std::vector<TcpSession> sessions;
  sessions.reserve(case_count);
  ScriptBook book;
  const frames::IpAddress same_host = client_host(ipv6, 77);
  for (uint32_t index = 0; index < case_count; ++index) {
    const auto which = static_cast<StateCase>(index);
    if (which == StateCase::same_host_then_closed || which == StateCase::same_host_half_closed) {
      // Client and server share one address; only the ports tell the directions apart.
      sessions.push_back(make_session(same_host, static_cast<uint16_t>(45000 + index), same_host, 22, random));
    } else {
      const ClientEndpoint client = unique_client_endpoint(600 + index);
      sessions.push_back(make_session(client_host(ipv6, client.host_index + 60), client.port,
                                      server_host(ipv6, index + 12), server_port(index), random));
    }
    book.open(sessions.back());
    write_script(book, which, mss_payload_bytes(ipv6), random);
    book.close(sessions.back());
  }
  Interleaver runner(sessions, book, 3, context.random.fork(12));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
