// Owns: the capture-file reader loop (decode, hash, route to shards, clock ticks, report
// markers) and the wiring of reader, shard threads and aggregator.
// Does not own: shard logic, the report protocol's consumer side.
#include "runtime/file_pipeline.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "capture/pcap_file_reader.hpp"
#include "capture/setup_error.hpp"
#include "decode/frame_decoder.hpp"
#include "flow/flow_hash.hpp"
#include "flow/flow_shard.hpp"
#include "runtime/aggregator.hpp"
#include "runtime/backoff.hpp"
#include "runtime/shard_worker.hpp"

namespace ringtrack::runtime {
namespace {

using decode::PacketRecord;
namespace packet_kind = decode::packet_kind;

// Idle shards still age their connections: every 100 ms of capture time each gets a tick.
constexpr uint64_t clock_tick_ns = 100'000'000;
struct ShardPlumbing {
  std::unique_ptr<flow::FlowShard> shard;
  std::unique_ptr<BatchPool> batches = std::make_unique<BatchPool>();
  std::unique_ptr<OutputLink> out = std::make_unique<OutputLink>();
  std::unique_ptr<Doorbell> work = std::make_unique<Doorbell>();  // the shard sleeps on it
  RecordBatch* filling = nullptr;  // the reader's current batch for this shard
  uint32_t unrung = 0;             // batches handed over since the shard was last woken
};

// A shard is woken once per this many batches (2k packets), not per batch: it sleeps
// while the reader, the slower side, fills them, and each wake-up costs system calls.
constexpr uint32_t wake_every_batches = 8;

// Bells every thread of a file run shares.
struct RunBells {
  Doorbell reader;      // a batch came back
  Doorbell aggregator;  // output or a snapshot arrived
  Doorbell space;       // the aggregator made room in the output links
};

class FileReaderLoop {
 public:
  FileReaderLoop(capture::PcapFileReader& reader, std::vector<ShardPlumbing>& shards,
                 SnapshotLink& snapshots, const flow::FlowHasher& hasher, uint64_t interval_ns,
                 const std::atomic<bool>& stop, const std::atomic<bool>* stop_signal, RunBells& bells)
      : _reader(reader), _shards(shards), _snapshots(snapshots), _hasher(hasher),
        _interval_ns(interval_ns), _stop(stop), _stop_signal(stop_signal), _bells(bells) {}

  FileRunResult run() {
    for (ShardPlumbing& shard : _shards) shard.filling = take_batch(shard);
    decode::FrameView frame{};
    PacketRecord scratch{};
    const decode::LinkType link = _reader.link_type();
    const uint32_t shard_count = uint32_t(_shards.size());
    capture::ReadResult result;
    while ((result = _reader.next(frame)) == capture::ReadResult::frame) {
      if (stop_requested()) [[unlikely]] break;
      advance_clock(frame.ts_ns);
      // One shard: decode straight into its batch; several: the hash picks the batch.
      PacketRecord& record = shard_count == 1 ? next_slot(_shards[0]) : scratch;
      const decode::DecodeOutcome outcome = decode::decode_frame(link, frame, record);
      _decode.count(outcome);
      if (outcome != decode::DecodeOutcome::tcp) continue;
      record.flow_hash = _hasher(record.key);
      if (shard_count == 1) commit_slot(_shards[0]);
      else route(flow::shard_of(record.flow_hash, shard_count), record);
    }
    FileRunResult run_result;
    if (result == capture::ReadResult::damaged) {
      run_result.damaged = true;
      run_result.damage_message = _reader.damage_message();
    }
    send_to_all_shards(packet_kind::finish, _now_ns, /*final=*/true);
    return run_result;
  }

 private:
  void advance_clock(uint64_t ts_ns) {
    if (_now_ns == 0) {  // first frame
      _now_ns = ts_ns;
      _next_tick_ns = ts_ns + clock_tick_ns;
      _next_report_ns = ts_ns + _interval_ns;
      return;
    }
    if (ts_ns <= _now_ns) return;  // files need not be in time order
    if (_interval_ns != 0 && ts_ns >= _next_report_ns) {
      // One report per crossing, at the newest boundary passed (a long gap in the file
      // yields one report, not one per empty interval).
      const uint64_t boundary = _next_report_ns + (ts_ns - _next_report_ns) / _interval_ns * _interval_ns;
      _now_ns = boundary;
      send_to_all_shards(packet_kind::report, boundary, /*final=*/false);
      _next_report_ns = boundary + _interval_ns;
    }
    _now_ns = ts_ns;
    if (ts_ns >= _next_tick_ns) {
      for (uint32_t s = 0; s < _shards.size(); ++s) route(s, control_record(packet_kind::clock_tick, ts_ns));
      _next_tick_ns = ts_ns + clock_tick_ns;
    }
  }

  static PacketRecord control_record(uint8_t kind, uint64_t ts_ns) {
    PacketRecord r{};
    r.kind = kind;
    r.ts_ns = ts_ns;
    return r;
  }

  bool stop_requested() const noexcept {
    return _stop.load(std::memory_order_relaxed) ||
           (_stop_signal && _stop_signal->load(std::memory_order_relaxed));
  }

