// Owns: the per-connection state transitions and counters described in connection_ledger.hpp.
// Does not own: frame decoding or attribution.
#include "connection_ledger.hpp"

#include "tcp_flags.hpp"

namespace ringtrack::pcapgen {

std::string_view track_state_name(TrackState state) noexcept {
  switch (state) {
    case TrackState::syn_sent: return "SYN_SENT";
    case TrackState::synack_ack: return "SYN|ACK-ACK";
    case TrackState::established: return "ESTABLISHED";
    case TrackState::closing: return "CLOSING";
    case TrackState::closed: return "CLOSED";
    case TrackState::reset: return "RESET";
  }
  return "RESET";
}

void ConnectionLedger::observe(Direction from, const SegmentFacts& segment, uint32_t wire_bytes,
                               uint64_t ts_ns) noexcept {
  const bool syn = (segment.flags & tcp_flag::syn) != 0;
  const bool ack = (segment.flags & tcp_flag::ack) != 0;
  const bool fin = (segment.flags & tcp_flag::fin) != 0;
  const bool rst = (segment.flags & tcp_flag::rst) != 0;
  if (!_started) {
    _started = true;
    _mid_stream = !(syn && !ack);
    _state = _mid_stream ? TrackState::established : TrackState::syn_sent;
    _first_ts_ns = ts_ns;
  }
  DirectionTotals& totals = _totals[index_of(from)];
  ++totals.packets;
  totals.wire_bytes += wire_bytes;
  totals.payload_bytes += segment.payload_bytes;
  _last_ts_ns = ts_ns;

  const std::size_t self = index_of(from);
  const std::size_t other = index_of(reverse(from));
  if (fin) {
    _fin_ack_expected[self] = segment.seq + segment.payload_bytes + 1;
    _fin_seen[self] = true;
    _fin_acked[self] = false;
  }
  switch (_state) {
    case TrackState::synack_ack:
      if (ack) {
        _state = TrackState::established;
      }
      break;
    case TrackState::syn_sent:
      if (syn && ack) {
        _state = TrackState::synack_ack;
      }
      break;
    case TrackState::established:
      if (fin) {
        _state = TrackState::closing;
      }
      break;
    case TrackState::closing:
      if (ack && _fin_seen[other] && segment.ack == _fin_ack_expected[other]) {
        _fin_acked[other] = true;
      }
      if (_fin_acked[0] && _fin_acked[1]) {
        _state = TrackState::closed;
      }
      break;
    case TrackState::closed:
    case TrackState::reset: break;
  }
  if (rst && _state != TrackState::closed) {  // a clean close stays CLOSED
    _state = TrackState::reset;
  }
}

bool ConnectionLedger::listed() const noexcept {
  return _started && (!_mid_stream || (_totals[0].packets > 0 && _totals[1].packets > 0));
}

}  // namespace ringtrack::pcapgen
