// Owns: what travels between a shard's driver, the session and the aggregator, its queues,
// and the set of channels each shard has.
// Does not own: the threads on either end (shard_driver, aggregator, session).
#pragma once

#include <cstdint>
#include <memory>

#include "flow/conn_view.hpp"
#include "flow/flow_shard.hpp"
#include "flow/shard_stats.hpp"
#include "flow/view_query.hpp"
#include "runtime/capture_summary.hpp"
#include "runtime/spsc_link.hpp"
#include "runtime/wake.hpp"

namespace ringtrack::runtime {

/// Asked of a shard's driver by the session's thread, out of band.
struct ControlMessage {
  enum class Kind : uint8_t {
    report,  ///< interim report of every tracked connection as of as_of_ns
    view,    ///< the rows query asks for; answered with view rows and a view end
  };
  Kind kind = Kind::report;
  /// report: for exporters only (an active timeout): rows of kind active_timeout, and no
  /// summary for the formats.
  bool exporters_only = false;
  /// report: the counters alone (report_end, no rows), for the metrics.
  bool counters_only = false;
  uint64_t as_of_ns = 0;
  /// view: owned by the session, kept until the driver cannot read it any more. The
  /// queue's release/acquire hand-off makes the query's contents visible to the driver.
  const flow::ViewQuery* query = nullptr;
  uint64_t query_id = 0;
  /// view: first move the shard's clock to as_of_ns (a live screen asks on the wall clock,
  /// and idle connections must age to it; a replay's clock moves with its own markers).
  bool advance_clock = false;
};

// A handful in flight at most: the session waits for each report before the next.
using ControlLink = SpscLink<ControlMessage, 16>;

/// One message up from a shard, in order: removed rows as they happen; at a report, every
/// tracked connection then report_end with the shard's counters; for a view query, its
/// rows then view_end with the shard's totals; at a counters-only report, report_end alone.
struct ShardOutput {
  /// active_timeout: a row of a report for exporters only (ControlMessage::exporters_only,
  /// Marker::active_timeout), whose report_end says so too.
  enum class Kind : uint8_t { removed, interim, final, active_timeout, report_end, view_row, view_end };
  Kind kind;
  bool exporters_only = false;  ///< report_end of an exporters-only report
  bool counters_only = false;   ///< report_end of a report without rows (the metrics')
  flow::ConnView view;     ///< removed, interim, final, view_row
  flow::ShardStats stats;  ///< report_end
  flow::ViewTotals totals; ///< view_end
  uint64_t query_id = 0;   ///< view_row, view_end
};

/// A reader's counters at a report (files: the one reader; live: one per ring).
struct ReaderSnapshot {
  uint64_t as_of_ns = 0;
  bool final = false;
  ReaderCounters counters;
};

// Rows up to the aggregator; a report streams through it while the aggregator drains.
using OutputLink = SpscLink<ShardOutput, 4096>;
// Reader counters, one entry per report: a handful at most in flight.
using SnapshotLink = SpscLink<ReaderSnapshot, 64>;

/// A shard and its channels, made by the session before any thread starts and kept until
/// every thread has ended. The driver thread owns the shard; the aggregator consumes out;
/// the session produces control.
struct ShardChannels {
  std::unique_ptr<flow::FlowShard> shard;
  std::unique_ptr<OutputLink> out = std::make_unique<OutputLink>();
  std::unique_ptr<ControlLink> control = std::make_unique<ControlLink>();
  /// The driver's thread sleeps on it: batches, control, or room in out.
  std::unique_ptr<Wake> wake = std::make_unique<Wake>();
};

/// A reader's channel to the aggregator: its counters at each report, and the wake its
/// thread sleeps on while that link is full.
struct ReaderChannel {
  std::unique_ptr<SnapshotLink> snapshots = std::make_unique<SnapshotLink>();
  Wake* producer = nullptr;

  /// Reader thread: queues snapshot, waiting on own for room (one entry per report, and
  /// the next report is asked for after this one was written: full only if the
  /// aggregator is far behind a final report), and tells the aggregator.
  void push(const ReaderSnapshot& snapshot, Wake& own, Wake& aggregator) {
    while (!snapshots->push_one(snapshot)) {
      aggregator.notify();
      own.wait([this] { return snapshots->free_slots() > 0; });
    }
    aggregator.notify();
  }
};

}  // namespace ringtrack::runtime
