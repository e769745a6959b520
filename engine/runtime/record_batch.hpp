// Owns: batches of packet records passed between a file reader and its shard threads by
// pointer, and the pool that recycles them (records are written once, where the shard
// reads them, instead of being copied into and out of a queue).
// Does not own: what fills or consumes them (file_pipeline, shard_worker).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "decode/packet_record.hpp"
#include "runtime/spsc_link.hpp"

namespace ringtrack::runtime {

/// 256 records (20 KiB): a shard works through one while it stays in L2.
struct RecordBatch {
  static constexpr uint32_t capacity = 256;
  std::array<decode::PacketRecord, capacity> records;
  uint32_t count = 0;
};

// 16 batches per shard: 4k records in flight, enough for the reader to run ahead while a
// shard sweeps; the links hold every batch, so they never overflow.
inline constexpr std::size_t batches_per_shard = 16;
using BatchLink = SpscLink<RecordBatch*, batches_per_shard>;

/// A shard's batches and the two directions they travel: filled ones to the shard,
/// emptied ones back to the reader ("recycled buffers back down").
struct BatchPool {
  std::vector<std::unique_ptr<RecordBatch>> storage;
  std::unique_ptr<BatchLink> filled = std::make_unique<BatchLink>();
  std::unique_ptr<BatchLink> recycled = std::make_unique<BatchLink>();

  BatchPool() {
    for (std::size_t i = 0; i < batches_per_shard; ++i) {
      storage.push_back(std::make_unique<RecordBatch>());
      recycled->push_one(storage.back().get());
    }
  }
};

}  // namespace ringtrack::runtime
