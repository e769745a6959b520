// Owns: the loop of a shard thread fed by batches from a capture-file reader: apply
// packets, answer reports, stream removals, hand the batches back.
// Does not own: the shard's logic (flow_shard) or who feeds it.
#pragma once

#include "flow/flow_shard.hpp"
#include "runtime/record_batch.hpp"
#include "runtime/shard_links.hpp"

namespace ringtrack::runtime {

/// Emits every tracked connection of shard as kind, then report_end with its counters,
/// waiting while the output is full (see OutputPort::push_blocking).
void emit_report_blocking(const flow::FlowShard& shard, uint64_t as_of_ns, ShardOutput::Kind kind,
                          const OutputPort& out);

/// Bells a file shard thread sleeps on and rings.
struct ShardBells {
  Doorbell* work = nullptr;      ///< rung by the reader when it hands over a batch
  Doorbell* recycled = nullptr;  ///< rung here when a batch goes back to the reader
};

/// Runs until a finish record has been applied and answered. Owner thread of shard.
void run_shard_worker(flow::FlowShard& shard, BatchPool& batches, const OutputPort& out, ShardBells bells);

}  // namespace ringtrack::runtime
