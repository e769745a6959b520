// Owns: the one loop body every shard runs, live or from a file: records and their markers,
// control messages, and streaming rows, reports and view answers under an output policy.
// Does not own: the shard's logic (flow_shard), record sources, merging (aggregator).
#pragma once

#include <cstdint>
#include <vector>

#include "flow/conn_view.hpp"
#include "flow/rows_memo.hpp"
#include "runtime/record_batch.hpp"
#include "runtime/shard_channels.hpp"

namespace ringtrack::runtime {

/// What a driver does when the output link to the aggregator is full.
enum class OutputPolicy : uint8_t {
  wait,        ///< wait for room: the input is a file, or a live ring no longer read
  never_wait,  ///< a live ring is being read: count a lost row, answer a view next time
};

/// A pool another thread fills for this shard, and that thread's wake (told when a batch
/// comes back, in case it waits for one).
struct InboundBatches {
  BatchPool* pool = nullptr;
  Wake* producer = nullptr;
};

/// Owned by and used on the shard's owner thread only: a live reader (the ring source and
/// this driver on one thread) or a file run's shard thread (run()).
class ShardDriver {
 public:
  ShardDriver(ShardChannels& channels, Wake& aggregator, OutputPolicy policy,
              std::vector<InboundBatches> inbound = {});
  ShardDriver(const ShardDriver&) = delete;
  ShardDriver& operator=(const ShardDriver&) = delete;

  /// A file run's shard thread: takes batches and control messages, sleeping on the
  /// channels' wake between them, until a finish marker's final report is sent.
  void run();

  void advance_clock(uint64_t now_ns) noexcept { _shard.advance_clock(now_ns); }
  /// Applies batch's records, then acts on its marker.
  void take_batch(const RecordBatch& batch);
  /// Takes up to max_batches filled batches from the inbound pools, oldest first per
  /// pool, and hands each back to its producer. Returns how many it took.
  uint32_t take_inbound(uint32_t max_batches);

  enum class Served : uint8_t { nothing, view, report };
  /// Takes one control message unless a report is still streaming (one at a time: the
  /// next waits in the queue). A view is answered at once; a report request starts a
  /// report that continue_report() streams (the caller first sends its counters).
  Served serve_control();
  /// Whether the driver could act now: a filled batch inbound, a control message to take,
  /// or room for the report in progress (its thread must not sleep then).
  bool has_work() const noexcept;

  /// Streams the report in progress as far as the output allows. True when none is left.
  bool continue_report() noexcept;
  bool reporting() const noexcept { return _reporting; }
  uint64_t report_as_of_ns() const noexcept { return _report_as_of_ns; }
  /// Starts a report: every tracked connection as of as_of_ns as rows of kind, then
  /// report_end, sent by continue_report() or complete_report(); removals wait meanwhile.
  void begin_report(uint64_t as_of_ns, ShardOutput::Kind kind);
  /// Starts a report of the counters alone: report_end without rows (the metrics ask for
  /// one a second; a table of a million rows each time would be a flood).
  void begin_counters_report(uint64_t as_of_ns);
  /// The report in progress to its end, waiting for room whatever the policy.
  void complete_report();

  /// From now on waits for room (a live reader that stopped reading its ring).
  void set_policy(OutputPolicy policy) noexcept { _policy = policy; }
  /// True once a finish marker's final report has been sent.
  bool finished() const noexcept { return _finished; }
  uint64_t reports_lost() const noexcept { return _reports_lost; }
  flow::FlowShard& shard() noexcept { return _shard; }

  /// RemovalSink: a removed connection's last row, under the policy.
  void operator()(const flow::ConnView& view) noexcept;

 private:
  void answer_view(const ControlMessage& message);
  /// Pushes message, waiting for room (policy wait, or a report being completed).
  void push_waiting(const ShardOutput& message) noexcept;
  /// Counts a queued row; tells the aggregator every rows_per_wake of them.
  void queued() noexcept;
  void notify_aggregator() noexcept;

  ShardChannels& _channels;
  flow::FlowShard& _shard;
  OutputLink& _out;
  Wake& _aggregator;
  OutputPolicy _policy;
  std::vector<InboundBatches> _inbound;
  std::vector<flow::ConnView> _view_rows;  // scratch, reused between queries
  flow::RowsMemo _rows_memo;  // the last answer's rows in the order by bytes, for the next
  uint64_t _reports_lost = 0;
  uint32_t _unannounced = 0;  // rows queued since the aggregator was last told
  bool _told_full = false;    // the aggregator was told the link is full, and it still is
  bool _reporting = false;
  bool _finished = false;
  uint32_t _report_cursor = 0;
  uint64_t _report_as_of_ns = 0;
  ShardOutput::Kind _report_kind = ShardOutput::Kind::interim;
  bool _report_counters_only = false;
};

}  // namespace ringtrack::runtime
