// Owns: the capture-file reader thread's loop: frames to the router, the capture clock and
// its markers, and for a replay on screen the pacing.
// Does not own: the shards' threads (file_capture), the per-frame work (record_router).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "capture/pcap_file_reader.hpp"
#include "flow/flow_hash.hpp"
#include "runtime/record_router.hpp"
#include "runtime/run_options.hpp"
#include "runtime/shard_channels.hpp"

namespace ringtrack::runtime {

/// What the reader publishes for the session's status and stop checks and the screen.
struct FileProgress {
  std::atomic<uint64_t> clock_ns{0};  ///< a replay's capture time now (relaxed)
  std::atomic<uint64_t> tcp_packets{0};
  /// Set (release) once the file is read; damage is written before it, read after it.
  std::atomic<bool> ended{false};
  std::string damage;
};

class FileSource {
 public:
  /// shards: one destination per shard (their pools); own: this thread's wake; stop: end
  /// early (the final report as of the last frame read); counters: the reader's counters to
  /// the aggregator. options (the report periods and the pacing) outlive the source.
  FileSource(capture::PcapFileReader& reader, const flow::FlowHasher& hasher, std::vector<Destination> shards,
             const RunOptions& options, const std::atomic<bool>& stop, ReaderChannel& counters, Wake& aggregator,
             FileProgress& progress, Wake& own);

  /// Runs on the reader thread until the file ends (or stop; a replay: until stop, its
  /// clock held at the last packet), then sends every shard the finish marker.
  void run();

 private:
  void advance_clock(uint64_t ts_ns);
  void tick_all(uint64_t ts_ns);
  /// A report of kind marker at the newest multiple of period_ns since next_ns that
  /// ts_ns passed; next_ns moves one period beyond it.
  void report_at_boundary(Marker marker, uint64_t ts_ns, uint64_t period_ns, uint64_t& next_ns);
  void wait_until_due(uint64_t ts_ns);
  /// A counters-only report when counters_period_ns of wall time passed since the last:
  /// the metrics follow a file as it is read, not only at its end.
  void report_counters_if_due();
  uint64_t replay_clock_now() const;
  bool stop_requested() const noexcept { return _stop.load(std::memory_order_relaxed); }
  void flush_all();
  /// The reader's counters, then the marker to every shard: the aggregator writes the
  /// report once both are in.
  void report(Marker marker, uint64_t ts_ns);

  capture::PcapFileReader& _reader;
  const RunOptions& _options;
  const std::atomic<bool>& _stop;
  ReaderChannel& _counters;
  Wake& _aggregator;
  FileProgress& _progress;
  Wake& _own;
  RecordRouter _router;
  uint64_t _now_ns = 0;
  uint64_t _first_ts_ns = 0;
  uint64_t _start_wall_ns = 0;
  uint64_t _next_tick_ns = 0;
  uint64_t _next_report_ns = 0;
  uint64_t _next_active_timeout_ns = 0;
  uint64_t _next_counters_ns = 0;  ///< monotonic
};

}  // namespace ringtrack::runtime
