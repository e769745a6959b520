// Owns: one live reader thread: its pinned CPU, its ring, its shard; the block loop,
// kernel statistics, clock ticks when idle, handing records to other shards (non-hash
// fanout), and answering reports without ever blocking on a queue.
// Does not own: bring-up ordering across readers or the aggregator (live_session).
#pragma once

#include <atomic>
#include <cstdint>
#include <latch>
#include <memory>
#include <string>
#include <vector>

#include "capture/rx_ring.hpp"
#include "decode/link_type.hpp"
#include "os/event_fd.hpp"
#include "flow/flow_shard.hpp"
#include "runtime/capture_summary.hpp"
#include "runtime/control_message.hpp"
#include "runtime/shard_links.hpp"

namespace ringtrack::runtime {

/// Counters a reader publishes for the session's stop checks and status line; relaxed
/// atomics, written by the reader only.
struct ReaderProgress {
  std::atomic<uint64_t> tcp_packets{0};
  std::atomic<uint64_t> kernel_drops{0};
  std::atomic<bool> interface_error{false};  ///< the last poll reported ENETDOWN
};

/// Everything a reader needs, prepared by the session before the thread starts.
struct LiveReaderPlumbing {
  uint32_t index = 0;
  int cpu = -1;                          ///< -1: not pinned
  std::unique_ptr<flow::FlowShard> shard;
  std::unique_ptr<capture::RxRing> ring;  ///< created on the reader's thread
  std::unique_ptr<OutputLink> out = std::make_unique<OutputLink>();
  std::unique_ptr<SnapshotLink> snapshots = std::make_unique<SnapshotLink>();
  std::unique_ptr<ControlLink> control = std::make_unique<ControlLink>();
  /// Signalled by the session after it queued a control message: wakes a reader that
  /// sleeps in poll() on a quiet ring, so the screen gets its rows at once.
  std::unique_ptr<os::EventFd> wake = std::make_unique<os::EventFd>();
  /// handoff[j]: records for shard j (non-hash fanout); this reader produces into them.
  std::vector<PacketLink*> handoff_out;
  /// Records other readers produced for this reader's shard; this reader consumes them.
  std::vector<PacketLink*> handoff_in;
  ReaderProgress progress;
};

struct LiveReaderSettings {
  decode::LinkType link_type{};
  bool skip_outgoing = false;        ///< loopback: every packet is seen twice
  bool route_by_hash = false;        ///< fanout cpu/qm/lb: flows are not kept together
  const flow::FlowHasher* hasher = nullptr;
  const std::atomic<bool>* stop = nullptr;
  /// Counted down by each reader once it has pushed its last handoff records; readers
  /// drain their inboxes only after every reader has (no record is left in a queue).
  std::latch* handoffs_flushed = nullptr;
  /// Signalled when the aggregator has something to do: a snapshot, a report's end or a
  /// full queue, and every aggregator_wake_rows removed rows. Between those it sleeps.
  os::EventFd* aggregator_wake = nullptr;
  /// Test hook: sleep this long per block, to make the ring overflow (forced drops).
  uint32_t slow_consumer_us = 0;
};

/// The reader's loop, on its own thread, until *settings.stop; then its final report
/// (blocking pushes are fine then: the ring is no longer read).
void run_live_reader(LiveReaderPlumbing& plumbing, const LiveReaderSettings& settings);

}  // namespace ringtrack::runtime
