// Owns: the interface through which runtime hands rows and summaries to an output.
// Does not own: any format (frontend/batch/: text_writer, json_writer), nor threads (it is
// called on one thread).
#pragma once

#include "flow/conn_view.hpp"
#include "runtime/capture_summary.hpp"

namespace ringtrack::runtime {

/// Which report a row belongs to.
enum class RowKind : uint8_t {
  removed,   ///< the connection ended and left its shard: its last record
  interim,   ///< still tracked at an interval report; more records will follow
  final,     ///< still tracked when the input (a capture file) ended: its last record
  stopped,   ///< still tracked when the capture was stopped (live: always; a file: a signal)
  /// still tracked at an exporter's active-timeout report: only writers that export see
  /// these (takes_active_timeout_reports); such a report has no begin and no summary
  active_timeout,
};

/// Called by the aggregator on one thread, per connection and per report (never per packet).
class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  /// A report (interval or final) begins; its rows and then its summary follow.
  virtual void begin_report(uint64_t as_of_ns, bool final) = 0;
  virtual void row(const flow::ConnView& view, RowKind kind) = 0;
  virtual void summary(const CaptureSummary& summary) = 0;
  /// Output could not be written (closed pipe): the run should stop.
  virtual bool failed() const = 0;
  /// An active-timeout report's rows have all been given (every tracked connection).
  virtual void end_active_timeout_report(uint64_t /*as_of_ns*/) {}
  /// Whether active-timeout rows are for this writer (exporters); the fan-out gives them
  /// to no other.
  virtual bool takes_active_timeout_reports() const { return false; }
  /// The counters between reports, without rows (RunOptions::counters_period_ns): only
  /// writers that keep a running account (the metrics) look at them; formats print nothing.
  virtual void counters(const CaptureSummary& /*summary*/) {}
};

/// For runs that report nothing (the screen): rows and summaries go nowhere.
class DiscardingWriter final : public ReportWriter {
 public:
  void begin_report(uint64_t, bool) override {}
  void row(const flow::ConnView&, RowKind) override {}
  void summary(const CaptureSummary&) override {}
  bool failed() const override { return false; }
};

}  // namespace ringtrack::runtime
