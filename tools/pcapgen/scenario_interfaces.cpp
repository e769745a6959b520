// Owns: the `interfaces` scenario: a pcapng capture on two interfaces, each with its own link
// type and snap length, as Wireshark writes one when it captures on two.
// Does not own: the pcapng blocks (pcap_writer) or scheduling (interleaver).
//
// Connections on interface 0, on interface 1, and routed asymmetrically (each direction on
// its own interface: still one connection). Interface 1's snap length cuts full-size
// segments, so its frames' payload counts come from the IP lengths, not from the capture.
#include <array>
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

constexpr uint32_t connection_count = 16;
constexpr uint32_t second_interface_snaplen_bytes = 128;

// Per placement: interface of the client's frames, interface of the server's.
constexpr std::array<std::array<uint8_t, 2>, 4> placements{{{0, 0}, {1, 1}, {0, 1}, {1, 0}}};

}  // namespace

CaptureInterface second_interface_of(const CliOptions& options) noexcept {
  const frames::LinkType link = options.link == frames::LinkType::raw ? frames::LinkType::ether : frames::LinkType::raw;
  return CaptureInterface{link, second_interface_snaplen_bytes};
}

void run_interfaces(ScenarioContext& context) {
  Rng random = context.random.fork(5);
  std::vector<TcpSession> sessions;
  ScriptBook book;
  for (uint32_t index = 0; index < connection_count; ++index) {
    const bool ipv6 = index % 2 == 1;
    const ClientEndpoint client = unique_client_endpoint(index);
    sessions.push_back(make_session(client_host(ipv6, client.host_index), client.port, server_host(ipv6, index),
                                    server_port(index), random));
    sessions.back().capture_interface = placements[(index / 2) % placements.size()];
    const uint32_t mss = mss_payload_bytes(ipv6);
    book.open(sessions.back());
    book.handshake();
    book.exchange(random, random.between(1, 4), 20000, mss);
    switch (index % 3) {
      case 0: book.close_four_way(random.one_in(2) ? Direction::c2s : Direction::s2c); break;
      case 1:
        book.add(TcpOp::data, Direction::s2c, mss);
        book.add(TcpOp::rst, Direction::c2s);
        break;
      default: break;  // still ESTABLISHED at the end of the capture
    }
    book.close(sessions.back());
  }
  Interleaver runner(sessions, book, connection_count / 2, context.random.fork(6));
  runner.run(context.traffic);
}

}  // namespace ringtrack::pcapgen
