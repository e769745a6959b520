// Owns: a batch run over a capture file: the wiring of reader, shard threads and
// aggregator, and per-shard capacity.
// Does not own: the reader loop (file_reader_loop), shard logic, report formats.
#include "runtime/file_pipeline.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "capture/pcap_file_reader.hpp"
#include "os/setup_error.hpp"
#include "flow/flow_hash.hpp"
#include "os/thread_name.hpp"
#include "runtime/aggregator.hpp"
#include "runtime/file_reader_loop.hpp"
#include "runtime/file_shards.hpp"

namespace ringtrack::runtime {

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
  FileShards shards(std::max<uint32_t>(1, options.shards), options.flow, options.max_flows, hasher);
  auto snapshots = std::make_unique<SnapshotLink>();
  auto bells = std::make_unique<FileRunBells>();
  Aggregator aggregator(shards.outputs(), {snapshots.get()}, writer);
  aggregator.set_doorbells(&bells->aggregator, &bells->space);
  shards.start(*bells);

  FileRunResult result;
  std::atomic<bool> stop{false};
  std::thread reader_thread([&] {
    os::name_current_thread("rt-file-reader");
    FileReaderLoop loop(reader, shards.shards(), *snapshots, hasher, options.interval_ns, stop,
                        options.stop_signal, *bells, nullptr);
    const FileReadResult read = loop.run();
    result.damaged = read.damaged;
    result.damage_message = read.damage_message;
  });

  while (!aggregator.finished()) {
    const uint32_t ticket = aggregator.ticket();
    if (!aggregator.poll()) aggregator.wait_for_work(ticket);
    // Output gone (closed pipe): end the file early, still in order (a stop signal is
    // seen by the reader itself).
    if (writer.failed()) stop.store(true, std::memory_order_relaxed);
  }
  reader_thread.join();
  shards.join();
  return result;
}

}  // namespace ringtrack::runtime
