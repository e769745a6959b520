// Owns: what travels between a shard and the aggregator, and the queue types for it.
// Does not own: the threads on either end (file_pipeline, live readers, aggregator).
#pragma once

#include <cstdint>

#include "decode/packet_record.hpp"
#include "flow/conn_view.hpp"
#include "flow/shard_stats.hpp"
#include "runtime/capture_summary.hpp"
#include "runtime/spsc_link.hpp"

namespace ringtrack::runtime {

/// One message up from a shard, in order: removed rows as they happen; at a report, every
/// tracked connection then report_end with the shard's counters.
struct ShardOutput {
  enum class Kind : uint8_t { removed, interim, final, report_end };
  Kind kind;
  flow::ConnView view;     ///< removed, interim, final
  flow::ShardStats stats;  ///< report_end
};

/// A reader's counters at a report (files: the one reader; live: one per ring).
struct ReaderSnapshot {
  uint64_t as_of_ns = 0;
  bool final = false;
  uint64_t frames_read = 0;
  uint64_t filtered_out = 0;
  uint64_t loopback_copies = 0;  ///< loopback's outgoing duplicates, not read as frames
  decode::DecodeCounters decode;
  RingCounters kernel;
  uint64_t reports_lost = 0;   ///< removed-connection rows a live reader could not queue
  uint64_t handoff_drops = 0;  ///< records for another shard that did not fit its queue
};

// 8192 records of 80 bytes: 640 KiB per shard, a few milliseconds of a busy link, enough
// for the reader to run ahead while a shard sweeps.
using PacketLink = SpscLink<decode::PacketRecord, 8192>;
// Rows up to the aggregator; a report streams through it while the aggregator drains.
using OutputLink = SpscLink<ShardOutput, 4096>;
// Reader counters, one entry per report: a handful at most in flight.
using SnapshotLink = SpscLink<ReaderSnapshot, 64>;

}  // namespace ringtrack::runtime
