// Owns: the totals a report ends with: frames, decode outcomes, shard counters, drops.
// Does not own: per-connection rows (flow::ConnView) or their formatting (frontend).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "decode/decode_outcome.hpp"
#include "flow/shard_stats.hpp"

namespace ringtrack::runtime {

/// Kernel counters of one ring socket (PACKET_STATISTICS, accumulated in 64 bits).
struct RingCounters {
  uint64_t packets = 0;   ///< seen by the socket, drops included
  uint64_t drops = 0;     ///< not delivered: the ring was full
  uint64_t freezes = 0;   ///< times the ring's queue froze
  RingCounters& operator+=(const RingCounters& o) noexcept {
    packets += o.packets;
    drops += o.drops;
    freezes += o.freezes;
    return *this;
  }
};

struct CaptureSummary {
  bool final = false;            ///< end of input, not an interval report
  uint64_t as_of_ns = 0;         ///< capture time the report describes
  uint64_t frames_read = 0;      ///< frames the source delivered (before the filter, for files)
  uint64_t filtered_out = 0;     ///< frames the filter rejected in user space (files)
  uint64_t loopback_copies = 0;  ///< live loopback: outgoing duplicates not counted twice
  decode::DecodeCounters decode; ///< outcome of every frame that passed the filter
  flow::ShardStats flows;        ///< merged over shards
  uint64_t reports_lost = 0;     ///< removed-connection reports a live shard could not queue
  uint64_t handoff_drops = 0;    ///< packets a live reader could not hand to their shard
  bool live = false;
  RingCounters kernel;           ///< live capture only
  std::vector<RingCounters> kernel_per_reader;
  uint32_t shards = 0;
};

}  // namespace ringtrack::runtime
