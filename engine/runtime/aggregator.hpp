// Owns: merging the shards' output streams into reports: removed rows as they come, then at
// each report every shard's rows, the merged counters and one summary.
// Does not own: formats (ReportWriter), the shards, the readers.
#pragma once

#include <cstdint>
#include <vector>

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

  /// Summary fields the aggregator cannot know (live: per-reader kernel counters, shards).
  void set_live(bool live) noexcept { _live = live; }

 private:
  struct ShardCursor {
    OutputLink* link;
    bool has_pending = false;  // a report's first message, held until every shard reaches it
    ShardOutput pending{};
  };

  bool drain_until_report(ShardCursor& shard);
  void write_report();
  bool drain_report_rows(ShardCursor& shard, flow::ShardStats& stats, bool& final);

  std::vector<ShardCursor> _shards;
  std::vector<SnapshotLink*> _readers;
  ReportWriter& _writer;
  std::vector<ShardOutput> _buffer;
  bool _finished = false;
  uint64_t _reports_written = 0;
  bool _live = false;
};

}  // namespace ringtrack::runtime
