// Owns: what a tcptrack-compatible monitor must report for one connection: state, counts, times.
// Does not own: deciding which frames are decodable (packet_sink) or output format (expect_writer).
//
// The state machine is tcptrack 1.4.3 TCPConnection::acceptPacket with directions told apart by
// address AND port; counters are per direction (packets, wire bytes, payload bytes).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace pcapgen {

enum class direction : std::uint8_t { c2s = 0, s2c = 1 };

constexpr direction reverse(direction d) noexcept { return d == direction::c2s ? direction::s2c : direction::c2s; }
constexpr std::size_t index_of(direction d) noexcept { return static_cast<std::size_t>(d); }

/// tcptrack's six states (TCPConnection.h names in brackets).
enum class track_state : std::uint8_t {
    syn_sent,     // "SYN_SENT"     [TCP_STATE_SYN_SYNACK]
    synack_ack,   // "SYN|ACK-ACK"  [TCP_STATE_SYNACK_ACK]
    established,  // "ESTABLISHED"  [TCP_STATE_UP]
    closing,      // "CLOSING"      [TCP_STATE_FIN_FINACK]
    closed,       // "CLOSED"
    reset,        // "RESET"
};

std::string_view track_state_name(track_state state) noexcept;

/// The parts of a decoded TCP segment the state machine reads.
struct segment_facts {
    std::uint8_t flags = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint32_t payload_bytes = 0;  // from IP lengths
};

struct direction_totals {
    std::uint64_t packets = 0;
    std::uint64_t wire_bytes = 0;
    std::uint64_t payload_bytes = 0;
};

/// Rules, applied to every decodable frame of the connection in file order:
///  - The first frame starts it: SYN without ACK -> SYN_SENT; anything else -> a mid-stream
///    pickup, ESTABLISHED from that frame on (all its frames count, from the first).
///  - A FIN from side X sets "expect ack seq+payload+1 from the other side" (and clears an
///    earlier match), in any state.
///  - SYN_SENT + SYN|ACK -> SYN|ACK-ACK; SYN|ACK-ACK + any ACK -> ESTABLISHED;
///    ESTABLISHED + FIN -> CLOSING; CLOSING + an ACK equal to the expected ack of the other
///    side's FIN marks that FIN acknowledged; both acknowledged -> CLOSED.
///  - RST -> RESET, in any state.
/// A mid-stream pickup is listed only once it has frames in both directions (tcptrack's
/// Guesser and DESIGN.md); a SYN-started connection is always listed.
class connection_ledger {
public:
    void observe(direction from, const segment_facts& segment, std::uint32_t wire_bytes, std::uint64_t ts_ns) noexcept;

    bool listed() const noexcept;
    track_state state() const noexcept { return _state; }
    const direction_totals& totals(direction d) const noexcept { return _totals[index_of(d)]; }
    std::uint64_t packets() const noexcept { return _totals[0].packets + _totals[1].packets; }
    std::uint64_t first_ts_ns() const noexcept { return _first_ts_ns; }
    std::uint64_t last_ts_ns() const noexcept { return _last_ts_ns; }

private:
    std::array<direction_totals, 2> _totals{};
    std::array<std::uint32_t, 2> _fin_ack_expected{};  // [X] = ack that acknowledges X's FIN
    std::array<bool, 2> _fin_seen{};
    std::array<bool, 2> _fin_acked{};
    std::uint64_t _first_ts_ns = 0;
    std::uint64_t _last_ts_ns = 0;
    track_state _state = track_state::syn_sent;
    bool _started = false;
    bool _mid_stream = false;
};

}  // namespace pcapgen
