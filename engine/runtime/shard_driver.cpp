// Owns: the shard driver's loop, marker handling, and the output policy's two behaviours.
// Does not own: the report protocol's other end (aggregator).
#include "runtime/shard_driver.hpp"

#include "flow/shard_view.hpp"

namespace ringtrack::runtime {
namespace {

// Rows queued before the aggregator is told (it may sleep until then): enough that a
// sleeping aggregator is not woken per row, few enough that it drains while the shard
// goes on. Report ends, view answers and a full link tell it at once.
constexpr uint32_t rows_per_wake = 256;
// A file run's shard answers the screen's queries once the batches handed over before
// them are applied (the screen sees everything read so far), or after this many batches
// when the reader keeps ahead.
constexpr uint32_t batches_between_queries = 16;

}  // namespace

ShardDriver::ShardDriver(ShardChannels& channels, Wake& aggregator, OutputPolicy policy,
                         std::vector<InboundBatches> inbound)
    : _channels(channels), _shard(*channels.shard), _out(*channels.out), _aggregator(aggregator),
      _policy(policy), _inbound(std::move(inbound)) {
  _shard.set_removal_sink(flow::RemovalSink(*this));
}

void ShardDriver::run() {
  while (!_finished) {
    const uint32_t taken = take_inbound(batches_between_queries);
    if (_finished) return;
    for (Served served; (served = serve_control()) != Served::nothing;)
      if (served == Served::report) complete_report();
    if (taken == 0) _channels.wake->wait([this] { return has_work(); });
  }
}

bool ShardDriver::has_work() const noexcept {
  for (const InboundBatches& in : _inbound)
    if (!in.pool->filled->empty()) return true;
  // serve_control() takes a message only between reports.
  return (!_reporting && !_channels.control->empty()) || (_reporting && _out.free_slots() > 0);
}

void ShardDriver::take_batch(const RecordBatch& batch) {
  _shard.learn_tunnels(std::span(batch.tunnels.data(), batch.tunnel_count));
  _shard.learn_vlan_stacks(std::span(batch.vlan_stacks.data(), batch.vlan_stack_count));
  _shard.apply(std::span(batch.records.data(), batch.count));
  if (batch.marker == Marker::none) return;
  _shard.advance_clock(batch.marker_ns);
  if (batch.marker == Marker::clock) return;
  complete_report();  // one report at a time
  if (batch.marker == Marker::counters) {
    begin_counters_report(batch.marker_ns);
    complete_report();
    return;
  }
  const bool finish = batch.marker == Marker::finish;
  begin_report(batch.marker_ns, finish                                        ? ShardOutput::Kind::final
                                : batch.marker == Marker::active_timeout ? ShardOutput::Kind::active_timeout
                                                                          : ShardOutput::Kind::interim);
  complete_report();
  _finished = finish;
}

uint32_t ShardDriver::take_inbound(uint32_t max_batches) {
  uint32_t taken = 0;
  for (InboundBatches& in : _inbound) {
    RecordBatch* batch = nullptr;
    while (taken < max_batches && !_finished && in.pool->filled->pop_some({&batch, 1}) == 1) {
      take_batch(*batch);
      batch->clear();
      in.pool->recycled->push_one(batch);  // cannot fail: the link holds every batch
      in.producer->notify();
      ++taken;
    }
  }
  return taken;
}

ShardDriver::Served ShardDriver::serve_control() {
  if (_reporting) return Served::nothing;
  ControlMessage message;
  if (_channels.control->pop_some({&message, 1}) == 0) return Served::nothing;
  if (message.kind == ControlMessage::Kind::view) {
    answer_view(message);
    return Served::view;
  }
  if (message.counters_only) {
    begin_counters_report(message.as_of_ns);
    return Served::report;
  }
  begin_report(message.as_of_ns,
               message.exporters_only ? ShardOutput::Kind::active_timeout : ShardOutput::Kind::interim);
  return Served::report;
}

void ShardDriver::begin_report(uint64_t as_of_ns, ShardOutput::Kind kind) {
  // Records do not move while the report is copied out (removals wait), so a report
  // streamed in pieces between ring blocks sends every connection exactly once.
  _shard.pause_removals(true);
  _reporting = true;
  _report_cursor = 0;
  _report_as_of_ns = as_of_ns;
  _report_kind = kind;
  _report_counters_only = false;
}

void ShardDriver::begin_counters_report(uint64_t as_of_ns) {
  begin_report(as_of_ns, ShardOutput::Kind::interim);
  _report_counters_only = true;
}

bool ShardDriver::continue_report() noexcept {
  if (!_reporting) return true;
  ShardOutput message{};
  message.kind = _report_kind;
  while (!_report_counters_only && _report_cursor < _shard.table().size()) {
    message.view = _shard.view_of(_report_cursor, _report_as_of_ns, flow::EndReason::none);
    if (!_out.push_one(message)) {
      notify_aggregator();  // full: it drains while this thread does something else
      return false;
    }
    ++_report_cursor;
    queued();
  }
  ShardOutput end{};
  end.kind = ShardOutput::Kind::report_end;
  end.exporters_only = _report_kind == ShardOutput::Kind::active_timeout;
  end.counters_only = _report_counters_only;
  end.stats = _shard.stats();
  if (!_out.push_one(end)) {
    notify_aggregator();
    return false;
  }
  notify_aggregator();
  _reporting = false;
  _shard.pause_removals(false);
  return true;
}

void ShardDriver::complete_report() {
  while (!continue_report()) _channels.wake->wait([this] { return _out.free_slots() > 0; });
}

void ShardDriver::answer_view(const ControlMessage& message) {
  _shard.watch(message.query->watch);  // before the clock moves: a removal it causes is kept
  if (message.advance_clock) _shard.advance_clock(message.as_of_ns);
  ShardOutput reply{};
  reply.query_id = message.query_id;
  reply.totals = flow::select_rows(_shard, *message.query, _view_rows, _rows_memo);
  const bool wait = _policy == OutputPolicy::wait;
  // Never waiting, the rows go only if all of them fit now; the totals always try, and
  // a query left unanswered is asked again by the screen's next refresh.
  if (wait || _out.free_slots() > _view_rows.size()) {
    reply.kind = ShardOutput::Kind::view_row;
    for (const flow::ConnView& row : _view_rows) {
      reply.view = row;
      if (wait) push_waiting(reply);
      else _out.push_one(reply);
    }
  }
  reply.kind = ShardOutput::Kind::view_end;
  if (wait) push_waiting(reply);
  else _out.push_one(reply);
  notify_aggregator();
}

void ShardDriver::operator()(const flow::ConnView& view) noexcept {
  ShardOutput message{};
  message.kind = ShardOutput::Kind::removed;
  message.view = view;
  if (_policy == OutputPolicy::wait) {
    push_waiting(message);
  } else if (!_out.push_one(message)) {
    ++_reports_lost;
    if (!_told_full) notify_aggregator();  // once per spell of a full link, not per row lost
    _told_full = true;
  } else {
    _told_full = false;
    queued();
  }
}

void ShardDriver::push_waiting(const ShardOutput& message) noexcept {
  while (!_out.push_one(message)) {
    notify_aggregator();  // it must drain before this thread can go on
    _channels.wake->wait([this] { return _out.free_slots() > 0; });
  }
  queued();
}

void ShardDriver::queued() noexcept {
  if (++_unannounced >= rows_per_wake) notify_aggregator();
}

void ShardDriver::notify_aggregator() noexcept {
  _unannounced = 0;
  _aggregator.notify();
}

}  // namespace ringtrack::runtime
