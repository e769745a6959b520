// Owns: shard counts and capacities.
// Does not own: the table's own limits (flow_table).
#include "runtime/shard_plan.hpp"

#include <unistd.h>

#include <string>

#include "flow/flow_table.hpp"
#include "os/setup_error.hpp"

namespace ringtrack::runtime {

uint32_t capacity_per_shard(uint64_t max_flows, uint32_t shards) {
  const uint64_t per_shard = (max_flows + shards - 1) / shards;
  if (per_shard == 0 || per_shard > flow::FlowTable::max_capacity)
    throw SetupError("--max-flows " + std::to_string(max_flows) + " over " + std::to_string(shards) +
                     " shards gives " + std::to_string(per_shard) + " per shard; allowed 1.." +
                     std::to_string(flow::FlowTable::max_capacity));
  return uint32_t(per_shard);
}

uint32_t file_shard_count(uint32_t requested) {
  if (requested != 0) return requested;
  // One core reads the file; the others track (a shard per core).
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  return online > 1 ? uint32_t(online - 1) : 1;
}

}  // namespace ringtrack::runtime
