// Owns: the plain-text batch format: tcptrack's columns plus per-direction packets and
// bytes, one connection a line, and a summary block per report.
// Does not own: the screen (screen panels), NDJSON (json_writer).
#pragma once

#include <cstddef>

#include "frontend/batch/output_stream.hpp"
#include "ipfix/export_counters.hpp"
#include "runtime/report_writer.hpp"

namespace ringtrack::frontend {

/// Columns are aligned; the endpoint columns start at the width of an IPv4 endpoint and
/// widen (for the rest of the run) when a longer one, such as IPv6, appears; the VLAN
/// column likewise for a stack of more than two tags.
class TextWriter final : public runtime::ReportWriter {
 public:
  explicit TextWriter(OutputStream& out) : _out(out) {}
  void begin_report(uint64_t as_of_ns, bool final) override;
  void row(const flow::ConnView& view, runtime::RowKind kind) override;
  void summary(const runtime::CaptureSummary& summary) override;
  bool failed() const override { return _out.failed(); }
  /// Summaries end with the export's counters (a run with --ipfix).
  void show_export(const ipfix::ExportCounters* counters) noexcept { _export = counters; }

 private:
  void header();
  OutputStream& _out;
  std::size_t _endpoint_width = 21;  // "255.255.255.255:65535"
  std::size_t _vlan_width = 9;       // "4095.4095"; a deeper stack widens it as an endpoint does
  bool _header_due = true;
  const ipfix::ExportCounters* _export = nullptr;
};

}  // namespace ringtrack::frontend
