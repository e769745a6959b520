// Owns: handing one report stream to several writers (an output format, exporters, metrics).
// Does not own: the writers, nor threads (called on the aggregator's thread like any writer).
#pragma once

#include <vector>

#include "runtime/report_writer.hpp"

namespace ringtrack::runtime {

/// Every call goes to each writer in the order they were added. Fails when any writer does:
/// a closed output ends the run whatever else listens.
class ReportFanout final : public ReportWriter {
 public:
  void add(ReportWriter& writer) { _writers.push_back(&writer); }

  void begin_report(uint64_t as_of_ns, bool final) override {
    for (ReportWriter* w : _writers) w->begin_report(as_of_ns, final);
  }
  void row(const flow::ConnView& view, RowKind kind) override {
    for (ReportWriter* w : _writers)
      if (kind != RowKind::active_timeout || w->takes_active_timeout_reports()) w->row(view, kind);
  }
  void end_active_timeout_report(uint64_t as_of_ns) override {
    for (ReportWriter* w : _writers)
      if (w->takes_active_timeout_reports()) w->end_active_timeout_report(as_of_ns);
  }
  bool takes_active_timeout_reports() const override {
    for (const ReportWriter* w : _writers)
      if (w->takes_active_timeout_reports()) return true;
    return false;
  }
  void summary(const CaptureSummary& summary) override {
    for (ReportWriter* w : _writers) w->summary(summary);
  }
  void counters(const CaptureSummary& summary) override {
    for (ReportWriter* w : _writers) w->counters(summary);
  }
  bool failed() const override {
    for (const ReportWriter* w : _writers)
      if (w->failed()) return true;
    return false;
  }

 private:
  std::vector<ReportWriter*> _writers;
};

}  // namespace ringtrack::runtime
