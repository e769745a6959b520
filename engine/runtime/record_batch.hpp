// Owns: how records reach a shard: batches passed by pointer, the marker a batch may end
// with (clock, report, counters, finish), and the pool that recycles batches, for every source.
// Does not own: what fills or consumes them (record_router, shard_driver).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "decode/packet_record.hpp"
#include "decode/tunnel_identity.hpp"
#include "decode/vlan_stack.hpp"
#include "runtime/spsc_link.hpp"

namespace ringtrack::runtime {

/// What a shard does after a batch's records, at marker_ns: markers ride behind the
/// packets they follow, so they stay in order with them.
enum class Marker : uint8_t {
  none,
  clock,   ///< capture time moved on: age connections
  report,  ///< an interim report of every tracked connection
  active_timeout,  ///< the same, for exporters only (flow export's active timeout)
  counters,  ///< the counters alone, no rows, for the metrics (ReportWriter::counters)
  finish,  ///< the input ended: the final report, then the shard's loop ends
};

/// Which records the router hands to the shard their flow hash picks, rather than home.
enum class Routing : uint8_t {
  home,       ///< every record stays home: one shard
  tunnelled,  ///< kernel hash fanout: it keeps a plain flow on one reader, but hashes a UDP
              ///< tunnel's outer ports, which each end picks per direction (VXLAN, Geneve,
              ///< GTP-U, Teredo): tunnelled records go by ringtrack's hash of the inner key
  all,        ///< every record by its hash: a file, or fanout cpu/qm/lb
};

/// 256 records (24 KiB): a shard works through one while it stays in L2. Beside them,
/// what output shows of identities the records' keys hold only in part, for the shard's
/// books: tunnels the records came out of (sixteen a batch, 832 bytes) and VLAN stacks
/// deeper than a key's three (sixteen, 384 bytes), each told once per reader and shard
/// (record_router).
struct RecordBatch {
  static constexpr uint32_t capacity = 256;
  static constexpr uint32_t tunnel_capacity = 16;
  static constexpr uint32_t vlan_stack_capacity = 16;
  std::array<decode::PacketRecord, capacity> records;
  uint32_t count = 0;
  Marker marker = Marker::none;
  uint64_t marker_ns = 0;
  uint32_t tunnel_count = 0;
  uint32_t vlan_stack_count = 0;
  std::array<decode::TunnelIdentity, tunnel_capacity> tunnels;
  std::array<decode::VlanStack, vlan_stack_capacity> vlan_stacks;

  void clear() noexcept {
    count = 0;
    tunnel_count = 0;
    vlan_stack_count = 0;
    marker = Marker::none;
  }
};

// 16 batches a pool: 4k records in flight, enough for a reader to run ahead while a shard
// sweeps; the links hold every batch, so a push never fails.
inline constexpr std::size_t batches_per_pool = 16;
using BatchLink = SpscLink<RecordBatch*, batches_per_pool>;

/// One producer's batches for one shard, and the two directions they travel: filled ones
/// to the shard, emptied ones back to the producer ("recycled buffers back down").
struct BatchPool {
  std::vector<std::unique_ptr<RecordBatch>> storage;
  std::unique_ptr<BatchLink> filled = std::make_unique<BatchLink>();
  std::unique_ptr<BatchLink> recycled = std::make_unique<BatchLink>();

  BatchPool() {
    for (std::size_t i = 0; i < batches_per_pool; ++i) {
      storage.push_back(std::make_unique<RecordBatch>());
      recycled->push_one(storage.back().get());
    }
  }
};

}  // namespace ringtrack::runtime
