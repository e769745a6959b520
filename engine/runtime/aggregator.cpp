// Owns: the report protocol on the aggregator's side.
// Does not own: producing the streams (shard workers) or writing formats.
#include "runtime/aggregator.hpp"

#include <algorithm>


namespace ringtrack::runtime {

Aggregator::Aggregator(std::vector<OutputLink*> shard_outputs,
                       std::vector<SnapshotLink*> reader_snapshots, ReportWriter& writer)
    : _readers(std::move(reader_snapshots)), _writer(writer) {
  for (OutputLink* link : shard_outputs) _shards.push_back(ShardCursor{link});
}

void Aggregator::wait_for_work(uint32_t ticket) {
  if (_incoming) {
    _incoming->wait(ticket);
  } else {
    _backoff.wait();
  }
}

bool Aggregator::poll() {
  if (_finished) return false;
  bool progressed = false;
  for (ShardCursor& shard : _shards)
    if (!shard.has_pending) progressed |= drain_until_report(shard);
  if (progressed && _space) _space->ring();
  if (progressed) _backoff.reset();
  const bool all_reached = std::all_of(_shards.begin(), _shards.end(),
                                       [](const ShardCursor& s) { return s.has_pending; });
  if (all_reached) {
    write_report();
    progressed = true;
  }
  return progressed;
}

bool Aggregator::drain_until_report(ShardCursor& shard) {
  bool progressed = false;
  // One message at a time: the first message of a report must stay queued here, and rows
  // are per connection, not per packet, so the per-pop cost does not matter.
  ShardOutput message;
  while (shard.link->pop_some({&message, 1}) == 1) {
    progressed = true;
    if (take_streamed(message)) continue;
    shard.pending = message;
    shard.has_pending = true;
    break;
  }
  return progressed;
}

bool Aggregator::take_streamed(const ShardOutput& message) {
  switch (message.kind) {
    case ShardOutput::Kind::removed:
      _writer.row(message.view, RowKind::removed);
      return true;
    case ShardOutput::Kind::view_row:
      if (message.query_id == _view_id) _view_rows.push_back(message.view);
      return true;
    case ShardOutput::Kind::view_end:
      if (message.query_id == _view_id) {
        ++_view_answers;
        _view_totals.matching += message.totals.matching;
        _view_totals.speed_sum += message.totals.speed_sum;
        _view_totals.speed_c2s_sum += message.totals.speed_c2s_sum;
        _view_totals.speed_s2c_sum += message.totals.speed_s2c_sum;
        _view_totals.active += message.totals.active;
        _view_totals.stats += message.totals.stats;
      }
      return true;
    default:
      return false;
  }
}

void Aggregator::expect_view(uint64_t query_id) {
  _view_id = query_id;
  _view_answers = 0;
  _view_rows.clear();
  _view_totals = flow::ViewTotals{};
}

bool Aggregator::drain_report_rows(ShardCursor& shard, flow::ShardStats& stats, bool& final) {
  ShardOutput message = shard.pending;
  shard.has_pending = false;
  for (;;) {
    switch (message.kind) {
      case ShardOutput::Kind::interim:
        _writer.row(message.view, RowKind::interim);
        break;
      case ShardOutput::Kind::final:
        final = true;
        _writer.row(message.view, RowKind::final);
        break;
      case ShardOutput::Kind::report_end:
        stats += message.stats;
        return true;
      default:  // streamed messages may come inside a report
        take_streamed(message);
        break;
    }
    for (;;) {
      const uint32_t t = ticket();
      if (shard.link->pop_some({&message, 1}) == 1) break;
      if (_space) _space->ring();  // the shard may be waiting for room
      wait_for_work(t);
    }
    _backoff.reset();
  }
}

void Aggregator::write_report() {
  // Every reader pushed its counters before it asked the shards for the report.
  CaptureSummary summary;
  summary.live = _live;
  bool first_reader = true;
  for (SnapshotLink* reader : _readers) {
    ReaderSnapshot snapshot;
    for (;;) {
      const uint32_t t = ticket();
      if (reader->pop_some({&snapshot, 1}) == 1) break;
      wait_for_work(t);
    }
    summary.as_of_ns = first_reader ? snapshot.as_of_ns : std::max(summary.as_of_ns, snapshot.as_of_ns);
    first_reader = false;
    summary.final = summary.final || snapshot.final;
    summary.frames_read += snapshot.frames_read;
    summary.filtered_out += snapshot.filtered_out;
    summary.loopback_copies += snapshot.loopback_copies;
    summary.decode += snapshot.decode;
    summary.kernel += snapshot.kernel;
    summary.reports_lost += snapshot.reports_lost;
    summary.handoff_drops += snapshot.handoff_drops;
    if (_live) summary.kernel_per_reader.push_back(snapshot.kernel);
  }
  summary.shards = static_cast<uint32_t>(_shards.size());

  _writer.begin_report(summary.as_of_ns, summary.final);
  bool final_rows = false;
  for (ShardCursor& shard : _shards) drain_report_rows(shard, summary.flows, final_rows);
  summary.final = summary.final || final_rows;
  _writer.summary(summary);
  ++_reports_written;
  if (summary.final) _finished = true;
}

}  // namespace ringtrack::runtime