  // A file is read at the speed its shards allow: waiting for a batch loses nothing.
  RecordBatch* take_batch(ShardPlumbing& shard) {
    RecordBatch* batch = nullptr;
    for (;;) {
      const uint32_t ticket = _bells.reader.ticket();
      if (shard.batches->recycled->pop_some({&batch, 1}) == 1) return batch;
      wake(shard);  // it holds every batch: it must work through them first
      _bells.reader.wait(ticket);
    }
  }

  static void wake(ShardPlumbing& shard) {
    shard.unrung = 0;
    shard.work->ring();
  }

  static PacketRecord& next_slot(ShardPlumbing& shard) { return shard.filling->records[shard.filling->count]; }

  void commit_slot(ShardPlumbing& shard) {
    if (++shard.filling->count == RecordBatch::capacity) flush(shard);
  }

  void route(uint32_t shard_index, const PacketRecord& record) {
    ShardPlumbing& shard = _shards[shard_index];
    next_slot(shard) = record;
    commit_slot(shard);
  }

  void flush(ShardPlumbing& shard) {
    if (shard.filling->count == 0) return;
    shard.batches->filled->push_one(shard.filling);  // cannot fail: the link holds every batch
    if (++shard.unrung >= wake_every_batches) wake(shard);
    shard.filling = take_batch(shard);
  }

  void send_to_all_shards(uint8_t kind, uint64_t ts_ns, bool final) {
    // Counters first: the aggregator writes the report only after every shard answered,
    // and by then this snapshot is waiting for it.
    ReaderSnapshot snapshot;
    snapshot.as_of_ns = ts_ns;
    snapshot.final = final;
    snapshot.frames_read = _reader.frames_read();
    snapshot.filtered_out = _reader.frames_filtered_out();
    snapshot.decode = _decode;
    Backoff backoff;
    while (!_snapshots.push_one(snapshot)) backoff.wait();
    _bells.aggregator.ring();
    for (ShardPlumbing& shard : _shards) {
      route(uint32_t(&shard - _shards.data()), control_record(kind, ts_ns));
      flush(shard);
      wake(shard);
    }
  }

  capture::PcapFileReader& _reader;
  std::vector<ShardPlumbing>& _shards;
  SnapshotLink& _snapshots;
  const flow::FlowHasher& _hasher;
  uint64_t _interval_ns;
  const std::atomic<bool>& _stop;
  const std::atomic<bool>* _stop_signal;
  RunBells& _bells;
  decode::DecodeCounters _decode;
  uint64_t _now_ns = 0;
  uint64_t _next_tick_ns = 0;
  uint64_t _next_report_ns = 0;
};

}  // namespace

uint32_t capacity_per_shard(uint64_t max_flows, uint32_t shards) {
  const uint64_t per_shard = (max_flows + shards - 1) / shards;
  if (per_shard == 0 || per_shard > flow::FlowTable::max_capacity)
    throw SetupError("--max-flows " + std::to_string(max_flows) + " over " + std::to_string(shards) +
                     " shards gives " + std::to_string(per_shard) + " per shard; allowed 1.." +
                     std::to_string(flow::FlowTable::max_capacity));
  return uint32_t(per_shard);
}

FileRunResult run_capture_file(const FileRunOptions& options, ReportWriter& writer) {
  capture::PcapFileReader reader(options.path);
  reader.set_filter(options.filter);

  const flow::FlowHasher hasher(options.hash_seed);
  const uint32_t shard_count = std::max<uint32_t>(1, options.shards);
  const uint32_t capacity = capacity_per_shard(options.max_flows, shard_count);
  std::vector<ShardPlumbing> shards(shard_count);
  for (uint32_t s = 0; s < shard_count; ++s)
    shards[s].shard = std::make_unique<flow::FlowShard>(options.flow, capacity, hasher, s);
  auto snapshots = std::make_unique<SnapshotLink>();

  auto bells = std::make_unique<RunBells>();
  std::vector<OutputLink*> outputs;
  for (ShardPlumbing& s : shards) outputs.push_back(s.out.get());
  Aggregator aggregator(outputs, {snapshots.get()}, writer);
  aggregator.set_doorbells(&bells->aggregator, &bells->space);

  std::vector<std::thread> workers;
  for (ShardPlumbing& s : shards)
    workers.emplace_back([&s, &bells] {
      run_shard_worker(*s.shard, *s.batches, OutputPort{s.out.get(), &bells->aggregator, &bells->space},
                       ShardBells{s.work.get(), &bells->reader});
    });
  FileRunResult result;
  std::atomic<bool> stop{false};
  std::thread reader_thread([&] {
    FileReaderLoop loop(reader, shards, *snapshots, hasher, options.interval_ns, stop, options.stop_signal, *bells);
    result = loop.run();
  });

  while (!aggregator.finished()) {
    const uint32_t ticket = aggregator.ticket();
    if (!aggregator.poll()) aggregator.wait_for_work(ticket);
    // Output gone (closed pipe): end the file early, still in order (a stop signal is
    // seen by the reader itself).
    if (writer.failed()) stop.store(true, std::memory_order_relaxed);
  }
  reader_thread.join();
  for (std::thread& t : workers) t.join();
  return result;
}

}  // namespace ringtrack::runtime
