// Owns: the `srcroute` scenario: IPv4 connections whose frames carry a loose (131) or strict
// (137) source route option. Does not own: option encoding (session_traffic) or scheduling
// (interleaver).
//
// While a route is in progress the header names the next router, not the end host: a
// connection's server is the route's final destination, as Wireshark and the end hosts'
// TCP take it. Routes in progress (both kinds), a route already done (the header names the
// end host again) and a plain connection to the same server, each its own 4-tuple.
#include <array>
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

constexpr uint8_t loose_source_route = 131;
constexpr uint8_t strict_source_route = 137;

enum class RouteEnding : uint8_t { closed, reset, established };

struct RoutePlan {
  uint8_t option_type;  // 0: no option
  bool done;
  RouteEnding ending;
};

void write_script(ScriptBook& book, RouteEnding ending, Rng& random) {
  const uint32_t mss = mss_payload_bytes(false);
  book.handshake();
  book.exchange(random, random.between(1, 3), 9000, mss);
  switch (ending) {
    case RouteEnding::closed: book.close_four_way(random.one_in(2) ? Direction::c2s : Direction::s2c); break;
    case RouteEnding::reset: book.add(TcpOp::rst, Direction::c2s); break;
    case RouteEnding::established: break;
  }
}

}  // namespace

void run_srcroute(ScenarioContext& context) {
  Rng random = context.random.fork(5);
  std::vector<TcpSession> sessions;
  ScriptBook book;

  constexpr std::array<RoutePlan, 6> plans{{
      {loose_source_route, false, RouteEnding::closed},
      {strict_source_route, false, RouteEnding::reset},
      {loose_source_route, false, RouteEnding::established},
      {strict_source_route, true, RouteEnding::closed},
      {loose_source_route, true, RouteEnding::established},
      {0, false, RouteEnding::closed},
  }};
  for (uint32_t index = 0; index < plans.size(); ++index) {
    const RoutePlan& plan = plans[index];
    const ClientEndpoint client = unique_client_endpoint(500 + index);
    // Every connection to one server; routers in 203.0.113.0/24 and 198.18.0.0/24, apart from
    // every host address the plan hands out.
    sessions.push_back(make_session(client_host(false, client.host_index + 50), client.port, server_host(false, 8),
                                    443, random));
    TcpSession& session = sessions.back();
    session.source_route.option_type = plan.option_type;
    session.source_route.done = plan.done;
    session.source_route.hop[0] = frames::IpAddress::v4(203, 0, 113, uint8_t(1 + index));
    session.source_route.hop[1] = frames::IpAddress::v4(198, 18, 0, uint8_t(1 + index));
    book.open(session);
    write_script(book, plan.ending, random);
    book.close(session);
  }
  Interleaver runner(sessions, book, static_cast<uint32_t>(sessions.size()), context.random.fork(6));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
