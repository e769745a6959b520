// Owns: what flow export counts, readable from any thread (summary, metrics).
// Does not own: when they move (collector_exporter, ipfix_writer) or how they are shown.
#pragma once

#include <atomic>
#include <cstdint>

namespace ringtrack::ipfix {

/// Summed over collectors. Written with fetch_add by the aggregator's thread (drops at a
/// full queue) and each collector's exporter thread (sends, lost messages, connects), read
/// by anyone who wants a value, not an ordering: relaxed loads and fetch_adds are all they need.
struct ExportCounters {
  std::atomic<uint64_t> records_sent{0};     ///< records in messages handed to a collector's transport
  std::atomic<uint64_t> records_dropped{0};  ///< records a full queue or a lost collector refused
  std::atomic<uint64_t> connects{0};         ///< transport sessions opened (TCP connects, UDP sockets)

  uint64_t sent() const noexcept { return records_sent.load(std::memory_order_relaxed); }
  uint64_t dropped() const noexcept { return records_dropped.load(std::memory_order_relaxed); }
  uint64_t connect_count() const noexcept { return connects.load(std::memory_order_relaxed); }
};

}  // namespace ringtrack::ipfix
