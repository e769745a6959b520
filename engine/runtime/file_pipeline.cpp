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
// Records gathered per shard before one push: amortises the queue's atomics.
constexpr std::size_t route_batch = 128;

struct ShardPlumbing {
  std::unique_ptr<flow::FlowShard> shard;
  std::unique_ptr<PacketLink> in = std::make_unique<PacketLink>();
  std::unique_ptr<OutputLink> out = std::make_unique<OutputLink>();
  std::array<PacketRecord, route_batch> pending;
  std::size_t pending_count = 0;
};

void push_all_blocking(PacketLink& link, const PacketRecord* records, std::size_t count) {
  Backoff backoff;
  while (count != 0) {
    const std::size_t pushed = link.push_some({records, count});
    records += pushed;
    count -= pushed;
    if (count != 0) backoff.wait();
    else backoff.reset();
  }
}

class FileReaderLoop {
 public:
  FileReaderLoop(capture::PcapFileReader& reader, std::vector<ShardPlumbing>& shards,
                 SnapshotLink& snapshots, const flow::FlowHasher& hasher, uint64_t interval_ns,
                 const std::atomic<bool>& stop)
      : _reader(reader), _shards(shards), _snapshots(snapshots), _hasher(hasher),
        _interval_ns(interval_ns), _stop(stop) {}

  FileRunResult run() {
    decode::FrameView frame{};
    PacketRecord record{};
    const decode::LinkType link = _reader.link_type();
    capture::ReadResult result;
    while ((result = _reader.next(frame)) == capture::ReadResult::frame) {
      if (_stop.load(std::memory_order_relaxed)) [[unlikely]] break;
      advance_clock(frame.ts_ns);
      const decode::DecodeOutcome outcome = decode::decode_frame(link, frame, record);
      _decode.count(outcome);
      if (outcome != decode::DecodeOutcome::tcp) continue;
      record.flow_hash = _hasher(record.key);
      route(flow::shard_of(record.flow_hash, uint32_t(_shards.size())), record);
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

  void route(uint32_t shard_index, const PacketRecord& record) {
    ShardPlumbing& shard = _shards[shard_index];
    shard.pending[shard.pending_count++] = record;
    if (shard.pending_count == route_batch) flush(shard);
  }

  void flush(ShardPlumbing& shard) {
    push_all_blocking(*shard.in, shard.pending.data(), shard.pending_count);
    shard.pending_count = 0;
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
    for (ShardPlumbing& shard : _shards) {
      route(uint32_t(&shard - _shards.data()), control_record(kind, ts_ns));
      flush(shard);
    }
  }

  capture::PcapFileReader& _reader;
  std::vector<ShardPlumbing>& _shards;
  SnapshotLink& _snapshots;
  const flow::FlowHasher& _hasher;
  uint64_t _interval_ns;
  const std::atomic<bool>& _stop;
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

  std::vector<OutputLink*> outputs;
  for (ShardPlumbing& s : shards) outputs.push_back(s.out.get());
  Aggregator aggregator(outputs, {snapshots.get()}, writer);

  std::vector<std::thread> workers;
  for (ShardPlumbing& s : shards)
    workers.emplace_back([&s] { run_shard_worker(*s.shard, *s.in, *s.out); });
  FileRunResult result;
  std::atomic<bool> stop{false};
  std::thread reader_thread([&] {
    FileReaderLoop loop(reader, shards, *snapshots, hasher, options.interval_ns, stop);
    result = loop.run();
  });

  Backoff backoff;
  while (!aggregator.finished()) {
    if (aggregator.poll()) backoff.reset();
    else backoff.wait();
    // Output gone (closed pipe) or a stop signal: end the file early, still in order.
    if ((writer.failed() || (options.stop_signal && options.stop_signal->load(std::memory_order_relaxed))) &&
        !stop.load(std::memory_order_relaxed))
      stop.store(true, std::memory_order_relaxed);
  }
  reader_thread.join();
  for (std::thread& t : workers) t.join();
  return result;
}

}  // namespace ringtrack::runtime
