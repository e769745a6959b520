// Owns: the per-frame work every source does (decode, count, hash, pick the owning shard)
// and handing records over in batches: in place to its own shard, through pools to others.
// Does not own: reading frames (ring_reader, file_source) or applying them (shard_driver).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "decode/decode_outcome.hpp"
#include "decode/frame_decoder.hpp"
#include "flow/flow_hash.hpp"
#include "runtime/record_batch.hpp"
#include "runtime/shard_driver.hpp"
#include "runtime/wake.hpp"

namespace ringtrack::runtime {

/// Where the records of one shard go: exactly one of local and pool is set.
struct Destination {
  ShardDriver* local = nullptr;  ///< this thread's own shard: batches are applied in place
  BatchPool* pool = nullptr;     ///< another thread's shard, which sleeps on consumer
  Wake* consumer = nullptr;
};

/// What a pool with no free batch means to the router.
enum class WhenNoBatch : uint8_t {
  wait,  ///< wait for one: the source is a file, waiting loses nothing
  drop,  ///< drop the records and count them: a live ring must keep draining
};

/// Owned by one source thread. Each shard's records gather in a batch of their own.
class RecordRouter {
 public:
  /// home: the shard whose batch a frame is decoded into before its owner is known (the
  /// thread's own shard live; shard 0 for a file). routing: which records leave home (none
  /// with one destination). own: the wake this thread sleeps on while waiting for a free batch.
  RecordRouter(decode::LinkType link, const flow::FlowHasher& hasher, std::vector<Destination> destinations,
               uint32_t home, Routing routing, WhenNoBatch when_no_batch, Wake& own);

  /// Decodes frame, counts its outcome, and queues a TCP packet's record for its shard.
  void take(const decode::FrameView& frame) noexcept {
    decode::PacketRecord& record = slot(_home);
    decode::KeyDetail detail;
    const decode::DecodeOutcome outcome = decode::decode_frame(_link, frame, record, detail);
    _decode.count(outcome, detail.tunnel.kind);
    if (outcome != decode::DecodeOutcome::tcp) return;
    record.flow_hash = _hasher(record.key);
    uint32_t owner = _home;
    if (_route_all || (_route_tunnelled && record.key.tunnelled())) {
      owner = flow::shard_of(record.flow_hash, uint32_t(_outboxes.size()));
      if (owner != _home) slot(owner) = record;
    }
    if (detail.tunnel.kind != decode::TunnelKind::none) [[unlikely]] announce(owner, detail.tunnel);
    else if (record.vlan_stack_id != 0) [[unlikely]] announce(owner, detail.vlans);
    if (++_outboxes[owner].filling->count == RecordBatch::capacity) deliver(owner);
  }

  /// Hands every partly filled batch over now, and tells each consumer.
  void flush_all() noexcept;
  /// Ends every shard's batch with marker at ns and hands it over (wait policy only).
  void send_marker(Marker marker, uint64_t ns) noexcept;

  /// A file's frames may change link type (pcapng interfaces).
  decode::LinkType link() const noexcept { return _link; }
  void set_link(decode::LinkType link) noexcept { _link = link; }

  const decode::DecodeCounters& decode_counters() const noexcept { return _decode; }
  /// Records dropped because another shard's pool had no free batch (drop policy).
  uint64_t handoff_drops() const noexcept { return _handoff_drops; }

 private:
  // Tunnels and deep VLAN stacks a shard was told of lately, direct-mapped: their packets
  // tell it once, not each time; a slot another takes over only costs a second telling.
  static constexpr uint32_t told_tunnel_slots = 256;
  static constexpr uint32_t told_vlan_stack_slots = 64;

  struct Outbox {
    Destination to;
    RecordBatch* filling = nullptr;
    std::unique_ptr<RecordBatch> own;  // the batch a local destination reuses
    uint32_t unannounced = 0;          // batches handed over since the consumer was told
    std::array<uint32_t, told_tunnel_slots> told_tunnels{};
    std::array<uint32_t, told_vlan_stack_slots> told_vlan_stacks{};
  };

  /// Puts what output shows of a tunnelled packet's tunnel in shard's batch beside its
  /// record, unless the shard was told of it lately (or the batch has no room: a later packet tells it).
  void announce(uint32_t shard, const decode::TunnelIdentity& tunnel) noexcept;
  /// The same for a VLAN stack deeper than the key holds.
  void announce(uint32_t shard, const decode::VlanStack& vlans) noexcept;

  decode::PacketRecord& slot(uint32_t shard) noexcept {
    RecordBatch& batch = *_outboxes[shard].filling;
    return batch.records[batch.count];
  }
  /// Hands shard's batch over (or counts it dropped) and takes the next one.
  void deliver(uint32_t shard) noexcept;
  RecordBatch* take_free_batch(Outbox& outbox) noexcept;
  void tell(Outbox& outbox) noexcept;

  decode::LinkType _link;
  const flow::FlowHasher& _hasher;
  std::vector<Outbox> _outboxes;
  uint32_t _home;
  bool _route_all;
  bool _route_tunnelled;
  WhenNoBatch _when_no_batch;
  Wake& _own;
  /// Where records for a pool with no free batch gather until they are counted as dropped.
  std::unique_ptr<RecordBatch> _spill = std::make_unique<RecordBatch>();
  decode::DecodeCounters _decode;
  uint64_t _handoff_drops = 0;
};

}  // namespace ringtrack::runtime
