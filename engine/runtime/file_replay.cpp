// Owns: the replay session's threads and its answers to the screen.
// Does not own: pacing (file_reader_loop) or shard answers (shard_worker).
#include "runtime/file_replay.hpp"

namespace ringtrack::runtime {

FileReplaySession::FileReplaySession(const FileRunOptions& options, double speed)
    : _options(options),
      _reader(options.path),
      _hasher(options.hash_seed),
      _shards(std::max<uint32_t>(1, options.shards), options.flow, options.max_flows, _hasher),
      _aggregator(_shards.outputs(), {_snapshots.get()}, _null_writer) {
  _reader.set_filter(options.filter);
  _pacing.speed = speed;
  _aggregator.set_doorbells(&_bells->aggregator, &_bells->space);
  _shards.start(*_bells);
  _reader_thread = std::thread([this] {
    FileReaderLoop loop(_reader, _shards.shards(), *_snapshots, _hasher, 0, _stop, nullptr, *_bells, &_pacing);
    loop.run();
  });
}

FileReplaySession::~FileReplaySession() {
  _stop.store(true, std::memory_order_relaxed);
  _reader_thread.join();  // it sends the shards their quit records
  _shards.join();
}

SourceStatus FileReplaySession::status() {
  SourceStatus s;
  s.source = _options.path;
  s.filter = _options.filter;
  s.live = false;
  s.readers = uint32_t(_shards.shards().size());
  s.clock_ns = _pacing.clock_ns.load(std::memory_order_relaxed);
  s.input_ended = _pacing.ended.load(std::memory_order_acquire);
  s.frames = _pacing.frames_read.load(std::memory_order_relaxed);
  s.tcp_packets = _pacing.tcp_packets.load(std::memory_order_relaxed);
  if (s.input_ended) s.problem = _pacing.damage;  // written before ended was set
  return s;
}

ViewResult FileReplaySession::query(flow::ViewQuery& query) {
  query.as_of_ns = _pacing.clock_ns.load(std::memory_order_relaxed);
  const uint64_t id = ++_query_id;
  _aggregator.expect_view(id);
  ControlMessage message;
  message.kind = ControlMessage::Kind::view;
  message.as_of_ns = query.as_of_ns;
  message.query = &query;
  message.query_id = id;
  for (FileShard& shard : _shards.shards()) {
    shard.control->push_one(message);  // the screen asks one query at a time: room enough
    shard.work->ring();
  }
  // File shard threads always answer (they may wait for room), so no timeout is needed.
  while (!_aggregator.view_ready()) {
    const uint32_t ticket = _aggregator.ticket();
    if (!_aggregator.poll()) _aggregator.wait_for_work(ticket);
  }
  ViewResult result;
  result.rows = _aggregator.view_rows();
  result.totals = _aggregator.view_totals();
  result.complete = true;
  merge_view_rows(result.rows, query);
  return result;
}

}  // namespace ringtrack::runtime
