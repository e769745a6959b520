// Owns: the tracking rules a user can set (tcptrack's -d, -f, -r and ringtrack's timeouts).
// Does not own: parsing them (frontend/cli_options) or capacity per shard (runtime).
#pragma once

#include <cstdint>

namespace ringtrack::flow {

/// Timers are idle times in nanoseconds; `never` turns one off.
struct FlowConfig {
  static constexpr uint64_t never = UINT64_MAX;

  /// tcptrack's detect mode: pick up connections already running (no SYN seen). -d clears it.
  bool track_midstream = true;
  /// -f: speeds over a 1 s window sliding every 100 ms instead of the last complete second.
  bool fast_rates = false;
  /// Keep iftop's 10 s and 40 s averages beside the last second (the screen shows them;
  /// 168 bytes more per connection, touched once per second it is active).
  bool averages = false;
  /// Report removed connections to the shard's sink (batch output needs them; the screen not).
  bool report_removed = true;

  /// -r: CLOSED and RESET connections are removed after this much idle time.
  uint64_t closed_linger_ns = 2'000'000'000ull;
  /// tcptrack's SYN_SYNACK_WAIT: unanswered handshakes (SYN_SENT, SYN|ACK-ACK), and
  /// attempts reset in their handshake. A handshake whose SYN was retransmitted waits this
  /// plus its age, to cover the kernel's exponential back-off (flow_shard.cpp).
  uint64_t half_open_timeout_ns = 30'000'000'000ull;
  /// tcptrack's FIN_FINACK_WAIT: CLOSING connections whose close never completes.
  uint64_t closing_timeout_ns = 60'000'000'000ull;
  /// A mid-stream pickup seen in one direction only (tcptrack's Guesser window).
  uint64_t one_sided_timeout_ns = 60'000'000'000ull;
  /// A finished connection's identity (CLOSED, RESET, or CLOSING when removed) is kept
  /// this long after its removal, off the screen and out of the table, so that its stray
  /// segments (a retransmitted FIN, late data) are counted as stray packets instead of
  /// starting a phantom mid-stream row: TCP's TIME_WAIT (2 MSL, 60 s on Linux). 0: off.
  uint64_t time_wait_ns = 60'000'000'000ull;
  /// ESTABLISHED connections with no packet for this long (tcptrack never ages them,
  /// so its memory grows without bound).
  uint64_t idle_timeout_ns = 3600'000'000'000ull;

  /// Keep every connection until the input ends (comparisons with tools that never
  /// expire anything, such as Wireshark's conversations).
  void disable_timers() noexcept {
    closed_linger_ns = half_open_timeout_ns = closing_timeout_ns = one_sided_timeout_ns =
        idle_timeout_ns = never;
  }
};

}  // namespace ringtrack::flow
