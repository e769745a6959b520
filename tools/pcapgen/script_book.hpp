// Owns: per-session scripts of tcp_ops in one shared array, and the phrases they are built from.
// Does not own: running scripts (interleaver) or what an op does (session_traffic).
#pragma once

#include <cstdint>
#include <vector>

#include "rng.hpp"
#include "session_traffic.hpp"
#include "tcp_session.hpp"

namespace pcapgen {

struct script_step {
    tcp_op op = tcp_op::ack;
    direction from = direction::c2s;
    std::uint16_t payload_bytes = 0;
    std::uint8_t fragments = 0;
};

class script_book {
public:
    /// Starts the script of session (no other script may be open).
    void open(tcp_session& session) noexcept;
    /// Ends it: the session will run steps [open, close).
    void close(tcp_session& session) noexcept;

    void add(tcp_op op, direction from, std::uint32_t payload_bytes = 0, std::uint32_t fragments = 0);

    /// SYN, SYN|ACK, ACK.
    void handshake();
    /// total_bytes from one side in MSS-sized segments, the other side ACKing every second
    /// segment and the last.
    void transfer(direction from, std::uint32_t total_bytes, std::uint32_t mss_bytes);
    /// rounds of request (client, 40..700 bytes) and response (server, 100..max_response).
    void exchange(rng& random, std::uint32_t rounds, std::uint32_t max_response_bytes, std::uint32_t mss_bytes);
    /// FIN, ACK, FIN, ACK.
    void close_four_way(direction first, std::uint32_t fin_payload_bytes = 0);
    /// FIN, FIN|ACK, ACK.
    void close_three_way(direction first, std::uint32_t fin_payload_bytes = 0);
    /// Both FINs cross on the wire, then both ACKs.
    void close_simultaneous();

    const std::vector<script_step>& steps() const noexcept { return _steps; }
    std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(_steps.size()); }

private:
    std::vector<script_step> _steps;
};

}  // namespace pcapgen
