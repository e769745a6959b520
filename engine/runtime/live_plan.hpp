// Owns: planning a live run before any thread starts: interface, filter, link type, reader
// CPUs, the complete ring configuration, whether records cross between shards.
// Does not own: making rings (ring_bring_up) or running readers (live_capture).
#pragma once

#include <cstdint>
#include <vector>

#include "capture/live_filter.hpp"
#include "capture/rx_ring.hpp"
#include "os/network_interface.hpp"
#include "runtime/record_batch.hpp"
#include "runtime/run_options.hpp"

namespace ringtrack::runtime {

struct LivePlan {
  os::InterfaceInfo interface;
  capture::LiveFilter filter;
  std::vector<int> reader_cpus;  ///< one per reader, in reader order
  capture::RingConfig ring;      ///< complete: interface, index, sizes, fanout mode
  /// Which records a reader hands to another reader's shard (the fanout mode keeps flows
  /// with one reader, or does not; with one reader, none).
  Routing routing = Routing::home;

  uint32_t readers() const noexcept { return uint32_t(reader_cpus.size()); }
};

/// Throws SetupError naming the problem: interface missing or down, filter rejected,
/// CAP_NET_RAW missing, CPU list invalid.
LivePlan plan_live_capture(const RunOptions& options);

}  // namespace ringtrack::runtime
