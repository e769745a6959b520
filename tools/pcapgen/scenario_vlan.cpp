// Owns: the `vlan` scenario: one 4-tuple untagged, in VLAN 100 and in VLAN 200, plus other tagged flows.
// Does not own: tag encoding (frames/link_layer) or scheduling (interleaver).
//
// Per family the shared 4-tuple is three distinct, concurrent connections ending in different
// states; the other tagged connections set PCP bits on some and use VIDs 1 and 4094.
#include <array>
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

enum class VlanEnding : uint8_t { closed, reset, established };

void write_script(ScriptBook& book, VlanEnding ending, bool ipv6, Rng& random) {
  const uint32_t mss = mss_payload_bytes(ipv6);
  book.handshake();
  book.exchange(random, random.between(1, 3), 9000, mss);
  switch (ending) {
    case VlanEnding::closed: book.close_four_way(random.one_in(2) ? Direction::c2s : Direction::s2c); break;
    case VlanEnding::reset:
      book.add(TcpOp::data, Direction::s2c, mss);
      book.add(TcpOp::rst, Direction::c2s);
      break;
    case VlanEnding::established: break;
  }
}

struct OtherTag {
  uint16_t vid;
  uint8_t pcp;
  VlanEnding ending;
};

}  // namespace

void run_vlan(ScenarioContext& context) {
  Rng random = context.random.fork(3);
  std::vector<TcpSession> sessions;
  ScriptBook book;

  // The shared 4-tuples: an engine keying flows without the VLAN merges these three.
  for (const bool ipv6 : {false, true}) {
    const frames::IpAddress client_ip = client_host(ipv6, 7);
    const frames::IpAddress server_ip = server_host(ipv6, 0);
    constexpr std::array<VlanEnding, 3> endings{VlanEnding::closed, VlanEnding::reset, VlanEnding::established};
    constexpr std::array<uint16_t, 3> vids{0, 100, 200};
    for (std::size_t variant = 0; variant < vids.size(); ++variant) {
      sessions.push_back(make_session(client_ip, 40001, server_ip, 80, random));
      if (vids[variant] != 0) {
        sessions.back().vlans.push(frames::tpid_8021q, vids[variant]);
      }
      book.open(sessions.back());
      write_script(book, endings[variant], ipv6, random);
      book.close(sessions.back());
    }
  }

  constexpr std::array<OtherTag, 8> others{{
      {10, 5, VlanEnding::closed},
      {20, 0, VlanEnding::closed},
      {4094, 0, VlanEnding::established},
      {1, 0, VlanEnding::closed},
      {100, 3, VlanEnding::closed},  // same VID as above, different 4-tuple
      {200, 0, VlanEnding::reset},
      {300, 7, VlanEnding::closed},
      {4000, 0, VlanEnding::established},
  }};
  for (uint32_t index = 0; index < others.size(); ++index) {
    const bool ipv6 = index % 2 == 1;
    const ClientEndpoint client = unique_client_endpoint(100 + index);
    sessions.push_back(make_session(client_host(ipv6, client.host_index + 20), client.port,
                                    server_host(ipv6, index + 1), server_port(index), random));
    sessions.back().vlans.push(frames::tpid_8021q, others[index].vid, others[index].pcp);
    book.open(sessions.back());
    write_script(book, others[index].ending, ipv6, random);
    book.close(sessions.back());
  }
  Interleaver runner(sessions, book, static_cast<uint32_t>(sessions.size()), context.random.fork(4));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
