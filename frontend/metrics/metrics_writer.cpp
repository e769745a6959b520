// Owns: keeping the latest report for the scrapes.
// Does not own: the metric names (metric_families).
#include "frontend/metrics/metrics_writer.hpp"

#include "frontend/metrics/metric_families.hpp"

namespace ringtrack::frontend {

void MetricsWriter::row(const flow::ConnView& view, runtime::RowKind kind) {
  // Interim and active-timeout rows come again; a connection's last row comes once.
  const bool last = kind == runtime::RowKind::removed || kind == runtime::RowKind::final ||
                    kind == runtime::RowKind::stopped;
  if (last && view.handshake_rtt_us != 0) _rtt.observe(view.handshake_rtt_us);
}

void MetricsWriter::publish(const runtime::CaptureSummary& summary) {
  std::lock_guard<std::mutex> guard(_lock);
  _published_summary = summary;
  _published_rtt = _rtt;
}

std::vector<prometheus::MetricFamily> MetricsWriter::Collect() const {
  runtime::CaptureSummary summary;
  RttHistogram rtt;
  {
    std::lock_guard<std::mutex> guard(_lock);
    summary = _published_summary;
    rtt = _published_rtt;
  }
  return metric_families(summary, rtt, _exported);
}

}  // namespace ringtrack::frontend
