// Owns: building script steps and the common TCP conversation phrases.
// Does not own: executing them.
#include "script_book.hpp"

namespace ringtrack::pcapgen {

void ScriptBook::open(TcpSession& session) noexcept { session.script_begin = size(); }

void ScriptBook::close(TcpSession& session) noexcept {
  session.script_end = size();
  session.script_cursor = session.script_begin;
}

void ScriptBook::add(TcpOp op, Direction from, uint32_t payload_bytes, uint32_t fragments) {
  _steps.push_back(ScriptStep{op, from, static_cast<uint16_t>(payload_bytes), static_cast<uint8_t>(fragments)});
}

void ScriptBook::handshake() {
  add(TcpOp::syn, Direction::c2s);
  add(TcpOp::syn_ack, Direction::s2c);
  add(TcpOp::ack, Direction::c2s);
}

void ScriptBook::transfer(Direction from, uint32_t total_bytes, uint32_t mss_bytes) {
  uint32_t segments = 0;
  uint32_t left = total_bytes;
  while (left > 0) {
    const uint32_t segment_bytes = left < mss_bytes ? left : mss_bytes;
    add(TcpOp::data, from, segment_bytes);
    left -= segment_bytes;
    ++segments;
    if (segments % 2 == 0 || left == 0) {
      add(TcpOp::ack, reverse(from));  // delayed ACK: every second full segment
    }
  }
}

void ScriptBook::exchange(Rng& random, uint32_t rounds, uint32_t max_response_bytes, uint32_t mss_bytes) {
  for (uint32_t round = 0; round < rounds; ++round) {
    transfer(Direction::c2s, random.between(40, 700), mss_bytes);
    transfer(Direction::s2c, random.between(100, max_response_bytes), mss_bytes);
  }
}

void ScriptBook::close_four_way(Direction first, uint32_t fin_payload_bytes) {
  add(TcpOp::fin, first, fin_payload_bytes);
  add(TcpOp::ack, reverse(first));
  add(TcpOp::fin, reverse(first));
  add(TcpOp::ack, first);
}

void ScriptBook::close_three_way(Direction first, uint32_t fin_payload_bytes) {
  add(TcpOp::fin, first, fin_payload_bytes);
  add(TcpOp::fin, reverse(first));
  add(TcpOp::ack, first);
}

void ScriptBook::close_simultaneous() {
  add(TcpOp::fin, Direction::c2s);
  add(TcpOp::fin_crossing, Direction::s2c);
  add(TcpOp::ack, Direction::c2s);
  add(TcpOp::ack, Direction::s2c);
}

}  // namespace ringtrack::pcapgen
