// Owns: the shard thread loop for queue-fed shards.
// Does not own: the report protocol's other end (aggregator).
#include "runtime/shard_worker.hpp"

#include <array>

#include "runtime/backoff.hpp"

namespace ringtrack::runtime {

using decode::PacketRecord;
namespace packet_kind = decode::packet_kind;

void push_blocking(OutputLink& out, const ShardOutput& message) {
  Backoff backoff;
  while (!out.push_one(message)) backoff.wait();
}

void emit_report_blocking(const flow::FlowShard& shard, uint64_t as_of_ns, ShardOutput::Kind kind,
                          OutputLink& out) {
  ShardOutput message{};
  message.kind = kind;
  shard.for_each_view(as_of_ns, [&](const flow::ConnView& view) {
    message.view = view;
    push_blocking(out, message);
  });
  message = ShardOutput{};
  message.kind = ShardOutput::Kind::report_end;
  message.stats = shard.stats();
  push_blocking(out, message);
}

void run_shard_worker(flow::FlowShard& shard, PacketLink& in, OutputLink& out) {
  auto report_removed = [&out](const flow::ConnView& view) {
    ShardOutput message{};
    message.kind = ShardOutput::Kind::removed;
    message.view = view;
    push_blocking(out, message);
  };
  shard.set_removal_sink(flow::RemovalSink(report_removed));

  // 256 records: 20 KiB, stays in L1/L2 while the shard works through it.
  std::array<PacketRecord, 256> batch;
  Backoff backoff;
  for (;;) {
    const std::size_t n = in.pop_some(batch);
    if (n == 0) {
      backoff.wait();
      continue;
    }
    backoff.reset();
    std::size_t run_start = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const uint8_t kind = batch[i].kind;
      if (kind != packet_kind::report && kind != packet_kind::finish) [[likely]] continue;
      shard.apply(std::span(batch.data() + run_start, i - run_start));
      run_start = i + 1;
      shard.advance_clock(batch[i].ts_ns);
      if (kind == packet_kind::report) {
        emit_report_blocking(shard, batch[i].ts_ns, ShardOutput::Kind::interim, out);
      } else {
        emit_report_blocking(shard, batch[i].ts_ns, ShardOutput::Kind::final, out);
        return;
      }
    }
    shard.apply(std::span(batch.data() + run_start, n - run_start));
  }
}

}  // namespace ringtrack::runtime
