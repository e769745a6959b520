// Owns: building the matrix and reading its rows and columns.
// Does not own: the pools' protocol (record_batch).
#include "runtime/handoff_matrix.hpp"

namespace ringtrack::runtime {

HandoffMatrix::HandoffMatrix(const std::vector<ShardChannels*>& shards)
    : _shards(shards), _pools(shards.size() * shards.size()) {
  const std::size_t n = shards.size();
  for (std::size_t from = 0; from < n; ++from)
    for (std::size_t to = 0; to < n; ++to)
      if (from != to) _pools[from * n + to] = std::make_unique<BatchPool>();
}

std::vector<Destination> HandoffMatrix::destinations_of(uint32_t reader) const {
  std::vector<Destination> destinations(_shards.size());
  for (uint32_t to = 0; to < _shards.size(); ++to)
    if (to != reader) destinations[to] = Destination{nullptr, pool(reader, to), _shards[to]->wake.get()};
  return destinations;
}

std::vector<InboundBatches> HandoffMatrix::inbound_of(uint32_t shard) const {
  std::vector<InboundBatches> inbound;
  for (uint32_t from = 0; from < _shards.size(); ++from)
    if (from != shard) inbound.push_back(InboundBatches{pool(from, shard), _shards[from]->wake.get()});
  return inbound;
}

}  // namespace ringtrack::runtime
