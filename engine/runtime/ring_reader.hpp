// Owns: one live reader thread once its ring is up: ring source and shard driver on one
// thread, never waiting on a queue while the ring is read, then the drain to a final report.
// Does not own: bring-up (ring_bring_up), per-frame work (record_router), the shard loop.
#pragma once

#include <atomic>
#include <cstdint>
#include <latch>
#include <memory>
#include <vector>

#include "capture/rx_ring.hpp"
#include "decode/link_type.hpp"
#include "flow/flow_hash.hpp"
#include "runtime/record_router.hpp"
#include "runtime/shard_channels.hpp"
#include "runtime/shard_driver.hpp"

namespace ringtrack::runtime {

/// Counters a reader publishes for the session's stop checks and status line; relaxed
/// atomics, written by the reader only.
struct ReaderProgress {
  std::atomic<uint64_t> tcp_packets{0};
  std::atomic<uint64_t> kernel_drops{0};
};

/// One reader's own parts, made by the session before its thread starts.
struct RingReaderParts {
  uint32_t index = 0;
  int cpu = -1;                           ///< -1: not pinned
  std::unique_ptr<capture::RxRing> ring;  ///< made on the reader's thread (ring_bring_up)
  ShardChannels* channels = nullptr;      ///< its shard
  ReaderChannel* counters = nullptr;      ///< its counters to the aggregator
  /// Handoff (non-hash fanout): destinations[j] for shard j (its own: local), and the
  /// pools other readers fill for its shard.
  std::vector<Destination> destinations;
  std::vector<InboundBatches> inbound;
  ReaderProgress progress;
};

/// What every reader of a session shares.
struct RingReaderSettings {
  decode::LinkType link_type{};
  bool skip_outgoing = false;  ///< loopback: every packet is seen twice
  Routing routing = Routing::home;  ///< which records go to another reader's shard
  const flow::FlowHasher* hasher = nullptr;
  const std::atomic<bool>* stop = nullptr;
  /// Counted down by each reader once it has handed over its last records; readers take
  /// their inbound batches until every reader has (no record is left behind).
  std::latch* handoffs_flushed = nullptr;
  Wake* aggregator = nullptr;
  /// Test hook: sleep this long per block, to make the ring overflow (forced drops).
  uint32_t slow_consumer_us = 0;
};

/// The reader's loop, on its own thread, until *settings.stop; then its final report
/// (waiting on queues is fine then: the ring is no longer read).
void run_ring_reader(RingReaderParts& parts, const RingReaderSettings& settings);

}  // namespace ringtrack::runtime
