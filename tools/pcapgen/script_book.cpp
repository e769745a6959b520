// Owns: building script steps and the common TCP conversation phrases.
// Does not own: executing them.
#include "script_book.hpp"

namespace pcapgen {

void script_book::open(tcp_session& session) noexcept { session.script_begin = size(); }

void script_book::close(tcp_session& session) noexcept {
    session.script_end = size();
    session.script_cursor = session.script_begin;
}

void script_book::add(tcp_op op, direction from, std::uint32_t payload_bytes, std::uint32_t fragments) {
    _steps.push_back(script_step{op, from, static_cast<std::uint16_t>(payload_bytes), static_cast<std::uint8_t>(fragments)});
}

void script_book::handshake() {
    add(tcp_op::syn, direction::c2s);
    add(tcp_op::syn_ack, direction::s2c);
    add(tcp_op::ack, direction::c2s);
}

void script_book::transfer(direction from, std::uint32_t total_bytes, std::uint32_t mss_bytes) {
    std::uint32_t segments = 0;
    std::uint32_t left = total_bytes;
    while (left > 0) {
        const std::uint32_t segment_bytes = left < mss_bytes ? left : mss_bytes;
        add(tcp_op::data, from, segment_bytes);
        left -= segment_bytes;
        ++segments;
        if (segments % 2 == 0 || left == 0) {
            add(tcp_op::ack, reverse(from));  // delayed ACK: every second full segment
        }
    }
}

void script_book::exchange(rng& random, std::uint32_t rounds, std::uint32_t max_response_bytes,
                           std::uint32_t mss_bytes) {
    for (std::uint32_t round = 0; round < rounds; ++round) {
        transfer(direction::c2s, random.between(40, 700), mss_bytes);
        transfer(direction::s2c, random.between(100, max_response_bytes), mss_bytes);
    }
}

void script_book::close_four_way(direction first, std::uint32_t fin_payload_bytes) {
    add(tcp_op::fin, first, fin_payload_bytes);
    add(tcp_op::ack, reverse(first));
    add(tcp_op::fin, reverse(first));
    add(tcp_op::ack, first);
}

void script_book::close_three_way(direction first, std::uint32_t fin_payload_bytes) {
    add(tcp_op::fin, first, fin_payload_bytes);
    add(tcp_op::fin, reverse(first));
    add(tcp_op::ack, first);
}

void script_book::close_simultaneous() {
    add(tcp_op::fin, direction::c2s);
    add(tcp_op::fin_crossing, direction::s2c);
    add(tcp_op::ack, direction::c2s);
    add(tcp_op::ack, direction::s2c);
}

}  // namespace pcapgen
