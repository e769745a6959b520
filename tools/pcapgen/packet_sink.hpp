// Owns: the one path every frame takes to the file: timestamp, write, attribution, summary counts.
// Does not own: frame bytes (frame_builder, malformed_frames) or scheduling (scenarios).
//
// A frame counts for a connection, as an untracked fragment, as undecodable or as other; a
// session's expectation line is written when the session is finished.
#pragma once

#include <cstdint>

#include "expect_writer.hpp"
#include "frame_builder.hpp"
#include "packet_clock.hpp"
#include "pcap_writer.hpp"
#include "tcp_session.hpp"

namespace ringtrack::pcapgen {

class PacketSink {
 public:
  /// expect may be null (no --expect): counting still happens, nothing is formatted.
  PacketSink(PcapWriter& writer, PacketClock clock, ExpectWriter* expect) noexcept
      : _writer(writer), _clock(clock), _expect(expect) {}

  /// Timestamp the next frame will carry (TCP timestamp options are derived from it).
  uint64_t next_ts_ns() const noexcept { return _clock.ts_ns(_summary.frames); }
  uint64_t frames_written() const noexcept { return _summary.frames; }

  /// A frame carrying a TCP header (whole segment or first fragment). It counts for the
  /// session only if the capture holds the fixed 20-byte TCP header; otherwise it is
  /// undecodable (only --snaplen makes that happen for generated traffic).
  void emit_tcp(TcpSession& session, Direction from, const BuiltFrame& frame, const SegmentFacts& segment);
  /// A fragment with a non-zero offset: no transport header, counted for no connection.
  void emit_untracked_fragment(const BuiltFrame& frame);
  /// A frame no robust decoder may turn into a TCP segment.
  void emit_undecodable(const BuiltFrame& frame);
  /// A well-formed frame that is not TCP (a first UDP fragment) or not attributed.
  void emit_other(const BuiltFrame& frame);

  /// Ends the session's expectation: writes its line if the ledger lists it. Idempotent.
  void finish_session(TcpSession& session);

  /// Writes the summary line and closes both files.
  void finish();

 private:
  uint64_t write(const BuiltFrame& frame);

  PcapWriter& _writer;
  PacketClock _clock;
  ExpectWriter* _expect;
  ExpectSummary _summary;
};

}  // namespace ringtrack::pcapgen
