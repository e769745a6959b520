// Owns: building PacketRecords for flow tests by endpoints, flags and times, without frames.
// Does not own: frame bytes (the capture generator builds those).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

#include "decode/packet_record.hpp"
#include "flow/flow_hash.hpp"

namespace ringtrack::testing {

inline std::array<uint8_t, 16> ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d};
}

struct Endpoint {
  std::array<uint8_t, 16> addr;
  uint16_t port;
};

/// One side of a conversation sends packets; seq/ack advance like a real stack's.
struct PacketScript {
  Endpoint client;
  Endpoint server;
  uint64_t meta = 0;  // FlowKey::meta (VLANs, IPv6 bit)
  uint32_t vlan_stack_id = 0;  // a stack deeper than meta's three: its decode::vlan_stack_id
  const flow::FlowHasher* hasher = nullptr;
  uint32_t seq[2] = {1000, 5000};  // [0] client, [1] server: next sequence number
  uint16_t window[2] = {65535, 65535};  // advertised by [0] client, [1] server
  bool timestamps = false;              // send RFC 7323 timestamps: tsval[me], echo tsval[other]
  uint32_t tsval[2] = {100, 900000};

  decode::PacketRecord packet(bool from_client, uint8_t flags, uint32_t payload, uint64_t ts_ns,
                              uint32_t wire = 0) {
    decode::PacketRecord r{};
    const Endpoint& src = from_client ? client : server;
    const Endpoint& dst = from_client ? server : client;
    const bool src_is_a = decode::make_flow_key(r.key, src.addr, src.port, dst.addr, dst.port, meta);
    const unsigned me = from_client ? 0 : 1;
    r.ts_ns = ts_ns;
    r.seq = seq[me];
    r.ack = seq[me ^ 1];
    r.payload_bytes = payload;
    r.wire_bytes = wire != 0 ? wire : payload + 54;
    r.ip_bytes = payload + 40;
    r.window = window[me];
    if (timestamps) {
      r.tcp_options = decode::tcp_option::timestamps;
      r.tsval = tsval[me];
      r.tsecr = tsval[me ^ 1];
    }
    r.tcp_flags = flags;
    r.vlan_stack_id = vlan_stack_id;
    r.from_a = src_is_a ? 1 : 0;
    // SYN and FIN take one sequence number each.
    seq[me] += payload + ((flags & decode::tcp_flag::syn) ? 1 : 0) + ((flags & decode::tcp_flag::fin) ? 1 : 0);
    if (hasher) r.flow_hash = (*hasher)(r.key);
    return r;
  }
};

namespace flags {
inline constexpr uint8_t syn = decode::tcp_flag::syn;
inline constexpr uint8_t syn_ack = decode::tcp_flag::syn | decode::tcp_flag::ack;
inline constexpr uint8_t ack = decode::tcp_flag::ack;
inline constexpr uint8_t psh_ack = decode::tcp_flag::psh | decode::tcp_flag::ack;
inline constexpr uint8_t fin_ack = decode::tcp_flag::fin | decode::tcp_flag::ack;
inline constexpr uint8_t rst = decode::tcp_flag::rst;
inline constexpr uint8_t rst_ack = decode::tcp_flag::rst | decode::tcp_flag::ack;
}  // namespace flags

inline constexpr uint64_t ms = 1'000'000;
inline constexpr uint64_t sec = 1'000'000'000;
inline constexpr uint64_t t0 = 1'700'000'000ull * sec;

}  // namespace ringtrack::testing
