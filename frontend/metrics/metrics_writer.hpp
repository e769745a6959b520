// Owns: the metrics' running account of a run: the latest summary or counters report and
// the handshake RTT histogram, fed by the report stream, read by the endpoint's scrapes.
// Does not own: serving them (metrics_endpoint), their names and text (metric_families),
// any counting of its own: every number is the engine's, as the summary prints it.
#pragma once

#include <mutex>
#include <vector>

#include <prometheus/collectable.h>

#include "frontend/metrics/rtt_histogram.hpp"
#include "ipfix/export_counters.hpp"
#include "runtime/report_writer.hpp"

namespace ringtrack::frontend {

/// A ReportWriter on the aggregator's thread and a prometheus::Collectable on the
/// endpoint's threads: the two meet under one lock, taken once per report (a second) and
/// once per scrape, never per row.
class MetricsWriter final : public runtime::ReportWriter, public prometheus::Collectable {
 public:
  /// How often the session asks for the counters (RunOptions::counters_period_ns): a
  /// scrape (15 s by default, rarely under a second) is then at most a second behind, for
  /// one message per shard a second.
  static constexpr uint64_t counters_period_ns = 1'000'000'000;

  /// exported: flow export's counters, read at each scrape (null: no export, no families).
  explicit MetricsWriter(const ipfix::ExportCounters* exported = nullptr) : _exported(exported) {}

  void begin_report(uint64_t, bool) override {}
  /// A connection's last row (removed, final, stopped) adds its handshake RTT, if seen.
  void row(const flow::ConnView& view, runtime::RowKind kind) override;
  void summary(const runtime::CaptureSummary& summary) override { publish(summary); }
  void counters(const runtime::CaptureSummary& summary) override { publish(summary); }
  bool failed() const override { return false; }

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  void publish(const runtime::CaptureSummary& summary);

  const ipfix::ExportCounters* _exported;
  RttHistogram _rtt;  // the aggregator's thread only
  mutable std::mutex _lock;
  runtime::CaptureSummary _published_summary;  // under _lock
  RttHistogram _published_rtt;                 // under _lock
};

}  // namespace ringtrack::frontend
