// Owns: the pools live readers hand records through when the fanout does not keep a flow
// with one reader (cpu, qm, lb): one from every reader to every other reader's shard.
// Does not own: the hand-off itself (record_router, shard_driver).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/record_router.hpp"
#include "runtime/shard_channels.hpp"
#include "runtime/shard_driver.hpp"

namespace ringtrack::runtime {

class HandoffMatrix {
 public:
  /// shards[i] is reader i's shard; its driver runs on reader i's thread and sleeps on
  /// its channels' wake.
  explicit HandoffMatrix(const std::vector<ShardChannels*>& shards);

  /// Reader i's destinations: shard i its own (the reader sets it local), pools to the others.
  std::vector<Destination> destinations_of(uint32_t reader) const;
  /// The pools other readers fill for shard j, with the wake of each filler.
  std::vector<InboundBatches> inbound_of(uint32_t shard) const;

 private:
  BatchPool* pool(uint32_t from, uint32_t to) const { return _pools[std::size_t(from) * _shards.size() + to].get(); }

  std::vector<ShardChannels*> _shards;
  std::vector<std::unique_ptr<BatchPool>> _pools;  // [from * n + to]; none where from == to
};

}  // namespace ringtrack::runtime
