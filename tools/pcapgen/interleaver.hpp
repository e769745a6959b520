// Owns: running many session scripts concurrently: each step sends one op of one random active session.
// Does not own: the scripts (script_book) or the operations (session_traffic).
//
// Sessions are admitted in order, at most max_active at a time, respecting start_after.
#pragma once

#include <cstdint>
#include <vector>

#include "rng.hpp"
#include "script_book.hpp"
#include "session_traffic.hpp"
#include "tcp_session.hpp"

namespace ringtrack::pcapgen {

class Interleaver {
 public:
  /// finish_sessions: write each session's expectation when its script ends (false for a
  /// phase that leaves connections open for a later phase).
  Interleaver(std::vector<TcpSession>& sessions, const ScriptBook& book, uint32_t max_active, Rng random,
              bool finish_sessions = true);

  /// Sends one operation of one session; false once every script has run to its end.
  bool step(TrafficContext& traffic);

  void run(TrafficContext& traffic) {
    while (step(traffic)) {
    }
  }

 private:
  void admit();
  bool script_done(const TcpSession& session) const noexcept { return session.script_cursor == session.script_end; }

  std::vector<TcpSession>& _sessions;
  const ScriptBook& _book;
  std::vector<uint32_t> _active;  // session indexes
  uint32_t _next_pending = 0;
  uint32_t _max_active;
  Rng _random;
  bool _finish_sessions;
};

}  // namespace ringtrack::pcapgen
