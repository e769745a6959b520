// Owns: a connection's TCP health: IP bytes, retransmissions, out-of-order segments and
// zero windows per endpoint (Wireshark's TCP analysis rules), and where the round-trip
// results are kept (the smoothed RTTs on the Connection line, the rest here). Does not own:
// taking RTT samples (rtt_sampler), state (tcp_state), the per-endpoint memory that does
// not fit the record (endpoint_book).
#pragma once

#include <cstdint>

#include "decode/packet_record.hpp"
#include "flow/endpoint_book.hpp"

namespace ringtrack::flow {

/// Per-endpoint bits, kept in the top byte of TcpHealth::ip_and_bits.
namespace health_bit {
inline constexpr uint8_t seq_known = 0x01;       ///< next_seq holds a sequence number
inline constexpr uint8_t window_zero = 0x02;     ///< the endpoint's last advertised window was 0
inline constexpr uint8_t rtt_armed = 0x04;       ///< a sample the endpoint started awaits its answer
inline constexpr uint8_t rtt_timestamps = 0x08;  ///< the endpoint's samples are TSvals, not sequence numbers
inline constexpr uint8_t rtt_booked = 0x10;      ///< the endpoint has started RTT samples in the shard's EndpointBook
}  // namespace health_bit

/// What one segment was to its sender's sequence space.
enum class SegmentKind : uint8_t {
  control,       ///< no payload, SYN or FIN (an ACK), or a keep-alive or window probe
  advancing,     ///< carries sequence space beyond the highest sent so far
  retransmitted, ///< starts before the highest sent, and is not out of order
  out_of_order,  ///< starts before the highest sent, soon after it (a hole being filled)
};

/// The health line of a connection (in an array of its own beside its ConnectionCounters): 64 bytes,
/// indexed by endpoint like the counters.
/// Event counters saturate; rtt_min is an rtt_code value (0: no sample).
struct TcpHealth {
  uint64_t ip_and_bits[2];     ///< IP bytes sent (low 56 bits), health_bit of the endpoint (top 8)
  uint32_t next_seq[2];        ///< one past the highest sequence number sent (SYN and FIN count one)
  uint32_t next_seq_at_us[2];  ///< capture time next_seq last moved, microseconds (low 32 bits)
  uint32_t retrans[2];         ///< retransmitted segments
  uint32_t retrans_bytes[2];   ///< their payload bytes
  uint16_t out_of_order[2];
  uint16_t zero_window[2];     ///< advertisements of a zero receive window
  uint32_t handshake_rtt_us;   ///< SYN to the ACK that completed the handshake; 0 = unknown
  uint16_t rtt_min;            ///< least end-to-end RTT: a sample plus the other side's smoothed RTT
  uint16_t rtt_samples;        ///< samples of both sides

  static constexpr unsigned ip_bits = 56;
  static constexpr uint64_t ip_mask = (uint64_t(1) << ip_bits) - 1;

  uint64_t ip_bytes(unsigned end) const noexcept { return ip_and_bits[end] & ip_mask; }
  uint8_t bits(unsigned end) const noexcept { return uint8_t(ip_and_bits[end] >> ip_bits); }
  void set_bits(unsigned end, uint8_t bits) noexcept {
    ip_and_bits[end] = (ip_and_bits[end] & ip_mask) | (uint64_t(bits) << ip_bits);
  }
};

static_assert(sizeof(TcpHealth) == 64, "one cache line");

/// Counts packet, sent by endpoint `sender`, into h and says what it was, following
/// Wireshark's analysis (tcp.analysis.retransmission, .fast_retransmission,
/// .spurious_retransmission, .out_of_order, .zero_window, .keep_alive, .zero_window_probe,
/// .duplicate_ack). ooo_threshold_us: the handshake's RTT, or 3 ms when unknown, as
/// Wireshark's. fwd: the sender's entry (its ACK memory is updated); rev: the other
/// endpoint's, or null where the book lost it (then no fast or spurious retransmission
/// can be told, and such a segment is judged by the out-of-order window alone).
SegmentKind note_segment(TcpHealth& h, unsigned sender, const decode::PacketRecord& packet,
                         uint32_t ooo_threshold_us, EndpointEntry& fwd, const EndpointEntry* rev) noexcept;

/// Microseconds of a capture time, as the health line keeps them (low 32 bits).
inline uint32_t capture_us(uint64_t ts_ns) noexcept { return uint32_t(ts_ns / 1000); }

}  // namespace ringtrack::flow
