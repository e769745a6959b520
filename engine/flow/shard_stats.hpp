// Owns: one shard's counters, merged by the aggregator with +=.
// Does not own: capture-side counters (frames, drops) or decode outcomes.
#pragma once

#include <cstdint>

namespace ringtrack::flow {

struct ShardStats {
  uint64_t tcp_packets = 0;        ///< packets applied to a connection
  uint64_t untracked_packets = 0;  ///< TCP packets of no connection (-d: started before us)
  /// TCP packets of a finished connection after its removal (a retransmitted FIN, late
  /// data, within FlowConfig::time_wait_ns): its row was already reported, so they are
  /// counted here rather than in a row of their own.
  uint64_t stray_packets = 0;
  uint64_t connections = 0;        ///< connections created
  uint64_t expired = 0;            ///< removed by a timer
  uint64_t evictions = 0;          ///< removed because the table was full
  uint64_t refused = 0;            ///< not tracked: table full while a report held removals
  uint64_t reused = 0;             ///< ended by a new SYN on the same 4-tuple
  uint64_t tracked = 0;            ///< in the table now (a level, summed over shards)
  uint64_t capacity = 0;           ///< the table's size, fixed at start (summed over shards)
  uint64_t retransmitted = 0;      ///< TCP segments counted as retransmissions (tcp_health)
  /// Payload bytes of every packet applied to a connection since the capture started,
  /// removed connections' included: [0] sent by clients, [1] by servers (the screen's
  /// cumulative TOTAL, the integral of its speeds).
  uint64_t payload_bytes[2] = {0, 0};

  ShardStats& operator+=(const ShardStats& o) noexcept {
    tcp_packets += o.tcp_packets;
    untracked_packets += o.untracked_packets;
    stray_packets += o.stray_packets;
    connections += o.connections;
    expired += o.expired;
    evictions += o.evictions;
    refused += o.refused;
    reused += o.reused;
    tracked += o.tracked;
    capacity += o.capacity;
    retransmitted += o.retransmitted;
    payload_bytes[0] += o.payload_bytes[0];
    payload_bytes[1] += o.payload_bytes[1];
    return *this;
  }
};

}  // namespace ringtrack::flow
