// Owns: the `synflood` scenario: K live connections to 10.255.0.1:80 among N unanswered SYNs.
// Does not own: TCP mechanics (session_traffic) or frame accounting (packet_sink).
//
// The K clients (198.51.100.0/24) handshake first and keep exchanging data throughout; the SYNs
// come from pseudo-random 10.0.0.0/8 sources and ports, each its own SYN_SENT connection.
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace ringtrack::pcapgen {
namespace {

constexpr uint32_t flood_syns_per_data_frame = 99;  // 1% of the flood-phase frames are real
constexpr uint32_t handshakes_in_flight = 16;

/// A bijection on 39 bits (xor, odd multiply and xorshift are each invertible mod 2^39), so
/// flood SYN i gets a 4-tuple no other flood SYN has: 24 bits of 10.0.0.0/8 host, 15 bits of
/// port 32768..65535. No 4-tuple repeats, so every flood SYN is exactly one SYN_SENT connection.
uint64_t flood_source_bits(uint64_t index, uint64_t key) noexcept {
  constexpr uint64_t mask = (uint64_t{1} << 39) - 1;
  uint64_t bits = (index ^ key) & mask;
  bits = (bits * 0x5DEECE66DULL) & mask;
  bits ^= bits >> 17;
  bits = (bits * 0x2545F4914F6CDD1DULL) & mask;
  bits ^= bits >> 13;
  return bits;
}

}  // namespace

void run_synflood(ScenarioContext& context) {
  const uint64_t flood_count = context.options.count.value_or(10'000'000);
  const auto established = static_cast<uint32_t>(context.options.established.value_or(100));
  static_assert(max_count_option < (uint64_t{1} << 39), "flood sources stay distinct up to --count's limit");
  Rng random = context.random.fork(18);
  const frames::IpAddress server_ip = frames::IpAddress::v4(10, 255, 0, 1);
  constexpr uint16_t server_port_number = 80;

  std::vector<TcpSession> sessions;
  sessions.reserve(established);
  ScriptBook opening;
  for (uint32_t index = 0; index < established; ++index) {
    const frames::IpAddress client_ip = frames::IpAddress::v4(198, 51, 100, static_cast<uint8_t>(1 + index % 254));
    const auto client_port = static_cast<uint16_t>(40000 + index / 254);
    sessions.push_back(make_session(client_ip, client_port, server_ip, server_port_number, random));
    opening.open(sessions.back());
    opening.handshake();
    opening.close(sessions.back());
  }
  Interleaver(sessions, opening, handshakes_in_flight, context.random.fork(19), false).run(context.traffic);

  // Every spoofed SYN arrives through the same upstream router and is never answered.
  TcpSession flood_template =
      make_session(frames::IpAddress::v4(10, 0, 0, 1), 32768, server_ip, server_port_number, random);
  flood_template.style = SessionStyle::flood_syn;
  flood_template.client.mac = frames::mac_for(frames::IpAddress::v4(10, 255, 255, 254), 2);
  const uint64_t key = random.next();
  const uint32_t data_mss = mss_payload_bytes(false);
  for (uint64_t index = 0; index < flood_count; ++index) {
    const uint64_t bits = flood_source_bits(index, key);
    TcpSession flood = flood_template;
    flood.client.ip = frames::IpAddress::v4_from_u32(0x0A000000U | static_cast<uint32_t>(bits & 0xFFFFFF));
    flood.client.port = static_cast<uint16_t>(32768 + (bits >> 24));
    flood.client.isn = random.next32();
    flood.client.ipv4_id = static_cast<uint16_t>(random.next32());
    flood.client.ttl = static_cast<uint8_t>(random.between(32, 250));
    flood.client.window = random.one_in(2) ? 1024 : 512;
    send_segment(context.traffic, flood, TcpOp::syn, Direction::c2s);
    context.traffic.sink.finish_session(flood);

    if (established != 0 && (index + 1) % flood_syns_per_data_frame == 0) {
      TcpSession& session = sessions[random.below(established)];
      const Direction from = random.one_in(2) ? Direction::c2s : Direction::s2c;
      if (random.one_in(4)) {
        send_segment(context.traffic, session, TcpOp::ack, from);
      } else {
        send_segment(context.traffic, session, TcpOp::data, from, random.between(100, data_mss));
      }
    }
  }
  for (TcpSession& session : sessions) {
    context.traffic.sink.finish_session(session);  // still ESTABLISHED
  }
}

}  // namespace ringtrack::pcapgen
