// Owns: the NDJSON output format (one object per connection record, one per summary).
// Does not own: the schema's documentation (README.md, ringtrack.1) beyond field comments.
#pragma once

#include <cstdint>

#include "frontend/batch/output_stream.hpp"
#include "ipfix/export_counters.hpp"
#include "runtime/report_writer.hpp"

namespace ringtrack::frontend {

class JsonWriter final : public runtime::ReportWriter {
 public:
  explicit JsonWriter(OutputStream& out) : _out(out) {}
  void begin_report(uint64_t, bool) override {}
  void row(const flow::ConnView& view, runtime::RowKind kind) override;
  void summary(const runtime::CaptureSummary& summary) override;
  bool failed() const override { return _out.failed(); }
  /// Summaries add export_sent, export_dropped, export_connects (a run with --ipfix).
  void show_export(const ipfix::ExportCounters* counters) noexcept { _export = counters; }

  /// The text of the last timestamp written in one field ("1700000000.000000001"): rows of
  /// a report share as_of, and a capture's rows share few distinct seconds.
  struct TimestampText {
    static constexpr unsigned capacity = 32;  // 20 digits, '.', 9 digits
    bool filled = false;
    uint64_t ns = 0;
    uint8_t seconds_length = 0;
    uint8_t length = 0;
    char text[capacity];
  };

 private:
  OutputStream& _out;
  TimestampText _first_ts, _last_ts, _as_of;
  const ipfix::ExportCounters* _export = nullptr;
};

}  // namespace ringtrack::frontend
