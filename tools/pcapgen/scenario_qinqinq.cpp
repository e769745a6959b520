// Owns: the `qinqinq` scenario: three-tag stacks (an 802.1ad S-tag over two 802.1Q C-tags,
// and legacy 0x9100 or 0x8100 outer tags), and deeper ones. Does not own: tag encoding
// (frames/link_layer) or scheduling (interleaver).
//
// One IPv4 and one IPv6 4-tuple each reused across stacks that differ only in the third id
// (and in a two-tag stack with the same outer ids), so every id of the three is identity;
// other three-tag connections use the extreme ids 1 and 4094 and priority bits. Stacks of
// four to eight tags, each on a 4-tuple of its own (the key holds the outer three, so a
// 4-tuple reused below them would be one connection), two of them equal in their outer
// three: every row lists its whole stack.
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
  std::array<uint16_t, frames::VlanStack::max_tags> vids;  // outermost first, up to the first 0
  uint8_t pcp;                                             // on the innermost tag
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
  for (std::size_t i = 0; i < plan.vids.size() && plan.vids[i] != 0; ++i) {
    const bool innermost = i + 1 == plan.vids.size() || plan.vids[i + 1] == 0;
    session.vlans.push(i == 0 ? plan.outer_tpid : frames::tpid_8021q, plan.vids[i], innermost ? plan.pcp : 0);
  }
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
  // Deeper stacks, one 4-tuple each; the first two equal in their outer three.
  constexpr std::array<ThreeTagPlan, 5> deeper{{
      {frames::tpid_8021ad, {20, 200, 2000, 1}, 0, StackEnding::closed},
      {frames::tpid_8021ad, {20, 200, 2000, 2, 3}, 0, StackEnding::established},
      {frames::tpid_legacy_qinq, {4094, 1, 4094, 1, 4094, 1, 4094, 1}, 6, StackEnding::closed},
      {frames::tpid_8021q, {30, 300, 3000, 3001, 3002, 3003, 3004}, 0, StackEnding::reset},
      {frames::tpid_8021ad, {40, 400, 4000, 4001, 4002, 4003}, 0, StackEnding::closed},
  }};
  for (uint32_t index = 0; index < deeper.size(); ++index) {
    const bool ipv6 = index % 2 == 0;
    const ClientEndpoint client = unique_client_endpoint(410 + index);
    add_session(sessions, book, deeper[index], client_host(ipv6, client.host_index + 40), client.port,
                server_host(ipv6, index + 12), server_port(index), random);
  }
  Interleaver runner(sessions, book, static_cast<uint32_t>(sessions.size()), context.random.fork(6));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
