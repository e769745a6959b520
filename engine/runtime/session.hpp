// Owns: one run, whatever it reads and wherever its rows go: a source feeding one driver
// per shard, the aggregator into a sink (text, NDJSON, nothing), queries, the batch loop.
// Does not own: the sources' insides (live_capture, file_capture), the formats, the screen.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "flow/flow_hash.hpp"
#include "runtime/aggregator.hpp"
#include "runtime/capture_source.hpp"
#include "runtime/report_writer.hpp"
#include "runtime/run_options.hpp"
#include "runtime/shard_channels.hpp"
#include "runtime/view_source.hpp"

namespace ringtrack::runtime {

/// Constructed and used on one thread (the session's, which is also the aggregator's).
class Session final : public ViewSource {
 public:
  /// Starts reading; throws SetupError before any packet is read (file, interface,
  /// filter, permissions, capacity).
  Session(const RunOptions& options, ReportWriter& writer);
  /// Stops the source and lets the final report through to the writer.
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Batch: runs until the input ends, a stop signal, --duration, --count, the output
  /// failing or the interface going away; the final report is always written. Returns a
  /// line saying why the input could not be read to its end, or "".
  std::string run_to_end();

  /// The screen's questions. A query waits at most half a second for the shards'
  /// answers (a live reader never waits for room to answer; the screen asks again).
  SourceStatus status() override;
  ViewResult query(flow::ViewQuery& query) override;

 private:
  void make_shards(uint32_t count, uint32_t readers);
  /// Each shard whose control link has room gets the message, and is woken.
  void send_to_shards(const ControlMessage& message);
  /// A report asked of the shards every period_ns (monotonic clock), one at a time;
  /// next_ns stays UINT64_MAX for one never asked.
  struct ReportSchedule {
    uint64_t next_ns = UINT64_MAX;
    uint64_t period_ns = 0;
    uint64_t asked = 0;
  };
  /// Sends `message` as a report when `schedule` has one due and `written`, the
  /// aggregator's count of such reports, says the last one asked was written.
  void ask_when_due(ReportSchedule& schedule, uint64_t written, ControlMessage message, uint64_t now);
  /// Live: the exporters-only report every active timeout, the counters-only one every
  /// counters period.
  void ask_for_due_reports(uint64_t monotonic_now_ns);
  /// Waits for the aggregator until the final report is written.
  void drain_to_final_report();

  RunOptions _options;
  ReportWriter& _writer;
  flow::FlowHasher _hasher;
  std::vector<std::unique_ptr<ShardChannels>> _shards;
  std::vector<std::unique_ptr<ReaderChannel>> _readers;
  Wake _aggregator_wake;
  std::unique_ptr<Aggregator> _aggregator;
  std::unique_ptr<CaptureSource> _source;
  uint64_t _query_id = 0;
  ReportSchedule _active_timeout_reports;  ///< live with export only
  ReportSchedule _counters_reports;        ///< live with metrics only
  // A driver may still read any query a message in its control link points to, and the
  // one it is answering: keep as many as that (a late driver is slow, not wrong).
  static constexpr std::size_t kept_queries = ControlLink::capacity + 1;
  std::deque<std::unique_ptr<flow::ViewQuery>> _recent_queries;
};

}  // namespace ringtrack::runtime
