// Owns: a ViewSource over one real shard that a test feeds with packets, at a capture
// clock the test sets: the screen's logic against the real query code, no threads.
// Does not own: the shard's behaviour (flow/).
#pragma once

#include <memory>

#include "flow/flow_shard.hpp"
#include "flow/shard_view.hpp"
#include "runtime/view_source.hpp"

namespace ringtrack::testing {

class ShardViewSource final : public runtime::ViewSource {
 public:
  explicit ShardViewSource(uint32_t capacity = 1000)
      : hasher(11), shard(std::make_unique<flow::FlowShard>(screen_config(), capacity, hasher, 0)) {}

  /// The screen's tracking rules: the defaults, and the averages the a key shows.
  static flow::FlowConfig screen_config() {
    flow::FlowConfig config;
    config.averages = true;
    return config;
  }

  runtime::SourceStatus status() override {
    runtime::SourceStatus s;
    s.source = "eth9";
    s.filter = "tcp";
    s.live = true;
    s.readers = 1;
    s.clock_ns = clock_ns;
    s.tcp_packets = shard->stats().tcp_packets;
    s.kernel_drops = kernel_drops;
    s.ring_bytes = 16ull << 20;
    return s;
  }

  runtime::ViewResult query(flow::ViewQuery& query) override {
    query.as_of_ns = clock_ns;
    ++queries;
    runtime::ViewResult result;
    shard->watch(query.watch);
    result.totals = flow::select_rows(*shard, query, result.rows);
    result.complete = true;
    runtime::merge_view_rows(result.rows, query);
    return result;
  }

  flow::FlowHasher hasher;
  std::unique_ptr<flow::FlowShard> shard;
  uint64_t clock_ns = 0;
  uint64_t kernel_drops = 0;
  int queries = 0;
};

}  // namespace ringtrack::testing
