// Owns: frame attribution and the expectation summary counters.
// Does not own: the state machine (connection_ledger) or the file formats.
#include "packet_sink.hpp"

namespace pcapgen {

std::uint64_t packet_sink::write(const built_frame& frame) {
    const std::uint64_t ts_ns = next_ts_ns();
    _writer.write_frame(ts_ns, frame.wire_bytes, frame.head, frame.tail);
    ++_summary.frames;
    return ts_ns;
}

void packet_sink::emit_tcp(tcp_session& session, direction from, const built_frame& frame,
                           const segment_facts& segment) {
    const std::uint64_t ts_ns = write(frame);
    const auto provided_bytes = static_cast<std::uint32_t>(frame.head.size() + frame.tail.size());
    if (_writer.captured_bytes(provided_bytes) < frame.decode_bytes) [[unlikely]] {
        ++_summary.undecodable;
        return;
    }
    session.ledger.observe(from, segment, frame.wire_bytes, ts_ns);
}

void packet_sink::emit_untracked_fragment(const built_frame& frame) {
    write(frame);
    ++_summary.untracked_fragments;
}

void packet_sink::emit_undecodable(const built_frame& frame) {
    write(frame);
    ++_summary.undecodable;
}

void packet_sink::emit_other(const built_frame& frame) { write(frame); }

void packet_sink::finish_session(tcp_session& session) {
    if (session.finished) {
        return;
    }
    session.finished = true;
    if (!session.ledger.listed()) {
        return;
    }
    ++_summary.connections;
    _summary.tcp_packets += session.ledger.packets();
    if (_expect != nullptr) {
        _expect->write_connection(session);
    }
}

void packet_sink::finish() {
    _writer.finish();
    if (_expect != nullptr) {
        _expect->write_summary(_summary);
        _expect->finish();
    }
}

}  // namespace pcapgen
