// Owns: the per-connection records a shard keeps (identity and times, counters: a cache line
// each, beside the health line of tcp_health) and their counter arithmetic. Does not own: the state machine
// (tcp_state), rates (rate_window), the health rules (tcp_health, rtt_sampler).
#pragma once

#include <cstdint>

#include "decode/flow_key.hpp"
#include "decode/packet_record.hpp"
#include "flow/rtt_code.hpp"
#include "flow/tcp_health.hpp"
#include "flow/tcp_state.hpp"

namespace ringtrack::flow {

/// One tracked connection, in three arrays of the flow table: this record, its
/// ConnectionCounters and its TcpHealth (a cache line each) at the same index. Directions are indexed by endpoint:
/// [0] = sent by endpoint a of the key, [1] = sent by b; conn_flag::client_is_b says which
/// one is the client. This line holds what a scan judges a record by (key, times, state,
/// flags, smoothed RTTs): the expiry sweep and the screen's queries read little else, so
/// these lines lie side by side, and a scan of a million records reads 64 MB front to back
/// instead of one line in three (about a third of the time, bench/README.md). The smoothed
/// RTTs are here so the order by RTT and the rtt> and rtt< terms need no second line, and the
/// retransmissions up to 30 so the order by retransmissions and the retrans term need none
/// either (they read the health line only where retrans_seen is full).
struct Connection {
  decode::FlowKey key;               //   0: 42 bytes
  TcpState state : 3;                //  42: bits 0-2
  uint8_t retrans_seen : 5;          //  42: bits 3-7, TcpHealth::retrans both ways up to retrans_seen_full
  uint8_t flags;                     //  43: conn_flag bits
  uint16_t srtt[2];                  //  44: smoothed RTT from the capture point to endpoint [i] and back
                                     //      (rtt_code; 0: no sample yet)
  uint64_t first_ts_ns;              //  48
  uint64_t last_ts_ns;               //  56

  static constexpr unsigned retrans_seen_full = 31;  ///< 31 or more: count them on the health line

  unsigned client_dir() const noexcept { return (flags & conn_flag::client_is_b) ? 1u : 0u; }
  /// Seen in one direction only so far (conn_flag::both_seen is set where the second
  /// endpoint's first packet is counted, FlowShard::count).
  bool one_sided() const noexcept { return !(flags & conn_flag::both_seen); }
  /// The end-to-end smoothed RTT, microseconds: both sides' sum, 0 until both have one
  /// (as ConnView::rtt_total_us reads it from a view).
  uint32_t rtt_total_us() const noexcept {
    return srtt[0] && srtt[1] ? rtt_code::decode(srtt[0]) + rtt_code::decode(srtt[1]) : 0;
  }
};

/// What a connection's packets count besides its Connection line and its TcpHealth (a line
/// each, in arrays of their own). Packet counts are 40 bits (a 32-bit low word plus a high
/// byte): at a million packets a second one direction wraps after 12 days. The high byte
/// rides in the top byte of the wire byte count, so wire byte counts are 56 bits: 72 PB a
/// direction, 66 days at 100 Gbit/s on one connection; payload byte counts are 56 bits too
/// (the union of TCP flags sent rides in their top byte).
struct ConnectionCounters {
  uint64_t wire_and_packets_high[2]; //   0: wire bytes (low 56 bits), packet count's high byte (top 8)
  uint64_t payload_and_flags[2];     //  16: payload bytes (low 56 bits), union of TCP flags sent (top 8)
  uint32_t packets_low[2];           //  32
  uint32_t seq_mark[2];              //  40: see tcp_state.hpp
  uint32_t second_bytes[2][2];       //  48: [direction][second & 1], payload bytes

  static constexpr unsigned wire_bits = 56;
  static constexpr uint64_t wire_mask = (uint64_t(1) << wire_bits) - 1;

  uint64_t packets(unsigned dir) const noexcept {
    return ((wire_and_packets_high[dir] >> wire_bits) << 32) | packets_low[dir];
  }
  uint64_t wire_bytes(unsigned dir) const noexcept { return wire_and_packets_high[dir] & wire_mask; }
  uint64_t payload_bytes(unsigned dir) const noexcept { return payload_and_flags[dir] & wire_mask; }
  /// Every TCP flag endpoint dir has set in any packet (an IPFIX tcpControlBits union).
  uint8_t tcp_flags(unsigned dir) const noexcept { return uint8_t(payload_and_flags[dir] >> wire_bits); }
  /// Endpoint dir has sent at least one packet (cheaper than packets(dir) != 0).
  bool seen(unsigned dir) const noexcept {
    return (packets_low[dir] | (wire_and_packets_high[dir] >> wire_bits)) != 0;
  }
  /// Adds packet, sent by endpoint dir, to the counters.
  void add_packet(unsigned dir, const decode::PacketRecord& packet) noexcept {
    wire_and_packets_high[dir] += packet.wire_bytes;
    if (++packets_low[dir] == 0) wire_and_packets_high[dir] += uint64_t(1) << wire_bits;
    // Payload never exceeds the wire bytes, which wrap at 56 bits too: the flags stay clear.
    payload_and_flags[dir] = (payload_and_flags[dir] + packet.payload_bytes) | (uint64_t(packet.tcp_flags) << wire_bits);
  }
};

static_assert(tcp_state_count <= 8, "Connection::state is 3 bits");
static_assert(sizeof(Connection) == 64, "key, state, flags and times fill one cache line exactly");
static_assert(sizeof(ConnectionCounters) == 64, "one cache line; the memory budget is per record");

}  // namespace ringtrack::flow
