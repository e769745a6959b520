// Owns: replaying a capture file through the sharded engine as fast as possible: one
// reader thread, N shard threads, the aggregator on the calling thread.
// Does not own: option parsing or output formats (frontend).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "flow/flow_config.hpp"
#include "runtime/report_writer.hpp"

namespace ringtrack::runtime {

struct FileRunOptions {
  std::string path;
  std::string filter;            ///< libpcap expression; empty = everything
  uint32_t shards = 1;
  uint64_t max_flows = 1 << 20;  ///< over all shards
  flow::FlowConfig flow;
  uint64_t interval_ns = 0;      ///< interim report every this much capture time; 0 = none
  uint64_t hash_seed = 0;
  const std::atomic<bool>* stop_signal = nullptr;  ///< SIGINT/SIGTERM: end early, report
};

struct FileRunResult {
  bool damaged = false;
  std::string damage_message;  ///< one line, when damaged
};

/// Reads the whole file, writing every report to writer (on the calling thread).
/// Throws SetupError before any thread starts when the file or filter is unusable. A file
/// damaged part-way still yields its final report, then result.damaged.
FileRunResult run_capture_file(const FileRunOptions& options, ReportWriter& writer);

/// Shard capacity for max_flows spread over shards.
uint32_t capacity_per_shard(uint64_t max_flows, uint32_t shards);

}  // namespace ringtrack::runtime
