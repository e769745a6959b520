// Owns: the rules that classify a segment against its sender's sequence space.
#include "flow/tcp_health.hpp"

namespace ringtrack::flow {
namespace {

using decode::tcp_flag::fin;
using decode::tcp_flag::rst;
using decode::tcp_flag::syn;

bool seq_before(uint32_t a, uint32_t b) noexcept { return int32_t(a - b) < 0; }

template <class Count>
void bump(Count& n) noexcept {
  if (n != Count(~Count(0))) ++n;
}

}  // namespace

SegmentKind note_segment(TcpHealth& h, unsigned sender, const decode::PacketRecord& packet,
                         uint32_t ooo_threshold_us) noexcept {
  h.ip_and_bits[sender] += packet.ip_bytes;  // a carry into the bits needs 64 PB
  const uint8_t flags = packet.tcp_flags;
  uint8_t bits = h.bits(sender);
  const uint32_t next = h.next_seq[sender];
  const uint32_t seq = packet.seq;
  const uint32_t length = packet.payload_bytes;
  // Most segments: in order, an open window both ways, no SYN, FIN or RST, the header whole.
  // Then only next_seq moves (a pure ACK at next_seq leaves it), and nothing is counted.
  const bool plain = seq == next && packet.window != 0 && !(flags & (syn | fin | rst)) &&
                     !((bits | h.bits(sender ^ 1)) & health_bit::window_zero) &&
                     (bits & health_bit::seq_known) && !(packet.tcp_options & decode::tcp_option::header_cut);
  if (plain) [[likely]] {
    if (length == 0) return SegmentKind::control;
    h.next_seq[sender] = seq + length;
    h.next_seq_at_us[sender] = capture_us(packet.ts_ns);
    return SegmentKind::advancing;
  }
  if (packet.tcp_options & decode::tcp_option::header_cut) [[unlikely]] return SegmentKind::control;
  const bool known = (bits & health_bit::seq_known) != 0;
  const bool syn_or_fin = (flags & (syn | fin)) != 0;
  const uint32_t end = seq + length + (syn_or_fin ? 1 : 0);
  const uint32_t now_us = capture_us(packet.ts_ns);
  SegmentKind kind = SegmentKind::control;

  // A probe of the other side's zero window: one byte at the next sequence number. It is
  // neither a zero window of its own nor new data.
  const bool window_probe =
      known && length == 1 && seq == next && (h.bits(sender ^ 1) & health_bit::window_zero);
  if (!window_probe) {
    if (packet.window == 0 && !(flags & (syn | fin | rst))) bump(h.zero_window[sender]);
    const bool keep_alive = known && length <= 1 && !(flags & (syn | fin | rst)) && seq == next - 1;
    if ((length > 0 || syn_or_fin) && known && !keep_alive) {
      // Data one byte before next_seq is new data after a probe, not a retransmission.
      const bool not_advanced = seq_before(seq, next) && !(length > 1 && seq == next - 1);
      if (not_advanced) {
        const uint32_t since_us = now_us - h.next_seq_at_us[sender];
        if (since_us < ooo_threshold_us && next != end) {
          bump(h.out_of_order[sender]);
          kind = SegmentKind::out_of_order;
        } else {
          // A SYN sent again restarts the handshake's clock (Wireshark's initial RTT, and
          // with it the out-of-order window, runs from the last SYN).
          if (flags & syn) h.next_seq_at_us[sender] = now_us;
          bump(h.retrans[sender]);
          const uint32_t room = UINT32_MAX - h.retrans_bytes[sender];
          h.retrans_bytes[sender] += length < room ? length : room;
          kind = SegmentKind::retransmitted;
        }
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
