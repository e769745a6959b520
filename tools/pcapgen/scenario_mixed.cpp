// Owns: the `mixed` scenario: IPv4 and IPv6 connections of eight kinds, interleaved in time.
// Does not own: TCP mechanics (session_traffic) or scheduling (interleaver).
//
// Connection i has kind i % 8 and is IPv6 when (i / 8) is odd, so 16 connections cover every
// kind in both families:
//   0 full: handshake, data both ways, FIN close (3- or 4-way, either side first) -> CLOSED
//   1 refused: SYN answered by RST|ACK                                              -> RESET
//   2 reset mid-transfer: handshake, data, RST from either side                     -> RESET
//   3 handshake without the final ACK                                               -> SYN|ACK-ACK
//   4 SYN only (sometimes retransmitted, same ISN)                                  -> SYN_SENT
//   5 FIN from the client only; the server ACKs it and keeps sending                -> CLOSING
//   6 mid-stream pickup: no SYN, data both ways                                     -> ESTABLISHED
//   7 one-sided mid-stream flow: server data only; never listed in --expect
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

enum class MixedKind : uint8_t {
  full_close,
  refused,
  reset_mid_transfer,
  handshake_only,
  syn_only,
  fin_one_side,
  mid_stream,
  one_sided,
};

constexpr uint32_t kind_count = 8;
constexpr uint32_t max_active_sessions = 8;  // every kind can be in flight at once

void write_script(ScriptBook& book, MixedKind kind, bool ipv6, Rng& random) {
  const uint32_t mss = mss_payload_bytes(ipv6);
  const Direction either = random.one_in(2) ? Direction::c2s : Direction::s2c;
  switch (kind) {
    case MixedKind::full_close: {
      book.handshake();
      book.exchange(random, random.between(1, 3), 20000, mss);
      const uint32_t fin_payload = random.one_in(3) ? random.between(1, 300) : 0;
      if (random.one_in(2)) {
        book.close_four_way(either, fin_payload);
      } else {
        book.close_three_way(either, fin_payload);
      }
      break;
    }
    case MixedKind::refused:
      book.add(TcpOp::syn, Direction::c2s);
      book.add(TcpOp::rst_refuse, Direction::s2c);
      break;
    case MixedKind::reset_mid_transfer:
      book.handshake();
      book.exchange(random, 1, 6000, mss);
      for (uint32_t segment = random.between(1, 4); segment > 0; --segment) {
        book.add(TcpOp::data, Direction::s2c, mss);
      }
      book.add(TcpOp::rst, either);
      break;
    case MixedKind::handshake_only:
      book.add(TcpOp::syn, Direction::c2s);
      book.add(TcpOp::syn_ack, Direction::s2c);
      break;
    case MixedKind::syn_only:
      book.add(TcpOp::syn, Direction::c2s);
      if (random.one_in(2)) {
        book.add(TcpOp::syn, Direction::c2s);  // retransmission: same ISN, same connection
      }
      break;
    case MixedKind::fin_one_side:
      book.handshake();
      book.exchange(random, random.between(1, 2), 8000, mss);
      book.add(TcpOp::fin, Direction::c2s);
      book.add(TcpOp::ack, Direction::s2c);
      book.transfer(Direction::s2c, random.between(500, 6000), mss);
      break;
    case MixedKind::mid_stream:
      book.transfer(Direction::s2c, random.between(2000, 10000), mss);
      book.exchange(random, random.between(1, 2), 5000, mss);
      break;
    case MixedKind::one_sided:
      for (uint32_t segment = random.between(4, 12); segment > 0; --segment) {
        book.add(TcpOp::data, Direction::s2c, mss);
      }
      break;
  }
}

}  // namespace

void run_mixed(ScenarioContext& context) {
  const auto conns = static_cast<uint32_t>(context.options.conns.value_or(50));
  Rng random = context.random.fork(1);
  std::vector<TcpSession> sessions;
  sessions.reserve(conns);
  ScriptBook book;
  for (uint32_t index = 0; index < conns; ++index) {
    const auto kind = static_cast<MixedKind>(index % kind_count);
    const bool ipv6 = (index / kind_count) % 2 == 1;
    const ClientEndpoint client = unique_client_endpoint(index);
    sessions.push_back(make_session(client_host(ipv6, client.host_index), client.port, server_host(ipv6, index),
                                    server_port(index), random));
    book.open(sessions.back());
    write_script(book, kind, ipv6, random);
    book.close(sessions.back());
  }
  Interleaver runner(sessions, book, max_active_sessions, context.random.fork(2));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
