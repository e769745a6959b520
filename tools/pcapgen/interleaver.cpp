// Owns: admission and random interleaving of session scripts.
// Does not own: what a step sends.
#include "interleaver.hpp"

#include <stdexcept>

namespace ringtrack::pcapgen {

Interleaver::Interleaver(std::vector<TcpSession>& sessions, const ScriptBook& book, uint32_t max_active, Rng random,
                         bool finish_sessions)
    : _sessions(sessions),
      _book(book),
      _max_active(max_active == 0 ? 1 : max_active),
      _random(random),
      _finish_sessions(finish_sessions) {
  _active.reserve(_max_active);
}

void Interleaver::admit() {
  const auto count = static_cast<uint32_t>(_sessions.size());
  while (_next_pending < count && script_done(_sessions[_next_pending])) {
    ++_next_pending;  // nothing to send
  }
  if (_next_pending >= count || _active.size() >= _max_active) {
    return;
  }
  // Staggered starts: with room, a new session joins on about every second step, so
  // connections overlap instead of starting in lock-step.
  if (!_active.empty() && !_random.one_in(2)) {
    return;
  }
  const TcpSession& candidate = _sessions[_next_pending];
  if (candidate.start_after >= 0 && !script_done(_sessions[static_cast<std::size_t>(candidate.start_after)])) {
    if (_active.empty()) {
      throw std::logic_error("interleaver: start_after must name an earlier session");
    }
    return;
  }
  _active.push_back(_next_pending++);
}

bool Interleaver::step(TrafficContext& traffic) {
  admit();
  if (_active.empty()) {
    return false;
  }
  const uint32_t slot = _random.below(static_cast<uint32_t>(_active.size()));
  TcpSession& session = _sessions[_active[slot]];
  const ScriptStep& next = _book.steps()[session.script_cursor++];
  send_segment(traffic, session, next.op, next.from, next.payload_bytes, next.fragments);
  if (script_done(session)) {
    if (_finish_sessions) {
      traffic.sink.finish_session(session);
    }
    _active[slot] = _active.back();
    _active.pop_back();
  }
  return true;
}

}  // namespace ringtrack::pcapgen
