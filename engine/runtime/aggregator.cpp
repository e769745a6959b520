// Owns: the report protocol on the aggregator's side.
// Does not own: producing the streams (shard workers) or writing formats.
#include "runtime/aggregator.hpp"

#include <algorithm>

namespace ringtrack::runtime {
namespace {

// A shard waiting for room is told every this many rows taken from its link, so it
// refills while the rest drains instead of after.
constexpr uint32_t notify_every_pops = 64;

}  // namespace

Aggregator::Aggregator(std::vector<ShardChannels*> shards, std::vector<ReaderChannel*> readers,
                       ReportWriter& writer, Wake& wake)
    : _readers(std::move(readers)), _writer(writer), _wake(wake) {
  for (ShardChannels* shard : shards) _shards.push_back(ShardCursor{shard->out.get(), shard->wake.get()});
}

bool Aggregator::has_input() const noexcept {
  return std::ranges::any_of(_shards, [](const ShardCursor& s) { return !s.has_pending && !s.link->empty(); }) ||
         std::ranges::any_of(_readers, [](const ReaderChannel* r) { return !r->snapshots->empty(); });
}

void Aggregator::wait_for_work(int timeout_ms) noexcept {
  _wake.wait([this] { return has_input(); }, timeout_ms);
}

bool Aggregator::poll() {
  if (_finished) return false;
  bool progressed = false;
  for (ShardCursor& shard : _shards)
    if (!shard.has_pending) progressed |= drain_until_report(shard);
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
  uint32_t popped = 0;
  while (shard.link->pop_some({&message, 1}) == 1) {
    progressed = true;
    if (++popped % notify_every_pops == 0) shard.producer->notify();
    if (take_streamed(message)) continue;
    shard.pending = message;
    shard.has_pending = true;
    break;
  }
  if (progressed) shard.producer->notify();  // it may wait for room
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
        _view_totals += message.totals;
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
  uint32_t popped = 0;
  ShardOutput message = shard.pending;
  shard.has_pending = false;
  for (;;) {
    switch (message.kind) {
      case ShardOutput::Kind::interim:
        _writer.row(message.view, RowKind::interim);
        break;
      case ShardOutput::Kind::active_timeout:
        _writer.row(message.view, RowKind::active_timeout);
        break;
      case ShardOutput::Kind::final:
        final = true;
        // A live capture has no end of input: it is always stopped.
        _writer.row(message.view, _live || _stopped ? RowKind::stopped : RowKind::final);
        break;
      case ShardOutput::Kind::report_end:
        stats += message.stats;
        return true;
      default:  // streamed messages may come inside a report
        take_streamed(message);
        break;
    }
    // A report may be far larger than the link: the shard streams it while this drains,
    // told of the room every so often and whenever the link runs dry.
    if (++popped % notify_every_pops == 0) shard.producer->notify();
    while (shard.link->pop_some({&message, 1}) == 0) {
      shard.producer->notify();
      _wake.wait([&shard] { return !shard.link->empty(); });
    }
  }
}

void Aggregator::write_report() {
  // Every reader pushed its counters before it asked the shards for the report.
  CaptureSummary summary;
  summary.live = _live;
  for (ReaderChannel* reader : _readers) {
    ReaderSnapshot snapshot;
    while (reader->snapshots->pop_some({&snapshot, 1}) == 0)
      _wake.wait([reader] { return !reader->snapshots->empty(); });
    if (reader->producer) reader->producer->notify();  // it may wait for room
    summary.as_of_ns = std::max(summary.as_of_ns, snapshot.as_of_ns);
    summary.final = summary.final || snapshot.final;
    summary += snapshot.counters;
    summary.per_reader.push_back(snapshot.counters);
  }
  summary.shards = static_cast<uint32_t>(_shards.size());

  // Every shard is at the same report: the first one's first message says which kind.
  const ShardOutput& first = _shards.front().pending;
  if (first.kind == ShardOutput::Kind::report_end && first.counters_only) {
    // The counters alone, for the metrics: every shard sent its report_end and nothing else.
    bool final_rows = false;
    for (ShardCursor& shard : _shards) drain_report_rows(shard, summary.flows, final_rows);
    _writer.counters(summary);
    ++_counter_reports_written;
    return;
  }
  if (first.kind == ShardOutput::Kind::active_timeout || (first.kind == ShardOutput::Kind::report_end && first.exporters_only)) {
    // For exporters only: their rows and its end, no summary (the formats never see it).
    bool final_rows = false;
    for (ShardCursor& shard : _shards) drain_report_rows(shard, summary.flows, final_rows);
    _writer.end_active_timeout_report(summary.as_of_ns);
    ++_active_timeout_reports_written;
    return;
  }
  _writer.begin_report(summary.as_of_ns, summary.final);
  bool final_rows = false;
  for (ShardCursor& shard : _shards) drain_report_rows(shard, summary.flows, final_rows);
  summary.final = summary.final || final_rows;
  _writer.summary(summary);
  ++_reports_written;
  if (summary.final) _finished = true;
}

}  // namespace ringtrack::runtime
