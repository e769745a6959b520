// Owns: the loop of a shard thread fed by a PacketLink (capture files, and live readers
// that hand packets to other shards): apply packets, answer reports, stream removals.
// Does not own: the shard's logic (flow_shard) or who feeds it.
#pragma once

#include <atomic>

#include "flow/flow_shard.hpp"
#include "runtime/shard_links.hpp"

namespace ringtrack::runtime {

/// Emits every tracked connection of shard as kind, then report_end with its counters.
/// Blocks (with backoff) while out is full: for capture files, where waiting loses nothing.
void emit_report_blocking(const flow::FlowShard& shard, uint64_t as_of_ns, ShardOutput::Kind kind,
                          OutputLink& out);

/// Pushes one message, waiting while out is full.
void push_blocking(OutputLink& out, const ShardOutput& message);

/// Runs until a finish record has been applied and answered. Owner thread of shard.
void run_shard_worker(flow::FlowShard& shard, PacketLink& in, OutputLink& out);

}  // namespace ringtrack::runtime
