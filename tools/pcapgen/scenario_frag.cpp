// Owns: the `frag` scenario: IPv4/IPv6 TCP fragments (in order, reversed, atomic), IPv4 UDP fragments.
// Does not own: fragment slicing (frame_builder) or scheduling (interleaver).
//
// IPv6 fragments use a Fragment extension header; atomic fragments have offset 0 and M=0. The
// same connections also send unfragmented segments.
//
// Only a first fragment carries the TCP header, so only it counts for its connection (payload =
// its IP payload minus the TCP header); later fragments are "untracked_fragments". A UDP first
// fragment is well-formed non-TCP traffic and counts nowhere.
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

constexpr uint32_t udp_datagrams = 6;
constexpr uint32_t steps_per_udp_datagram = 7;
constexpr uint32_t udp_fragments = 3;

void emit_udp_datagram(ScenarioContext& context, uint32_t index, Rng& random) {
  // A large DNS answer from a resolver: 192.0.2.53:53 -> client, cut into three fragments.
  IpFields ip;
  ip.src = frames::IpAddress::v4(192, 0, 2, 53);
  ip.dst = client_host(false, 60 + index);
  ip.ttl = 57;
  ip.ipv4_id = static_cast<uint16_t>(random.next32());
  frames::LinkHeaderSpec link;
  link.src_mac = frames::mac_for(ip.src, 1);
  link.dst_mac = frames::mac_for(ip.dst, 0);
  const auto client_port = static_cast<uint16_t>(33000 + index * 11);
  FrameBuilder& builder = context.traffic.builder;
  const StagedSegment staged = builder.stage_udp(ip, 53, client_port, random.between(2500, 4000), udp_fragments);
  for (uint32_t fragment = 0; fragment < staged.fragment_count; ++fragment) {
    const BuiltFrame frame = builder.fragment_frame(link, ip, staged, fragment, ip.ipv4_id);
    if (fragment == 0) {
      context.traffic.sink.emit_other(frame);
    } else {
      context.traffic.sink.emit_untracked_fragment(frame);
    }
  }
}

}  // namespace

void run_frag(ScenarioContext& context) {
  Rng random = context.random.fork(7);
  std::vector<TcpSession> sessions;
  ScriptBook book;
  const auto add = [&](bool ipv6, uint32_t index) -> TcpSession& {
    const ClientEndpoint client = unique_client_endpoint(400 + index);
    sessions.push_back(make_session(client_host(ipv6, client.host_index + 40), client.port,
                                    server_host(ipv6, index + 8), server_port(index), random));
    return sessions.back();
  };
  // Fragment sizes stay under a 1500-byte MTU: (TCP header 32 + payload) / count <= 1448.
  {
    TcpSession& session = add(false, 0);  // IPv4 download, fragments in and out of order
    book.open(session);
    book.handshake();
    book.transfer(Direction::c2s, 300, mss_payload_bytes(false));
    book.add(TcpOp::data_fragmented, Direction::s2c, 2400, 2);
    book.add(TcpOp::data_fragmented, Direction::s2c, 4000, 3);
    book.add(TcpOp::ack, Direction::c2s);
    book.add(TcpOp::data_fragmented_reversed, Direction::s2c, 2600, 2);
    book.add(TcpOp::ack, Direction::c2s);
    book.add(TcpOp::data, Direction::s2c, 1000);
    book.add(TcpOp::ack, Direction::c2s);
    book.close_three_way(Direction::c2s);
    book.close(session);
  }
  {
    TcpSession& session = add(false, 1);  // IPv4 upload, left open
    book.open(session);
    book.handshake();
    book.add(TcpOp::data_fragmented, Direction::c2s, 1800, 2);
    book.add(TcpOp::ack, Direction::s2c);
    book.add(TcpOp::data_fragmented, Direction::c2s, 5000, 4);
    book.add(TcpOp::ack, Direction::s2c);
    book.exchange(random, 1, 3000, mss_payload_bytes(false));
    book.close(session);
  }
  {
    TcpSession& session = add(true, 2);  // IPv6 download with an atomic fragment
    book.open(session);
    book.handshake();
    book.transfer(Direction::c2s, 200, mss_payload_bytes(true));
    book.add(TcpOp::data_fragmented, Direction::s2c, 2600, 2);
    book.add(TcpOp::data_fragmented, Direction::s2c, 3900, 3);
    book.add(TcpOp::ack, Direction::c2s);
    book.add(TcpOp::data_atomic_fragment, Direction::s2c, 1000);
    book.add(TcpOp::ack, Direction::c2s);
    book.close_four_way(Direction::s2c);
    book.close(session);
  }
  {
    TcpSession& session = add(true, 3);  // IPv6, reversed fragments, then reset
    book.open(session);
    book.handshake();
    book.add(TcpOp::data_atomic_fragment, Direction::c2s, 500);
    book.add(TcpOp::ack, Direction::s2c);
    book.add(TcpOp::data_fragmented_reversed, Direction::s2c, 4000, 3);
    book.add(TcpOp::ack, Direction::c2s);
    book.add(TcpOp::data, Direction::s2c, 700);
    book.add(TcpOp::rst, Direction::c2s);
    book.close(session);
  }
  Interleaver runner(sessions, book, static_cast<uint32_t>(sessions.size()), context.random.fork(8));
  uint32_t steps = 0;
  uint32_t udp_sent = 0;
  while (runner.step(context.traffic)) {
    if (++steps % steps_per_udp_datagram == 0 && udp_sent < udp_datagrams) {
      emit_udp_datagram(context, udp_sent++, random);
    }
  }
  while (udp_sent < udp_datagrams) {
    emit_udp_datagram(context, udp_sent++, random);
  }
}

}  // namespace ringtrack::pcapgen
