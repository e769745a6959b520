// Owns: the shard thread loop for queue-fed shards.
// Does not own: the report protocol's other end (aggregator).
#include "runtime/shard_worker.hpp"

#include <array>

#include "flow/shard_view.hpp"

#include "runtime/backoff.hpp"

namespace ringtrack::runtime {

using decode::PacketRecord;
namespace packet_kind = decode::packet_kind;

void OutputPort::push_blocking(const ShardOutput& message) const {
  Backoff backoff;
  for (;;) {
    const uint32_t ticket = space ? space->ticket() : 0;
    if (link->push_one(message)) break;
    if (consumer) consumer->ring();  // it must drain before we can go on
    unrung = 0;
    if (space) space->wait(ticket);
    else backoff.wait();
  }
  if (consumer && (++unrung >= ring_every || message.kind == ShardOutput::Kind::report_end)) {
    consumer->ring();
    unrung = 0;
  }
}

void emit_report_blocking(const flow::FlowShard& shard, uint64_t as_of_ns, ShardOutput::Kind kind,
                          const OutputPort& out) {
  ShardOutput message{};
  message.kind = kind;
  shard.for_each_view(as_of_ns, [&](const flow::ConnView& view) {
    message.view = view;
    out.push_blocking(message);
  });
  message = ShardOutput{};
  message.kind = ShardOutput::Kind::report_end;
  message.stats = shard.stats();
  out.push_blocking(message);
}

void answer_view(const flow::FlowShard& shard, const ControlMessage& message, const OutputPort& out,
                 bool may_wait, std::vector<flow::ConnView>& rows) {
  ShardOutput reply{};
  reply.query_id = message.query_id;
  reply.totals = flow::select_rows(shard, *message.query, rows);
  if (may_wait || out.link->free_slots() > rows.size()) {
    reply.kind = ShardOutput::Kind::view_row;
    for (const flow::ConnView& v : rows) {
      reply.view = v;
      if (may_wait) out.push_blocking(reply);
      else out.link->push_one(reply);
    }
  }
  reply.kind = ShardOutput::Kind::view_end;
  if (may_wait) {
    out.push_blocking(reply);
  } else if (!out.link->push_one(reply)) {
    // Only after the check above failed and other rows filled the link since: the
    // session gives up on this query after its timeout and asks again.
  }
  if (out.consumer) out.consumer->ring();
}

void run_shard_worker(flow::FlowShard& shard, BatchPool& batches, const OutputPort& out, ShardBells bells,
                      ControlLink* control) {
  std::vector<flow::ConnView> view_rows;
  auto serve_control = [&] {
    ControlMessage message;
    while (control && control->pop_some({&message, 1}) == 1)
      if (message.kind == ControlMessage::Kind::view) answer_view(shard, message, out, true, view_rows);
  };
  auto report_removed = [&out](const flow::ConnView& view) {
    ShardOutput message{};
    message.kind = ShardOutput::Kind::removed;
    message.view = view;
    out.push_blocking(message);
  };
  shard.set_removal_sink(flow::RemovalSink(report_removed));

  // Queries are answered once the batches handed over before them are applied (so a
  // screen sees everything read so far), or every 16 batches when the reader keeps ahead.
  constexpr uint32_t batches_between_queries = 16;
  uint32_t since_queries = 0;
  for (;;) {
    RecordBatch* batch = nullptr;
    const uint32_t ticket = bells.work->ticket();
    if (batches.filled->pop_some({&batch, 1}) == 0) {
      serve_control();
      since_queries = 0;
      bells.work->wait(ticket);
      continue;
    }
    if (++since_queries == batches_between_queries) {
      serve_control();
      since_queries = 0;
    }
    const PacketRecord* records = batch->records.data();
    const std::size_t n = batch->count;
    std::size_t run_start = 0;
    bool finished = false;
    for (std::size_t i = 0; i < n && !finished; ++i) {
      const uint8_t kind = records[i].kind;
      if (kind != packet_kind::report && kind != packet_kind::finish && kind != packet_kind::quit) [[likely]]
        continue;
      shard.apply(std::span(records + run_start, i - run_start));
      run_start = i + 1;
      if (kind == packet_kind::quit) {
        finished = true;
        break;
      }
      shard.advance_clock(records[i].ts_ns);
      finished = kind == packet_kind::finish;
      emit_report_blocking(shard, records[i].ts_ns,
                           finished ? ShardOutput::Kind::final : ShardOutput::Kind::interim, out);
    }
    if (!finished) shard.apply(std::span(records + run_start, n - run_start));
    batch->count = 0;
    batches.recycled->push_one(batch);  // cannot fail: the link holds every batch
    bells.recycled->ring();
    if (finished) return;
  }
}

}  // namespace ringtrack::runtime
