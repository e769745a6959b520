// Owns: merging the shards' output streams into reports: removed rows as they come, then at
// each report every shard's rows, the merged counters and one summary.
// Does not own: formats (ReportWriter), the shards, the readers.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/backoff.hpp"
#include "runtime/doorbell.hpp"
#include "runtime/report_writer.hpp"
#include "runtime/shard_links.hpp"

namespace ringtrack::runtime {

/// Runs on one thread (the aggregator's). Consumer of every OutputLink and SnapshotLink.
class Aggregator {
 public:
  Aggregator(std::vector<OutputLink*> shard_outputs, std::vector<SnapshotLink*> reader_snapshots,
             ReportWriter& writer);

  /// Drains what is available; writes a whole report once every shard has reached it.
  /// Returns true when it made progress (so the caller need not wait).
  bool poll();

  /// True once the final report has been written.
  bool finished() const noexcept { return _finished; }
  /// Reports written so far (interval and final).
  uint64_t reports_written() const noexcept { return _reports_written; }

  /// Starts collecting the answers to view query query_id (sent to every shard).
  void expect_view(uint64_t query_id);
  /// True once every shard answered the expected view: rows holds all of their rows (each
  /// shard's best, unmerged), totals their sum.
  bool view_ready() const noexcept { return _view_answers == _shards.size(); }
  const std::vector<flow::ConnView>& view_rows() const noexcept { return _view_rows; }
  const flow::ViewTotals& view_totals() const noexcept { return _view_totals; }

  /// Summary fields the aggregator cannot know (live: per-reader kernel counters, shards).
  void set_live(bool live) noexcept { _live = live; }

  /// File replays: sleep on `incoming` (rung by every producer) instead of backing off,
  /// and ring `space` whenever messages were popped (producers waiting on a full link).
  void set_doorbells(Doorbell* incoming, Doorbell* space) noexcept {
    _incoming = incoming;
    _space = space;
  }
  /// Waits for producers: on the incoming bell when there is one (ticket taken before the
  /// poll that found nothing), else by backing off.
  void wait_for_work(uint32_t ticket);
  uint32_t ticket() const noexcept { return _incoming ? _incoming->ticket() : 0; }

 private:
  struct ShardCursor {
    OutputLink* link;
    bool has_pending = false;  // a report's first message, held until every shard reaches it
    ShardOutput pending{};
  };

  bool drain_until_report(ShardCursor& shard);
  /// Handles a message that is not part of a report; false when it starts one.
  bool take_streamed(const ShardOutput& message);
  void write_report();
  bool drain_report_rows(ShardCursor& shard, flow::ShardStats& stats, bool& final);

  std::vector<ShardCursor> _shards;
  std::vector<SnapshotLink*> _readers;
  ReportWriter& _writer;
  std::vector<ShardOutput> _buffer;
  bool _finished = false;
  uint64_t _reports_written = 0;
  uint64_t _view_id = 0;
  std::size_t _view_answers = 0;
  std::vector<flow::ConnView> _view_rows;
  flow::ViewTotals _view_totals;
  Doorbell* _incoming = nullptr;
  Doorbell* _space = nullptr;
  Backoff _backoff;
  bool _live = false;
};

}  // namespace ringtrack::runtime
