// Owns: per-session scripts of tcp_ops in one shared array, and the phrases they are built from.
// Does not own: running scripts (interleaver) or what an op does (session_traffic).
#pragma once

#include <cstdint>
#include <vector>

#include "rng.hpp"
#include "session_traffic.hpp"
#include "tcp_session.hpp"

namespace ringtrack::pcapgen {

struct ScriptStep {
  TcpOp op = TcpOp::ack;
  Direction from = Direction::c2s;
  uint16_t payload_bytes = 0;
  uint8_t fragments = 0;
};

class ScriptBook {
 public:
  /// Starts the script of session (no other script may be open).
  void open(TcpSession& session) noexcept;
  /// Ends it: the session will run steps [open, close).
  void close(TcpSession& session) noexcept;

  void add(TcpOp op, Direction from, uint32_t payload_bytes = 0, uint32_t fragments = 0);

  /// SYN, SYN|ACK, ACK.
  void handshake();
  /// total_bytes from one side in MSS-sized segments, the other side ACKing every second
  /// segment and the last.
  void transfer(Direction from, uint32_t total_bytes, uint32_t mss_bytes);
  /// rounds of request (client, 40..700 bytes) and response (server, 100..max_response).
  void exchange(Rng& random, uint32_t rounds, uint32_t max_response_bytes, uint32_t mss_bytes);
  /// FIN, ACK, FIN, ACK.
  void close_four_way(Direction first, uint32_t fin_payload_bytes = 0);
  /// FIN, FIN|ACK, ACK.
  void close_three_way(Direction first, uint32_t fin_payload_bytes = 0);
  /// Both FINs cross on the wire, then both ACKs.
  void close_simultaneous();

  const std::vector<ScriptStep>& steps() const noexcept { return _steps; }
  uint32_t size() const noexcept { return static_cast<uint32_t>(_steps.size()); }

 private:
  std::vector<ScriptStep> _steps;
};

}  // namespace ringtrack::pcapgen
