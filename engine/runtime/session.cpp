// Owns: wiring a run, its batch loop, and the screen's queries.
// Does not own: reading (the sources) or merging (aggregator).
#include "runtime/session.hpp"

#include <random>

#include "os/wall_clock.hpp"
#include "runtime/file_capture.hpp"
#include "runtime/live_capture.hpp"
#include "runtime/live_plan.hpp"
#include "runtime/shard_plan.hpp"

namespace ringtrack::runtime {
namespace {

// How often the batch loop looks at the interface, the clock and the counters.
constexpr uint64_t housekeeping_ns = 100'000'000;
// How long a query waits for the shards' answers.
constexpr uint64_t answer_timeout_ns = 500'000'000;

uint64_t hash_seed(uint64_t requested) {
  if (requested != 0) return requested;
  std::random_device entropy;
  return (uint64_t(entropy()) << 32) ^ entropy();
}

template <class T>
std::vector<T*> raw(const std::vector<std::unique_ptr<T>>& owned) {
  std::vector<T*> out;
  for (auto& p : owned) out.push_back(p.get());
  return out;
}

}  // namespace

Session::Session(const RunOptions& options, ReportWriter& writer)
    : _options(options), _writer(writer), _hasher(hash_seed(options.hash_seed)) {
  // Active-timeout reports only for a writer that exports.
  if (!writer.takes_active_timeout_reports()) _options.active_timeout_ns = 0;
  if (_options.live()) {
    const LivePlan plan = plan_live_capture(_options);
    make_shards(plan.readers(), plan.readers());
    for (uint32_t i = 0; i < plan.readers(); ++i) _readers[i]->producer = _shards[i]->wake.get();
    _aggregator = std::make_unique<Aggregator>(raw(_shards), raw(_readers), writer, _aggregator_wake);
    _aggregator->set_live(true);
    _source = std::make_unique<LiveCapture>(_options, plan, raw(_shards), raw(_readers), _hasher, _aggregator_wake);
  } else {
    make_shards(file_shard_count(_options.shards), 1);
    _aggregator = std::make_unique<Aggregator>(raw(_shards), raw(_readers), writer, _aggregator_wake);
    _source = std::make_unique<FileCapture>(_options, raw(_shards), *_readers[0], _hasher, _aggregator_wake);
  }
  if (_source->reports_on_request() && _options.active_timeout_ns != 0)
    _active_timeout_reports = {os::monotonic_ns() + _options.active_timeout_ns, _options.active_timeout_ns};
  if (_source->reports_on_request() && _options.counters_period_ns != 0)
    _counters_reports = {os::monotonic_ns(), _options.counters_period_ns};
}

void Session::send_to_shards(const ControlMessage& message) {
  // A report must reach every shard, or the aggregator would merge one shard's report with
  // another's next. Each kind (interim, counters-only, active-timeout) has at most one
  // message outstanding, asked once the last was written: view queries, which the screen
  // asks again, leave that many slots free.
  constexpr std::size_t report_slots = 3;
  const bool view = message.kind == ControlMessage::Kind::view;
  for (auto& shard : _shards) {
    if (view && shard->control->free_slots() <= report_slots) continue;
    // Woken, a reader on a quiet ring starts at once instead of at its next idle poll.
    if (shard->control->push_one(message)) shard->wake->notify();
  }
}

void Session::ask_when_due(ReportSchedule& schedule, uint64_t written, ControlMessage message, uint64_t now) {
  // One at a time: the next is asked once the last was written.
  if (now < schedule.next_ns || written != schedule.asked) return;
  message.kind = ControlMessage::Kind::report;
  message.as_of_ns = os::realtime_ns();
  send_to_shards(message);
  ++schedule.asked;
  // On the period's beat; one asked late starts the beat again.
  schedule.next_ns += schedule.period_ns;
  if (schedule.next_ns <= now) schedule.next_ns = now + schedule.period_ns;
}

void Session::ask_for_due_reports(uint64_t now) {
  ControlMessage exporters;
  exporters.exporters_only = true;
  ask_when_due(_active_timeout_reports, _aggregator->active_timeout_reports_written(), exporters, now);
  ControlMessage counters;
  counters.counters_only = true;
  ask_when_due(_counters_reports, _aggregator->counter_reports_written(), counters, now);
}

void Session::make_shards(uint32_t count, uint32_t readers) {
  const uint32_t capacity = capacity_per_shard(_options.max_flows, count);
  for (uint32_t i = 0; i < count; ++i) {
    auto channels = std::make_unique<ShardChannels>();
    channels->shard = std::make_unique<flow::FlowShard>(_options.flow, capacity, _hasher, i);
    _shards.push_back(std::move(channels));
  }
  for (uint32_t i = 0; i < readers; ++i) _readers.push_back(std::make_unique<ReaderChannel>());
}

Session::~Session() {
  _source->stop();
  drain_to_final_report();
  _source->join();
}

void Session::drain_to_final_report() {
  while (!_aggregator->finished())
    if (!_aggregator->poll()) _aggregator->wait_for_work(int(housekeeping_ns / 1'000'000));
}

std::string Session::run_to_end() {
  const uint64_t started = os::monotonic_ns();
  uint64_t next_housekeeping = started + housekeeping_ns;
  ReportSchedule interval_reports;
  if (_source->reports_on_request() && _options.interval_ns != 0)
    interval_reports = {started + _options.interval_ns, _options.interval_ns};
  std::string problem;
  while (!_aggregator->finished()) {
    // Idle until a shard has output or the next housekeeping is due: an aggregator that
    // polled here would burn a sixth of a core on a quiet link.
    uint64_t now = os::monotonic_ns();
    if (!_aggregator->poll() && now < next_housekeeping)
      _aggregator->wait_for_work(int((next_housekeeping - now + 999'999) / 1'000'000));
    now = os::monotonic_ns();
    if (now < next_housekeeping) continue;
    next_housekeeping = now + housekeeping_ns;

    bool stop = _options.stop_signal && _options.stop_signal->load(std::memory_order_relaxed);
    if (_writer.failed()) stop = true;  // the output is gone: nothing more can be reported
    if (_options.live() && _options.duration_ns && now - started >= _options.duration_ns) stop = true;
    if (_options.live() && _options.count && _source->tcp_packets() >= _options.count) stop = true;
    if (std::string line = _source->check(); !line.empty()) {
      problem = line;
      stop = true;
    }
    if (stop) {
      _aggregator->set_stopped();
      _source->stop();
      break;
    }
    ask_for_due_reports(now);
    ask_when_due(interval_reports, _aggregator->reports_written(), ControlMessage{}, now);
  }
  drain_to_final_report();
  _source->join();
  if (!problem.empty() || _options.live()) return problem;
  SourceStatus input;  // a file that could not be read to its end says why
  _source->fill_status(input);
  return input.problem;
}

SourceStatus Session::status() {
  // The screen asks every frame: removed rows and active-timeout reports reach the
  // exporter between its queries too.
  if (_options.flow.report_removed || _options.counters_period_ns != 0) {
    // A bounded number of rounds: a busy link must not hold up the frame.
    for (int round = 0; round < 16 && _aggregator->poll(); ++round) {
    }
    ask_for_due_reports(os::monotonic_ns());
  }
  SourceStatus s;
  s.source = _options.live() ? _options.interface : _options.file;
  s.filter = _options.filter;
  s.live = _options.live();
  s.readers = uint32_t(_shards.size());
  _source->fill_status(s);
  s.clock_ns = _source->clock_ns();
  s.tcp_packets = _source->tcp_packets();  // after fill_status: a file's end is seen first
  return s;
}

ViewResult Session::query(flow::ViewQuery& query) {
  query.as_of_ns = _source->clock_ns();
  // Answers to a query that timed out may still come in: expect_view ignores other ids.
  const uint64_t id = ++_query_id;
  _aggregator->expect_view(id);
  // Drivers read the query through a pointer, perhaps after this call timed out: give
  // them a copy that outlives it (the last few are kept; a driver answers within a block).
  _recent_queries.push_back(std::make_unique<flow::ViewQuery>(query));
  if (_recent_queries.size() > kept_queries) _recent_queries.pop_front();
  ControlMessage message;
  message.kind = ControlMessage::Kind::view;
  message.as_of_ns = query.as_of_ns;
  message.query = _recent_queries.back().get();
  message.query_id = id;
  message.advance_clock = _options.live();
  send_to_shards(message);
  const uint64_t deadline = os::monotonic_ns() + answer_timeout_ns;
  while (!_aggregator->view_ready()) {
    const uint64_t now = os::monotonic_ns();
    if (now >= deadline) break;
    if (!_aggregator->poll()) _aggregator->wait_for_work(int((deadline - now + 999'999) / 1'000'000));
  }
  ViewResult result;
  result.complete = _aggregator->view_ready();
  result.rows = _aggregator->view_rows();
  result.totals = _aggregator->view_totals();
  merge_view_rows(result.rows, query);
  return result;
}

}  // namespace ringtrack::runtime
