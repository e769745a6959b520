// Owns: the `qinq` scenario: 802.1ad + 802.1Q stacks, legacy 0x9100 and double 0x8100 outer tags.
// Does not own: tag encoding (frames/link_layer) or scheduling (interleaver).
//
// Several (outer, inner) pairs; one IPv4 and one IPv6 4-tuple reused across different stacks
// (also untagged and S-tag only); other stacked IPv4/IPv6 connections.
#include <array>
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

enum class QinqEnding : uint8_t { closed, reset, established, closing };

struct StackPlan {
  uint16_t outer_tpid;  // 0: untagged
  uint16_t outer_vid;
  uint16_t inner_vid;  // 0: single tag
  uint8_t pcp;
  QinqEnding ending;
};

void write_script(ScriptBook& book, QinqEnding ending, bool ipv6, Rng& random) {
  const uint32_t mss = mss_payload_bytes(ipv6);
  book.handshake();
  book.exchange(random, random.between(1, 3), 9000, mss);
  switch (ending) {
    case QinqEnding::closed: book.close_three_way(random.one_in(2) ? Direction::c2s : Direction::s2c); break;
    case QinqEnding::reset: book.add(TcpOp::rst, Direction::s2c); break;
    case QinqEnding::established: break;
    case QinqEnding::closing:
      book.add(TcpOp::fin, Direction::s2c);
      book.add(TcpOp::ack, Direction::c2s);
      book.transfer(Direction::c2s, random.between(300, 3000), mss);
      break;
  }
}

void add_session(std::vector<TcpSession>& sessions, ScriptBook& book, const StackPlan& plan,
                 const frames::IpAddress& client_ip, uint16_t client_port, const frames::IpAddress& server_ip,
                 uint16_t port, Rng& random) {
  sessions.push_back(make_session(client_ip, client_port, server_ip, port, random));
  TcpSession& session = sessions.back();
  if (plan.outer_tpid != 0) {
    session.vlans.push(plan.outer_tpid, plan.outer_vid, plan.pcp);
    if (plan.inner_vid != 0) {
      session.vlans.push(frames::tpid_8021q, plan.inner_vid);
    }
  }
  book.open(session);
  write_script(book, plan.ending, client_ip.is_v6, random);
  book.close(session);
}

}  // namespace

void run_qinq(ScenarioContext& context) {
  Rng random = context.random.fork(5);
  std::vector<TcpSession> sessions;
  ScriptBook book;

  // One IPv4 4-tuple in seven stacks; every VID list differs, so all are distinct connections.
  constexpr std::array<StackPlan, 7> shared_v4{{
      {frames::tpid_8021ad, 10, 100, 0, QinqEnding::closed},
      {frames::tpid_8021ad, 10, 200, 0, QinqEnding::reset},
      {frames::tpid_8021ad, 20, 100, 5, QinqEnding::established},
      {frames::tpid_legacy_qinq, 30, 100, 0, QinqEnding::closed},
      {frames::tpid_8021q, 40, 100, 0, QinqEnding::closing},
      {frames::tpid_8021ad, 10, 0, 0, QinqEnding::closed},
      {0, 0, 0, 0, QinqEnding::closed},
  }};
  for (const StackPlan& plan : shared_v4) {
    add_session(sessions, book, plan, client_host(false, 9), 40002, server_host(false, 4), 443, random);
  }
  // One IPv6 4-tuple in three stacks.
  constexpr std::array<StackPlan, 3> shared_v6{{
      {frames::tpid_8021ad, 50, 500, 0, QinqEnding::closed},
      {frames::tpid_8021ad, 50, 501, 0, QinqEnding::established},
      {frames::tpid_legacy_qinq, 60, 500, 2, QinqEnding::reset},
  }};
  for (const StackPlan& plan : shared_v6) {
    add_session(sessions, book, plan, client_host(true, 9), 40003, server_host(true, 2), 443, random);
  }
  // Other stacked connections, one 4-tuple each.
  constexpr std::array<StackPlan, 6> others{{
      {frames::tpid_8021ad, 4094, 4094, 0, QinqEnding::closed},
      {frames::tpid_8021ad, 1, 1, 0, QinqEnding::established},
      {frames::tpid_8021ad, 300, 3000, 6, QinqEnding::closed},
      {frames::tpid_legacy_qinq, 70, 700, 0, QinqEnding::closed},
      {frames::tpid_8021ad, 80, 800, 0, QinqEnding::reset},
      {frames::tpid_8021q, 90, 900, 0, QinqEnding::closed},
  }};
  for (uint32_t index = 0; index < others.size(); ++index) {
    const bool ipv6 = index % 2 == 1;
    const ClientEndpoint client = unique_client_endpoint(300 + index);
    add_session(sessions, book, others[index], client_host(ipv6, client.host_index + 30), client.port,
                server_host(ipv6, index + 5), server_port(index), random);
  }
  Interleaver runner(sessions, book, static_cast<uint32_t>(sessions.size()), context.random.fork(6));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
