// Owns: the capture-file reader thread's loop: read, decode, hash, route records to shard
// batches, clock ticks, report markers; and, for a replay on screen, pacing by the file's
// own timestamps and a clock that keeps running after the file ends.
// Does not own: the shards' threads (file_shards) or the aggregator.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "capture/pcap_file_reader.hpp"
#include "decode/decode_outcome.hpp"
#include "flow/flow_hash.hpp"
#include "runtime/file_shards.hpp"

namespace ringtrack::runtime {

/// Replay on screen: packets are handed over when the replay clock reaches them.
struct ReplayPacing {
  double speed = 1.0;  ///< capture seconds per wall second; 0 = as fast as possible
  /// Published by the reader for the screen: capture time now (ns), and the end of input.
  std::atomic<uint64_t> clock_ns{0};
  /// Set (release) once the file is read; damage is written before it, read after it.
  std::atomic<bool> ended{false};
  std::string damage;
  std::atomic<uint64_t> frames_read{0};
  std::atomic<uint64_t> tcp_packets{0};
};

struct FileReadResult {
  bool damaged = false;
  std::string damage_message;
};

class FileReaderLoop {
 public:
  /// pacing: null for batch runs (as fast as the shards allow, then finish records and a
  /// final report); set for a screen replay (paced; after the end the clock keeps
  /// running until stop, then quit records and no report).
  FileReaderLoop(capture::PcapFileReader& reader, std::vector<FileShard>& shards, SnapshotLink& snapshots,
                 const flow::FlowHasher& hasher, uint64_t interval_ns, const std::atomic<bool>& stop,
                 const std::atomic<bool>* stop_signal, FileRunBells& bells, ReplayPacing* pacing);

  /// Runs on the reader thread until the file ends (batch) or stop (replay).
  FileReadResult run();

 private:
  void advance_clock(uint64_t ts_ns);
  void tick_all(uint64_t ts_ns);
  void wait_until_due(uint64_t ts_ns);
  void run_clock_after_end();
  uint64_t replay_clock_now() const;
  bool stop_requested() const noexcept;
  RecordBatch* take_batch(FileShard& shard);
  static void wake(FileShard& shard);
  decode::PacketRecord& next_slot(FileShard& shard) noexcept;
  void commit_slot(FileShard& shard);
  void route(uint32_t shard_index, const decode::PacketRecord& record);
  void flush(FileShard& shard);
  void flush_all();
  void send_to_all_shards(uint8_t kind, uint64_t ts_ns, bool final);

  capture::PcapFileReader& _reader;
  std::vector<FileShard>& _shards;
  SnapshotLink& _snapshots;
  const flow::FlowHasher& _hasher;
  uint64_t _interval_ns;
  const std::atomic<bool>& _stop;
  const std::atomic<bool>* _stop_signal;
  FileRunBells& _bells;
  ReplayPacing* _pacing;
  decode::DecodeCounters _decode;
  uint64_t _now_ns = 0;
  uint64_t _first_ts_ns = 0;
  uint64_t _start_wall_ns = 0;
  uint64_t _next_tick_ns = 0;
  uint64_t _next_report_ns = 0;
};

}  // namespace ringtrack::runtime
