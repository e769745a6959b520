// Owns: the loop of a shard thread fed by batches from a capture-file reader: apply
// packets, answer reports, stream removals, hand the batches back.
// Does not own: the shard's logic (flow_shard) or who feeds it.
#pragma once

#include <vector>

#include "flow/flow_shard.hpp"
#include "runtime/control_message.hpp"
#include "runtime/record_batch.hpp"
#include "runtime/shard_links.hpp"

namespace ringtrack::runtime {

/// Emits every tracked connection of shard as kind, then report_end with its counters,
/// waiting while the output is full (see OutputPort::push_blocking).
void emit_report_blocking(const flow::FlowShard& shard, uint64_t as_of_ns, ShardOutput::Kind kind,
                          const OutputPort& out);

/// Answers view query message: the shard's rows for it in query order, then view_end with
/// its totals. may_wait: a file shard thread may wait for room; a live reader never
/// does: if the rows do not all fit now it sends only the totals (the screen's next
/// refresh asks again). rows: scratch space, reused between queries.
void answer_view(const flow::FlowShard& shard, const ControlMessage& message, const OutputPort& out,
                 bool may_wait, std::vector<flow::ConnView>& rows);

/// Bells a file shard thread sleeps on and rings.
struct ShardBells {
  Doorbell* work = nullptr;      ///< rung by the reader when it hands over a batch
  Doorbell* recycled = nullptr;  ///< rung here when a batch goes back to the reader
};

/// Runs until a finish record has been applied and answered. Owner thread of shard.
/// control: view queries from the session (screen replays), answered between batches.
void run_shard_worker(flow::FlowShard& shard, BatchPool& batches, const OutputPort& out, ShardBells bells,
                      ControlLink* control = nullptr);

}  // namespace ringtrack::runtime
