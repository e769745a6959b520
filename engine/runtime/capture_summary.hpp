// Owns: the totals a report ends with: frames, decode outcomes, shard counters, drops.
// Does not own: per-connection rows (flow::ConnView) or their formatting (frontend).
#pragma once

#include <cstdint>
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

/// What readers count, per reader at a report and summed over them in a summary.
struct ReaderCounters {
  uint64_t frames_read = 0;      ///< frames the source delivered (before the filter, for files)
  uint64_t bytes_read = 0;       ///< their lengths on the wire, summed
  uint64_t filtered_out = 0;     ///< frames the filter rejected in user space (files)
  uint64_t loopback_copies = 0;  ///< live loopback: outgoing duplicates not counted twice
  decode::DecodeCounters decode; ///< outcome of every frame that passed the filter
  RingCounters kernel;           ///< live capture only
  uint64_t reports_lost = 0;     ///< removed-connection rows a live shard could not queue
  uint64_t handoff_drops = 0;    ///< records a live reader could not hand to their shard
  ReaderCounters& operator+=(const ReaderCounters& o) noexcept {
    frames_read += o.frames_read;
    bytes_read += o.bytes_read;
    filtered_out += o.filtered_out;
    loopback_copies += o.loopback_copies;
    decode += o.decode;
    kernel += o.kernel;
    reports_lost += o.reports_lost;
    handoff_drops += o.handoff_drops;
    return *this;
  }
};

/// The readers' counters summed, and what the shards and the run add.
struct CaptureSummary : ReaderCounters {
  bool final = false;            ///< end of input, not an interval report
  uint64_t as_of_ns = 0;         ///< capture time the report describes
  flow::ShardStats flows;        ///< merged over shards
  bool live = false;
  std::vector<ReaderCounters> per_reader;  ///< each reader's own (a file has one)
  uint32_t shards = 0;
};

}  // namespace ringtrack::runtime
