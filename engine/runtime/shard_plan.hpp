// Owns: how many shards a run has and how many connections each may hold.
// Does not own: the CPUs live readers run on (live_plan) or the shards themselves.
#pragma once

#include <cstdint>

namespace ringtrack::runtime {

/// Shard capacity for max_flows spread over shards; throws SetupError when it is out of
/// the table's range.
uint32_t capacity_per_shard(uint64_t max_flows, uint32_t shards);

/// Shard threads for a capture file: requested, or one per online CPU but the reader's.
uint32_t file_shard_count(uint32_t requested);

}  // namespace ringtrack::runtime
