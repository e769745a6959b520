// Owns: the `qinqinq` scenario: three-tag stacks (an 802.1ad S-tag over two 802.1Q C-tags,
// and legacy 0x9100 or 0x8100 outer tags). Does not own: tag encoding (frames/link_layer)
// or scheduling (interleaver).
//
// One IPv4 and one IPv6 4-tuple each reused across stacks that differ only in the third id
// (and in a two-tag stack with the same outer ids), so every id of the three is identity;
// other three-tag connections use the extreme ids 1 and 4094 and priority bits.
#include <array>
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

enum class StackEnding : uint8_t { closed, reset, established };

struct ThreeTagPlan {
  uint16_t outer_tpid;
  std::array<uint16_t, 3> vids;  // outermost first; a 0 third id: a two-tag stack
  uint8_t pcp;                   // on the innermost tag
  StackEnding ending;
};

void write_script(ScriptBook& book, StackEnding ending, bool ipv6, Rng& random) {
  const uint32_t mss = mss_payload_bytes(ipv6);
  book.handshake();
  book.exchange(random, random.between(1, 3), 9000, mss);
  switch (ending) {
    case StackEnding::closed: book.close_four_way(random.one_in(2) ? Direction::c2s : Direction::s2c); break;
    case StackEnding::reset: book.add(TcpOp::rst, Direction::s2c); break;
    case StackEnding::established: break;
  }
}

void add_session(std::vector<TcpSession>& sessions, ScriptBook& book, const ThreeTagPlan& plan,
                 const frames::IpAddress& client_ip, uint16_t client_port, const frames::IpAddress& server_ip,
                 uint16_t port, Rng& random) {
  sessions.push_back(make_session(client_ip, client_port, server_ip, port, random));
  TcpSession& session = sessions.back();
  session.vlans.push(plan.outer_tpid, plan.vids[0]);
  const bool third = plan.vids[2] != 0;
  session.vlans.push(frames::tpid_8021q, plan.vids[1], third ? 0 : plan.pcp);
  if (third) session.vlans.push(frames::tpid_8021q, plan.vids[2], plan.pcp);
  book.open(session);
  write_script(book, plan.ending, client_ip.is_v6, random);
  book.close(session);
}

}  // namespace

void run_qinqinq(ScenarioContext& context) {
  Rng random = context.random.fork(5);
  std::vector<TcpSession> sessions;
  ScriptBook book;

  // One IPv4 4-tuple: stacks equal in their outer two ids are still four connections.
  constexpr std::array<ThreeTagPlan, 4> shared_v4{{
      {frames::tpid_8021ad, {10, 100, 1000}, 0, StackEnding::closed},
      {frames::tpid_8021ad, {10, 100, 1001}, 3, StackEnding::reset},
      {frames::tpid_8021ad, {10, 100, 0}, 0, StackEnding::established},
      {frames::tpid_legacy_qinq, {10, 100, 1002}, 0, StackEnding::closed},
  }};
  for (const ThreeTagPlan& plan : shared_v4) {
    add_session(sessions, book, plan, client_host(false, 11), 40004, server_host(false, 6), 443, random);
  }
  // One IPv6 4-tuple in three stacks.
  constexpr std::array<ThreeTagPlan, 3> shared_v6{{
      {frames::tpid_8021ad, {50, 500, 3000}, 0, StackEnding::closed},
      {frames::tpid_8021ad, {50, 500, 3001}, 0, StackEnding::established},
      {frames::tpid_8021q, {50, 500, 3002}, 5, StackEnding::reset},
  }};
  for (const ThreeTagPlan& plan : shared_v6) {
    add_session(sessions, book, plan, client_host(true, 11), 40006, server_host(true, 3), 443, random);
  }
  // Other three-tag connections, one 4-tuple each.
  constexpr std::array<ThreeTagPlan, 4> others{{
      {frames::tpid_8021ad, {4094, 4094, 4094}, 0, StackEnding::closed},
      {frames::tpid_8021ad, {1, 1, 1}, 7, StackEnding::established},
      {frames::tpid_legacy_qinq, {70, 700, 7}, 0, StackEnding::closed},
      {frames::tpid_8021q, {90, 900, 9}, 0, StackEnding::reset},
  }};
  for (uint32_t index = 0; index < others.size(); ++index) {
    const bool ipv6 = index % 2 == 1;
    const ClientEndpoint client = unique_client_endpoint(400 + index);
    add_session(sessions, book, others[index], client_host(ipv6, client.host_index + 40), client.port,
                server_host(ipv6, index + 7), server_port(index), random);
  }
  Interleaver runner(sessions, book, static_cast<uint32_t>(sessions.size()), context.random.fork(6));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
