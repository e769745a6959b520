// Owns: the metrics' names, help, types and labels, and their values from one report.
// Does not own: when the values change (metrics_writer) or serving them (metrics_endpoint).
#pragma once

#include <vector>

#include <prometheus/metric_family.h>

#include "frontend/metrics/rtt_histogram.hpp"
#include "ipfix/export_counters.hpp"
#include "runtime/capture_summary.hpp"

namespace ringtrack::frontend {

/// Prometheus's conventions: ringtrack_ prefix, _total on counters, seconds and bytes.
/// Labels only reader, reason and kind, each with a few values: no per-connection series.
/// Kernel counters only for live runs, export counters only when exported is given.
std::vector<prometheus::MetricFamily> metric_families(const runtime::CaptureSummary& summary,
                                                      const RttHistogram& rtt,
                                                      const ipfix::ExportCounters* exported);

}  // namespace ringtrack::frontend
