// Owns: the NDJSON output format (one object per connection record, one per summary).
// Does not own: the schema's documentation (README.md, ringtrack.1) beyond field comments.
#pragma once

#include "frontend/output_stream.hpp"
#include "runtime/report_writer.hpp"

namespace ringtrack::frontend {

class JsonWriter final : public runtime::ReportWriter {
 public:
  explicit JsonWriter(OutputStream& out) : _out(out) {}
  void begin_report(uint64_t, bool) override {}
  void row(const flow::ConnView& view, runtime::RowKind kind) override;
  void summary(const runtime::CaptureSummary& summary) override;
  bool failed() const override { return _out.failed(); }

 private:
  OutputStream& _out;
};

}  // namespace ringtrack::frontend
