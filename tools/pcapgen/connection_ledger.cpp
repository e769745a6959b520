// Owns: the per-connection state transitions and counters described in connection_ledger.hpp.
// Does not own: frame decoding or attribution.
#include "connection_ledger.hpp"

#include "tcp_flags.hpp"

namespace pcapgen {

std::string_view track_state_name(track_state state) noexcept {
    switch (state) {
    case track_state::syn_sent:
        return "SYN_SENT";
    case track_state::synack_ack:
        return "SYN|ACK-ACK";
    case track_state::established:
        return "ESTABLISHED";
    case track_state::closing:
        return "CLOSING";
    case track_state::closed:
        return "CLOSED";
    case track_state::reset:
        return "RESET";
    }
    return "RESET";
}

void connection_ledger::observe(direction from, const segment_facts& segment, std::uint32_t wire_bytes,
                                std::uint64_t ts_ns) noexcept {
    const bool syn = (segment.flags & tcp_flag::syn) != 0;
    const bool ack = (segment.flags & tcp_flag::ack) != 0;
    const bool fin = (segment.flags & tcp_flag::fin) != 0;
    const bool rst = (segment.flags & tcp_flag::rst) != 0;
    if (!_started) {
        _started = true;
        _mid_stream = !(syn && !ack);
        _state = _mid_stream ? track_state::established : track_state::syn_sent;
        _first_ts_ns = ts_ns;
    }
    direction_totals& totals = _totals[index_of(from)];
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
    case track_state::synack_ack:
        if (ack) {
            _state = track_state::established;
        }
        break;
    case track_state::syn_sent:
        if (syn && ack) {
            _state = track_state::synack_ack;
        }
        break;
    case track_state::established:
        if (fin) {
            _state = track_state::closing;
        }
        break;
    case track_state::closing:
        if (ack && _fin_seen[other] && segment.ack == _fin_ack_expected[other]) {
            _fin_acked[other] = true;
        }
        if (_fin_acked[0] && _fin_acked[1]) {
            _state = track_state::closed;
        }
        break;
    case track_state::closed:
    case track_state::reset:
        break;
    }
    if (rst && _state != track_state::closed) {  // a clean close stays CLOSED
        _state = track_state::reset;
    }
}

bool connection_ledger::listed() const noexcept {
    return _started && (!_mid_stream || (_totals[0].packets > 0 && _totals[1].packets > 0));
}

}  // namespace pcapgen
