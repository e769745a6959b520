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

namespace pcapgen {

class interleaver {
public:
    /// finish_sessions: write each session's expectation when its script ends (false for a
    /// phase that leaves connections open for a later phase).
    interleaver(std::vector<tcp_session>& sessions, const script_book& book, std::uint32_t max_active, rng random,
                bool finish_sessions = true);

    /// Sends one operation of one session; false once every script has run to its end.
    bool step(traffic_context& traffic);

    void run(traffic_context& traffic) {
        while (step(traffic)) {
        }
    }

private:
    void admit();
    bool script_done(const tcp_session& session) const noexcept {
        return session.script_cursor == session.script_end;
    }

    std::vector<tcp_session>& _sessions;
    const script_book& _book;
    std::vector<std::uint32_t> _active;  // session indexes
    std::uint32_t _next_pending = 0;
    std::uint32_t _max_active;
    rng _random;
    bool _finish_sessions;
};

}  // namespace pcapgen
