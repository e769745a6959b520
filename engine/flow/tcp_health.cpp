// Owns: the rules that classify a segment against its sender's sequence space.
#include "flow/tcp_health.hpp"

#include "flow/branch_free.hpp"
#include "flow/serial_number.hpp"

namespace ringtrack::flow {
namespace {

using decode::tcp_flag::fin;
using decode::tcp_flag::rst;
using decode::tcp_flag::syn;

// Wireshark's: a retransmission within 20 ms of the second duplicate ACK is a fast one.
constexpr uint32_t fast_retransmission_window_us = 20'000;

// Remembers the ACK a packet carries (Wireshark's lastack, lastacktime and window), counting
// a duplicate: no data at the next sequence number, the same ACK and the same open window.
void note_ack(EndpointEntry& e, const decode::PacketRecord& packet, uint32_t now_us, bool may_be_duplicate) noexcept {
  if (!(packet.tcp_flags & decode::tcp_flag::ack)) return;
  // Selects, not branches: whether an ACK repeats the last one is as random as the traffic,
  // and a mispredicted branch here cost more than the whole update (bench/README.md).
  const bool same_ack = (e.ack_known != 0) & (packet.ack == e.last_ack);
  const bool duplicate = same_ack & may_be_duplicate & (packet.window != 0) & (packet.window == e.window);
  const uint8_t counted = uint8_t(e.dup_acks + uint8_t(duplicate & (e.dup_acks != UINT8_MAX)));
  e.dup_acks = uint8_t(counted & opaque_mask(same_ack));
  e.last_ack = packet.ack;
  e.last_ack_at_us = now_us;
  e.window = packet.window;
  e.ack_known = 1;
}

}  // namespace

SegmentKind note_segment(TcpHealth& h, unsigned sender, const decode::PacketRecord& packet,
                         uint32_t ooo_threshold_us, EndpointEntry& fwd, const EndpointEntry* rev) noexcept {
  h.ip_and_bits[sender] += packet.ip_bytes;  // a carry into the bits needs 64 PB
  const uint8_t flags = packet.tcp_flags;
  uint8_t bits = h.bits(sender);
  const uint32_t next = h.next_seq[sender];
  const uint32_t seq = packet.seq;
  const uint32_t length = packet.payload_bytes;
  const uint32_t now_us = capture_us(packet.ts_ns);
  // The other endpoint's ACK memory; where the book lost it, none: no ACK, no duplicates.
  static constexpr EndpointEntry unknown{};
  const EndpointEntry& other = rev ? *rev : unknown;
  // Data the other side has already acknowledged: Wireshark's spurious retransmission,
  // tested before anything else. `&`, not `&&`: the first test would branch on the length.
  const bool acked_before = (length > 0) & (other.ack_known != 0) & !seq_before(other.last_ack, seq + length);
  // Most segments: in order, an open window both ways, no SYN, FIN or RST, the header whole.
  // Then only next_seq and the ACK memory move, and nothing is counted.
  const bool plain = seq == next && packet.window != 0 && !(flags & (syn | fin | rst)) && !acked_before &&
                     !((bits | h.bits(sender ^ 1)) & health_bit::window_zero) &&
                     (bits & health_bit::seq_known) && !(packet.tcp_options & decode::tcp_option::header_cut);
  if (plain) [[likely]] {
    note_ack(fwd, packet, now_us, /*may_be_duplicate=*/length == 0);
    // Without a branch on the length (a third of segments are empty, in no order): an
    // empty one leaves next_seq as it was (seq == next) and its time alone.
    h.next_seq[sender] = seq + length;
    const uint32_t advanced = opaque_mask(length != 0);
    h.next_seq_at_us[sender] ^= (now_us ^ h.next_seq_at_us[sender]) & advanced;
    static_assert(uint8_t(SegmentKind::advancing) == 1 && uint8_t(SegmentKind::control) == 0);
    return SegmentKind(advanced & 1);
  }
  if (packet.tcp_options & decode::tcp_option::header_cut) [[unlikely]] return SegmentKind::control;
  const bool known = (bits & health_bit::seq_known) != 0;
  const bool syn_or_fin = (flags & (syn | fin)) != 0;
  const uint32_t end = seq + length + (syn_or_fin ? 1 : 0);
  SegmentKind kind = SegmentKind::control;

  // A probe of the other side's zero window: one byte at the next sequence number. It is
  // neither a zero window of its own nor new data, nor a duplicate ACK.
  const bool window_probe =
      known && length == 1 && seq == next && (h.bits(sender ^ 1) & health_bit::window_zero);
  if (window_probe) {
    note_ack(fwd, packet, now_us, false);
  } else {
    if (packet.window == 0 && !(flags & (syn | fin | rst))) bump(h.zero_window[sender]);
    const bool keep_alive = known && length <= 1 && !(flags & (syn | fin | rst)) && seq == next - 1;
    note_ack(fwd, packet, now_us, length == 0 && known && seq == next && !(flags & (syn | fin | rst)));
    if ((length > 0 || syn_or_fin) && !keep_alive && (known || acked_before)) {
      // Data one byte before next_seq is new data after a probe, not a retransmission.
      const bool not_advanced = known && seq_before(seq, next) && !(length > 1 && seq == next - 1);
      // A fast retransmission: after two duplicate ACKs, of the data they ask for, within 20 ms.
      const bool fast = not_advanced && other.dup_acks >= 2 && other.last_ack == seq &&
                        now_us - other.last_ack_at_us < fast_retransmission_window_us;
      if (acked_before || fast) {
        kind = SegmentKind::retransmitted;
      } else if (not_advanced) {
        const uint32_t since_us = now_us - h.next_seq_at_us[sender];
        kind = since_us < ooo_threshold_us && next != end ? SegmentKind::out_of_order : SegmentKind::retransmitted;
      }
      if (kind == SegmentKind::out_of_order) {
        bump(h.out_of_order[sender]);
      } else if (kind == SegmentKind::retransmitted) {
        // A SYN sent again restarts the handshake's clock (Wireshark's initial RTT, and
        // with it the out-of-order window, runs from the last SYN).
        if (flags & syn) h.next_seq_at_us[sender] = now_us;
        bump(h.retrans[sender]);
        const uint32_t room = UINT32_MAX - h.retrans_bytes[sender];
        h.retrans_bytes[sender] += length < room ? length : room;
      }
    }
    // Any packet may move next_seq forward (a pure ACK first seen mid-stream sets it).
    if (!known || seq_before(next, end)) {
      h.next_seq[sender] = end;
      h.next_seq_at_us[sender] = now_us;
      bits |= health_bit::seq_known;
      if (kind == SegmentKind::control && (length > 0 || syn_or_fin)) kind = SegmentKind::advancing;
    }
  }
  // The window this endpoint offers now; the other side's probes are judged by it.
  bits = packet.window == 0 ? bits | health_bit::window_zero : bits & ~health_bit::window_zero;
  h.set_bits(sender, bits);
  return kind;
}

}  // namespace ringtrack::flow
