// Owns: handing batches over, taking free ones back, and telling consumers.
// Does not own: the per-frame path (inline in the header).
#include "runtime/record_router.hpp"

namespace ringtrack::runtime {
namespace {

// A consumer is told once per this many batches (2k records), not per batch: it sleeps
// while the source, the slower side, fills them, and each wake-up costs system calls.
// flush_all() and markers tell it at once.
constexpr uint32_t batches_per_wake = 8;

}  // namespace

RecordRouter::RecordRouter(decode::LinkType link, const flow::FlowHasher& hasher,
                           std::vector<Destination> destinations, uint32_t home, Routing routing,
                           WhenNoBatch when_no_batch, Wake& own)
    : _link(link), _hasher(hasher), _outboxes(destinations.size()), _home(home),
      _route_all(routing == Routing::all && destinations.size() > 1),
      _route_tunnelled(routing == Routing::tunnelled && destinations.size() > 1), _when_no_batch(when_no_batch),
      _own(own) {
  for (std::size_t i = 0; i < destinations.size(); ++i) {
    Outbox& outbox = _outboxes[i];
    outbox.to = destinations[i];
    if (outbox.to.local) {
      outbox.own = std::make_unique<RecordBatch>();
      outbox.filling = outbox.own.get();
    } else {
      outbox.filling = take_free_batch(outbox);
    }
  }
}

void RecordRouter::deliver(uint32_t shard) noexcept {
  Outbox& outbox = _outboxes[shard];
  RecordBatch* batch = outbox.filling;
  if (outbox.to.local) {
    outbox.to.local->take_batch(*batch);
    batch->clear();
    return;
  }
  if (batch == _spill.get()) {
    _handoff_drops += batch->count;  // never wait: the ring must keep draining
    batch->clear();
  } else {
    outbox.to.pool->filled->push_one(batch);  // cannot fail: the link holds every batch
    if (++outbox.unannounced >= batches_per_wake) tell(outbox);
  }
  outbox.filling = take_free_batch(outbox);
}

RecordBatch* RecordRouter::take_free_batch(Outbox& outbox) noexcept {
  BatchPool& pool = *outbox.to.pool;
  RecordBatch* batch = nullptr;
  while (pool.recycled->pop_some({&batch, 1}) == 0) {
    if (_when_no_batch == WhenNoBatch::drop) return _spill.get();
    tell(outbox);  // it holds every batch: it must work through them first
    _own.wait([&pool] { return !pool.recycled->empty(); });
  }
  return batch;
}

void RecordRouter::tell(Outbox& outbox) noexcept {
  outbox.unannounced = 0;
  if (outbox.to.consumer) outbox.to.consumer->notify();
}

void RecordRouter::announce(uint32_t shard, const decode::TunnelIdentity& tunnel) noexcept {
  Outbox& outbox = _outboxes[shard];
  // GTP-U's two directions carry two TEIDs under one id: each is told.
  const uint32_t mark = tunnel.id ^ (tunnel.teid[0] * 0x9e3779b9u) ^ (tunnel.teid[1] * 0x85ebca6bu);
  uint32_t& told = outbox.told_tunnels[mark % told_tunnel_slots];
  RecordBatch& batch = *outbox.filling;
  if (told == mark || &batch == _spill.get() || batch.tunnel_count == RecordBatch::tunnel_capacity) return;
  batch.tunnels[batch.tunnel_count++] = tunnel;
  told = mark;
}

void RecordRouter::announce(uint32_t shard, const decode::VlanStack& vlans) noexcept {
  Outbox& outbox = _outboxes[shard];
  uint32_t& told = outbox.told_vlan_stacks[vlans.id % told_vlan_stack_slots];
  RecordBatch& batch = *outbox.filling;
  if (told == vlans.id || &batch == _spill.get() || batch.vlan_stack_count == RecordBatch::vlan_stack_capacity)
    return;
  batch.vlan_stacks[batch.vlan_stack_count++] = vlans;
  told = vlans.id;
}

void RecordRouter::flush_all() noexcept {
  for (uint32_t shard = 0; shard < _outboxes.size(); ++shard) {
    Outbox& outbox = _outboxes[shard];
    if (outbox.filling->count != 0) deliver(shard);
    if (outbox.to.local) continue;
    if (outbox.filling == _spill.get()) outbox.filling = take_free_batch(outbox);  // one may be back
    tell(outbox);
  }
}

void RecordRouter::send_marker(Marker marker, uint64_t ns) noexcept {
  for (uint32_t shard = 0; shard < _outboxes.size(); ++shard) {
    RecordBatch& batch = *_outboxes[shard].filling;
    batch.marker = marker;
    batch.marker_ns = ns;
    deliver(shard);
    if (!_outboxes[shard].to.local) tell(_outboxes[shard]);
  }
}

}  // namespace ringtrack::runtime
