// Owns: flow export as one more report writer: each connection row becomes a record (a
// biflow, or two uniflows) for every collector, long connections are exported every
// active timeout with the delta since their last record, and the run's end drains the
// collectors' queues.
// Does not own: the transport (collector_exporter, collector_link), the record's values
// (record_builder), when reports happen (runtime::Session).
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "decode/flow_key.hpp"
#include "ipfix/collector_exporter.hpp"
#include "ipfix/export_counters.hpp"
#include "ipfix/record_builder.hpp"
#include "runtime/report_writer.hpp"

namespace ringtrack::ipfix {

struct ExportSettings {
  std::vector<CollectorSpec> collectors;  ///< one or more; each gets every record
  /// A capture file waits for a connected collector's queue to have room rather than
  /// drop (a file has no ring to overflow); live capture never waits.
  bool wait_for_room = false;
  /// Connections this old are exported at each active-timeout report (Session asks for
  /// one every this long, capture time for a file, the wall clock live).
  uint64_t active_timeout_ns = 60'000'000'000;
};

/// Called on the aggregator's thread like every writer; the collectors' threads do the
/// sending. Memory: the queues (CollectorExporter::queue_records each) and one entry per
/// connection that has had an active-timeout record and is still tracked (erased at its
/// last record, and swept at each active-timeout report of those it did not list).
class IpfixWriter final : public runtime::ReportWriter {
 public:
  explicit IpfixWriter(const ExportSettings& settings);
  ~IpfixWriter() override;

  void begin_report(uint64_t, bool) override {}
  void row(const flow::ConnView& view, runtime::RowKind kind) override;
  void end_active_timeout_report(uint64_t as_of_ns) override;
  bool takes_active_timeout_reports() const override { return true; }
  /// At the final summary, waits for the collectors to take what is queued (at most a
  /// second without progress each), so the summary that follows counts every record.
  void summary(const runtime::CaptureSummary& summary) override;
  bool failed() const override { return false; }

  /// Readable from any thread while the writer lives (metrics).
  const ExportCounters& counters() const noexcept { return *_counters; }

 private:
  struct ConnectionId {
    decode::FlowKey key;
    uint64_t first_ts_ns;
    bool operator==(const ConnectionId& o) const noexcept;
  };
  struct ConnectionIdHash {
    std::size_t operator()(const ConnectionId& id) const noexcept;
  };
  struct Exported {
    ExportedSoFar so_far;
    uint64_t listed_in_report = 0;  ///< the active-timeout report that last listed it
  };

  void send(const FlowRecord& biflow);

  ExportSettings _settings;
  std::shared_ptr<ExportCounters> _counters;
  std::vector<std::unique_ptr<CollectorExporter>> _exporters;
  std::unordered_map<ConnectionId, Exported, ConnectionIdHash> _exported;
  uint64_t _active_reports = 1;  ///< numbers the active-timeout report being listed
  bool _finished = false;
};

}  // namespace ringtrack::ipfix
