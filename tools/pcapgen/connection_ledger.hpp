// Owns: what a tcptrack-compatible monitor must report for one connection: state, counts, times.
// Does not own: deciding which frames are decodable (packet_sink) or output format (expect_writer).
//
// The state machine is tcptrack 1.4.3 TCPConnection::acceptPacket with directions told apart by
// address AND port; counters are per direction (packets, wire bytes, payload bytes).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace ringtrack::pcapgen {

enum class Direction : uint8_t { c2s = 0, s2c = 1 };

constexpr Direction reverse(Direction d) noexcept { return d == Direction::c2s ? Direction::s2c : Direction::c2s; }
constexpr std::size_t index_of(Direction d) noexcept { return static_cast<std::size_t>(d); }

/// tcptrack's six states (TCPConnection.h names in brackets).
enum class TrackState : uint8_t {
  syn_sent,     // "SYN_SENT"     [TCP_STATE_SYN_SYNACK]
  synack_ack,   // "SYN|ACK-ACK"  [TCP_STATE_SYNACK_ACK]
  established,  // "ESTABLISHED"  [TCP_STATE_UP]
  closing,      // "CLOSING"      [TCP_STATE_FIN_FINACK]
  closed,       // "CLOSED"
  reset,        // "RESET"
};

std::string_view track_state_name(TrackState state) noexcept;

/// The parts of a decoded TCP segment the state machine reads.
struct SegmentFacts {
  uint8_t flags = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint32_t payload_bytes = 0;  // from IP lengths
};

struct DirectionTotals {
  uint64_t packets = 0;
  uint64_t wire_bytes = 0;
  uint64_t payload_bytes = 0;
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
/// A mid-stream pickup is listed only once it has frames in both directions (as tcptrack's
/// Guesser); a SYN-started connection is always listed.
class ConnectionLedger {
 public:
  void observe(Direction from, const SegmentFacts& segment, uint32_t wire_bytes, uint64_t ts_ns) noexcept;

  bool listed() const noexcept;
  TrackState state() const noexcept { return _state; }
  const DirectionTotals& totals(Direction d) const noexcept { return _totals[index_of(d)]; }
  uint64_t packets() const noexcept { return _totals[0].packets + _totals[1].packets; }
  uint64_t first_ts_ns() const noexcept { return _first_ts_ns; }
  uint64_t last_ts_ns() const noexcept { return _last_ts_ns; }

 private:
  std::array<DirectionTotals, 2> _totals{};
  std::array<uint32_t, 2> _fin_ack_expected{};  // [X] = ack that acknowledges X's FIN
  std::array<bool, 2> _fin_seen{};
  std::array<bool, 2> _fin_acked{};
  uint64_t _first_ts_ns = 0;
  uint64_t _last_ts_ns = 0;
  TrackState _state = TrackState::syn_sent;
  bool _started = false;
  bool _mid_stream = false;
};

}  // namespace ringtrack::pcapgen
