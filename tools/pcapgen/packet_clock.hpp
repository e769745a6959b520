// Owns: the capture timestamp of the n-th frame (start time + n / pps, at file resolution).
// Does not own: writing timestamps (pcap_writer) or counting frames (packet_sink).
#pragma once

#include <cstdint>

namespace ringtrack::pcapgen {

/// Timestamps depend only on the frame's position in the file, so the same arguments always
/// give the same bytes, and the expectation file can quote them exactly.
class PacketClock {
 public:
  PacketClock(uint64_t start_s, uint64_t packets_per_s, bool nanosecond) noexcept
      : _start_ns(start_s * 1'000'000'000U), _packets_per_s(packets_per_s), _nanosecond(nanosecond) {}

  /// Timestamp of frame frame_index in ns, truncated to µs for microsecond files so the
  /// expectation quotes what a reader of the file will see.
  uint64_t ts_ns(uint64_t frame_index) const noexcept {
    const uint64_t offset_ns =
        frame_index / _packets_per_s * 1'000'000'000U + frame_index % _packets_per_s * 1'000'000'000U / _packets_per_s;
    const uint64_t ts = _start_ns + offset_ns;
    return _nanosecond ? ts : ts - ts % 1000U;
  }

 private:
  uint64_t _start_ns;
  uint64_t _packets_per_s;  // > 0, checked by the CLI
  bool _nanosecond;
};

}  // namespace ringtrack::pcapgen
