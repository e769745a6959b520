// Owns: frame attribution and the expectation summary counters.
// Does not own: the state machine (connection_ledger) or the file formats.
#include "packet_sink.hpp"

namespace ringtrack::pcapgen {

uint64_t PacketSink::write(const BuiltFrame& frame) {
  const uint64_t ts_ns = next_ts_ns();
  _writer.write_frame(ts_ns, frame.wire_bytes, frame.head, frame.tail, frame.capture_interface);
  ++_summary.frames;
  return ts_ns;
}

void PacketSink::emit_tcp(TcpSession& session, Direction from, const BuiltFrame& frame, const SegmentFacts& segment) {
  const uint64_t ts_ns = write(frame);
  const auto provided_bytes = static_cast<uint32_t>(frame.head.size() + frame.tail.size());
  if (_writer.captured_bytes(provided_bytes, frame.capture_interface) < frame.decode_bytes) [[unlikely]] {
    ++_summary.undecodable;
    return;
  }
  session.ledger.observe(from, segment, frame.wire_bytes, ts_ns);
}

void PacketSink::emit_untracked_fragment(const BuiltFrame& frame) {
  write(frame);
  ++_summary.untracked_fragments;
}

void PacketSink::emit_undecodable(const BuiltFrame& frame) {
  write(frame);
  ++_summary.undecodable;
}

void PacketSink::emit_other(const BuiltFrame& frame) { write(frame); }

void PacketSink::finish_session(TcpSession& session) {
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

void PacketSink::finish() {
  _writer.finish();
  if (_expect != nullptr) {
    _expect->write_summary(_summary);
    _expect->finish();
  }
}

}  // namespace ringtrack::pcapgen
