// Owns: what travels between a shard and the aggregator, and the queue types for it.
// Does not own: the threads on either end (file_pipeline, live readers, aggregator).
#pragma once

#include <cstdint>

#include "decode/packet_record.hpp"
#include "flow/conn_view.hpp"
#include "flow/shard_stats.hpp"
#include "flow/view_query.hpp"
#include "runtime/capture_summary.hpp"
#include "runtime/doorbell.hpp"
#include "runtime/spsc_link.hpp"

namespace ringtrack::runtime {

/// One message up from a shard, in order: removed rows as they happen; at a report, every
/// tracked connection then report_end with the shard's counters; for a view query, its
/// rows then view_end with the shard's totals.
struct ShardOutput {
  enum class Kind : uint8_t { removed, interim, final, report_end, view_row, view_end };
  Kind kind;
  flow::ConnView view;     ///< removed, interim, final, view_row
  flow::ShardStats stats;  ///< report_end
  flow::ViewTotals totals; ///< view_end
  uint64_t query_id = 0;   ///< view_row, view_end
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

/// The aggregator's side of an OutputLink, as a producer that may wait sees it: where to
/// push, whom to wake after a push, and the bell the aggregator rings when it made room.
/// Bells are null for live readers after stop (they back off instead).
struct OutputPort {
  OutputLink* link = nullptr;
  Doorbell* consumer = nullptr;  ///< rung every ring_every pushes, at report ends and before waiting
  Doorbell* space = nullptr;     ///< rung by the aggregator when it popped messages
  mutable uint32_t unrung = 0;

  // Waking a sleeping consumer costs system calls: one ring per 64 rows keeps it busy
  // draining without a wake-up per row.
  static constexpr uint32_t ring_every = 64;

  /// Pushes one message, waiting while the link is full. Only where waiting loses nothing:
  /// capture files, or a live reader that has stopped reading its ring.
  void push_blocking(const ShardOutput& message) const;
};

}  // namespace ringtrack::runtime
