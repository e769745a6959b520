// Owns: when a sample starts and what answers it.
#include "flow/rtt_sampler.hpp"

#include "flow/rtt_code.hpp"
#include "flow/serial_number.hpp"

namespace ringtrack::flow {
namespace {

namespace state = rtt_entry_state;

// Answers the sample `asker` has outstanding, if packet (from the other endpoint) does.
// e: the asker's entry, null where the book lost it.
void answer(TcpHealth& h, uint16_t (&srtt)[2], EndpointEntry* e, unsigned asker,
            const decode::PacketRecord& packet) noexcept {
  uint8_t bits = h.bits(asker);
  if (!e || e->rtt_state != state::armed) {
    h.set_bits(asker, bits & ~health_bit::rtt_armed);  // another connection took the entry
    return;
  }
  const bool timestamps = (packet.tcp_options & decode::tcp_option::timestamps) != 0;
  bool answered = false;
  bool lost = false;
  if (bits & health_bit::rtt_timestamps) {
    // A reply without timestamps cannot echo one; a newer echo means this one was missed.
    answered = timestamps && packet.tsecr == e->rtt_mark;
    lost = !timestamps || (!answered && seq_at_or_after(packet.tsecr, e->rtt_mark));
  } else {
    answered = (packet.tcp_flags & decode::tcp_flag::ack) && seq_at_or_after(packet.ack, e->rtt_mark);
  }
  if (!answered && !lost) return;
  if (answered) add_rtt_sample(h, srtt, asker ^ 1, capture_us(packet.ts_ns) - e->rtt_at_us);
  // The asker may have sent newer TSvals meanwhile: learn its current one before the next.
  e->rtt_state = state::stale;
  h.set_bits(asker, bits & ~health_bit::rtt_armed);
}

// Starts a sample with packet, sent by `sender` (e: its entry), when none of its is outstanding.
void start(TcpHealth& h, const uint16_t (&srtt)[2], EndpointEntry& e, unsigned sender,
           const decode::PacketRecord& packet, SegmentKind kind) noexcept {
  uint8_t bits = h.bits(sender);
  const uint32_t now_us = capture_us(packet.ts_ns);
  if (bits & health_bit::rtt_armed) {
    // Karn: the acknowledgement of a retransmitted segment does not say which copy it answers.
    if (kind == SegmentKind::retransmitted && !(bits & health_bit::rtt_timestamps))
      h.set_bits(sender, bits & ~health_bit::rtt_armed);
    return;
  }
  // One sample a round trip: a new one starts once the path's smoothed RTT has passed since
  // the last began, so the work per connection stays small at any packet rate.
  const bool due = now_us - e.rtt_at_us >= rtt_code::decode(srtt[sender ^ 1]);
  if (packet.tcp_options & decode::tcp_option::timestamps) {
    // Only the first packet with a TSval starts a sample: the echo answers that one.
    const uint32_t tsval = packet.tsval;
    const bool first = !(bits & health_bit::rtt_booked);  // the endpoint's first TSval is new
    if (!first && (e.rtt_state == state::stale || (tsval != e.rtt_mark && !due))) {
      e.rtt_state = state::baseline;
    } else if (first || tsval != e.rtt_mark) {
      e.rtt_at_us = now_us;
      e.rtt_state = state::armed;
      bits |= health_bit::rtt_armed;
    }
    e.rtt_mark = tsval;
    bits |= health_bit::rtt_booked | health_bit::rtt_timestamps;
  } else if (kind == SegmentKind::advancing && due) {
    e.rtt_mark = h.next_seq[sender];
    e.rtt_at_us = now_us;
    e.rtt_state = state::armed;
    bits = uint8_t((bits | health_bit::rtt_armed | health_bit::rtt_booked) & ~health_bit::rtt_timestamps);
  }
  h.set_bits(sender, bits);
}

}  // namespace

void add_rtt_sample(TcpHealth& h, uint16_t (&srtt)[2], unsigned end, uint32_t rtt_us) noexcept {
  if (int32_t(rtt_us) < 0) return;  // capture time ran backwards (readers' clocks)
  const uint32_t previous = rtt_code::decode(srtt[end]);
  // RFC 6298's smoothing, gain 1/8.
  const uint32_t smoothed =
      previous == 0 ? rtt_us : uint32_t(int64_t(previous) + (int64_t(rtt_us) - int64_t(previous)) / 8);
  srtt[end] = rtt_code::encode(smoothed);
  if (const uint32_t other = rtt_code::decode(srtt[end ^ 1])) {
    const uint32_t sum = rtt_us + other;
    if (h.rtt_min == 0 || sum < rtt_code::decode(h.rtt_min)) h.rtt_min = rtt_code::encode(sum);
  }
  bump(h.rtt_samples);
}

void sample_rtt(TcpHealth& h, uint16_t (&srtt)[2], EndpointEntry& fwd, EndpointEntry* rev, unsigned sender,
                const decode::PacketRecord& packet, SegmentKind kind) noexcept {
  if (h.bits(sender ^ 1) & health_bit::rtt_armed) answer(h, srtt, rev, sender ^ 1, packet);
  start(h, srtt, fwd, sender, packet, kind);
}

}  // namespace ringtrack::flow
