// Owns: merging the shards' output streams into reports: removed rows as they come, then at
// each report every shard's rows, the merged counters and one summary.
// Does not own: formats (ReportWriter), the shards, the readers.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/report_writer.hpp"
#include "runtime/shard_channels.hpp"
#include "runtime/wake.hpp"

namespace ringtrack::runtime {

/// Runs on one thread (the aggregator's, which sleeps on wake). Consumer of every shard's
/// output link and every reader's snapshot link; after taking from one it notifies its
/// producer, which may wait for room.
class Aggregator {
 public:
  Aggregator(std::vector<ShardChannels*> shards, std::vector<ReaderChannel*> readers, ReportWriter& writer,
             Wake& wake);

  /// Drains what is available; writes a whole report once every shard has reached it.
  /// Returns true when it made progress (so the caller need not wait).
  bool poll();

  /// True once the final report has been written.
  bool finished() const noexcept { return _finished; }
  /// Reports written so far (interval and final).
  uint64_t reports_written() const noexcept { return _reports_written; }
  /// Exporters-only reports written so far (flow export's active timeout).
  uint64_t active_timeout_reports_written() const noexcept { return _active_timeout_reports_written; }
  /// Counters-only reports written so far (the metrics').
  uint64_t counter_reports_written() const noexcept { return _counter_reports_written; }

  /// Starts collecting the answers to view query query_id (sent to every shard).
  void expect_view(uint64_t query_id);
  /// True once every shard answered the expected view: rows holds all of their rows (each
  /// shard's best, unmerged), totals their sum.
  bool view_ready() const noexcept { return _view_answers == _shards.size(); }
  const std::vector<flow::ConnView>& view_rows() const noexcept { return _view_rows; }
  const flow::ViewTotals& view_totals() const noexcept { return _view_totals; }

  /// Summary fields the aggregator cannot know (live: per-reader kernel counters, shards).
  void set_live(bool live) noexcept { _live = live; }
  /// The capture was stopped before its input ended: final rows are RowKind::stopped.
  void set_stopped() noexcept { _stopped = true; }

  /// Sleeps until a producer has queued something, or timeout_ms passed (-1: no limit).
  void wait_for_work(int timeout_ms = -1) noexcept;

 private:
  struct ShardCursor {
    OutputLink* link;
    Wake* producer;
    bool has_pending = false;  // a report's first message, held until every shard reaches it
    ShardOutput pending{};
  };

  bool has_input() const noexcept;
  bool drain_until_report(ShardCursor& shard);
  /// Handles a message that is not part of a report; false when it starts one.
  bool take_streamed(const ShardOutput& message);
  void write_report();
  bool drain_report_rows(ShardCursor& shard, flow::ShardStats& stats, bool& final);

  std::vector<ShardCursor> _shards;
  std::vector<ReaderChannel*> _readers;
  ReportWriter& _writer;
  bool _finished = false;
  uint64_t _reports_written = 0;
  uint64_t _active_timeout_reports_written = 0;
  uint64_t _counter_reports_written = 0;
  uint64_t _view_id = 0;
  std::size_t _view_answers = 0;
  std::vector<flow::ConnView> _view_rows;
  flow::ViewTotals _view_totals;
  Wake& _wake;
  bool _live = false;
  bool _stopped = false;
};

}  // namespace ringtrack::runtime
