// Tests the metrics writer in process: a fake report stream in, the families and their text
// out: one value per summary field, a connection's RTT counted once at its last row, nothing
// seen between reports, names and labels as Prometheus's conventions want them.
#include "frontend/metrics/metrics_writer.hpp"

#include <gtest/gtest.h>
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <set>
#include <string>

namespace ringtrack::testing {
namespace {

using frontend::MetricsWriter;
using prometheus::MetricFamily;
using prometheus::MetricType;

runtime::CaptureSummary live_summary() {
  runtime::CaptureSummary s;
  s.live = true;
  for (uint64_t i = 0; i < 2; ++i) {
    runtime::ReaderCounters r;
    r.frames_read = 10 + i;
    r.bytes_read = 1000 + i;
    r.kernel.packets = 12 + i;
    r.kernel.drops = 2;
    r.decode.count(decode::DecodeOutcome::tcp, decode::TunnelKind::vxlan);
    r.decode.count(decode::DecodeOutcome::truncated_tcp);
    s.per_reader.push_back(r);
    s += r;
  }
  s.flows.connections = 5;
  s.flows.expired = 1;
  s.flows.evictions = 2;
  s.flows.tracked = 2;
  s.flows.capacity = 64;
  return s;
}

flow::ConnView row_with_rtt(uint32_t rtt_us) {
  flow::ConnView v{};
  v.handshake_rtt_us = rtt_us;
  return v;
}

std::string text_of(const MetricsWriter& writer) {
  return prometheus::TextSerializer().Serialize(writer.Collect());
}

TEST(MetricsWriter, EachSummaryFieldIsOneSample) {
  MetricsWriter writer;
  writer.counters(live_summary());
  const std::string text = text_of(writer);
  for (const char* line : {
           "ringtrack_frames_total{reader=\"0\"} 10\n", "ringtrack_frames_total{reader=\"1\"} 11\n",
           "ringtrack_bytes_total{reader=\"1\"} 1001\n", "ringtrack_kernel_drops_total{reader=\"0\"} 2\n",
           "ringtrack_kernel_packets_total{reader=\"1\"} 13\n", "ringtrack_tcp_packets_total 2\n",
           "ringtrack_undecodable_frames_total{reason=\"truncated_tcp\"} 2\n",
           "ringtrack_tunnelled_frames_total{kind=\"vxlan\"} 2\n", "ringtrack_connections_opened_total 5\n",
           "ringtrack_connections_removed_total{reason=\"expired\"} 1\n",
           "ringtrack_connections_removed_total{reason=\"evicted\"} 2\n", "ringtrack_connections_tracked 2\n",
           "ringtrack_connections_capacity 64\n", "ringtrack_evictions_total 2\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
}

TEST(MetricsWriter, NamesAndLabelsFollowTheConventions) {
  ipfix::ExportCounters exported;
  exported.records_sent = 7;
  MetricsWriter writer(&exported);
  writer.summary(live_summary());
  const std::set<std::string> allowed_labels{"reader", "reason", "kind", "le"};
  bool saw_export = false;
  for (const MetricFamily& family : writer.Collect()) {
    EXPECT_EQ(family.name.rfind("ringtrack_", 0), 0u) << family.name;
    EXPECT_FALSE(family.help.empty()) << family.name;
    const bool total = family.name.size() > 6 && family.name.substr(family.name.size() - 6) == "_total";
    EXPECT_EQ(total, family.type == MetricType::Counter) << family.name;
    for (const auto& metric : family.metric)
      for (const auto& label : metric.label) EXPECT_TRUE(allowed_labels.count(label.name)) << family.name;
    if (family.name == "ringtrack_export_records_sent_total") {
      saw_export = true;
      EXPECT_EQ(family.metric.at(0).counter.value, 7);
    }
  }
  EXPECT_TRUE(saw_export);
}

TEST(MetricsWriter, FileRunsHaveNoKernelOrExportFamilies) {
  MetricsWriter writer;
  runtime::CaptureSummary s = live_summary();
  s.live = false;
  writer.summary(s);
  for (const MetricFamily& family : writer.Collect()) {
    EXPECT_EQ(family.name.find("kernel"), std::string::npos) << family.name;
    EXPECT_EQ(family.name.find("export"), std::string::npos) << family.name;
  }
}

TEST(MetricsWriter, HandshakeRttCountedOnceAtTheLastRowAndShownAtTheNextReport) {
  MetricsWriter writer;
  writer.row(row_with_rtt(300), runtime::RowKind::interim);         // comes again
  writer.row(row_with_rtt(300), runtime::RowKind::active_timeout);  // comes again
  writer.row(row_with_rtt(0), runtime::RowKind::removed);           // handshake not seen
  writer.row(row_with_rtt(300), runtime::RowKind::removed);
  writer.row(row_with_rtt(20'000), runtime::RowKind::stopped);
  writer.row(row_with_rtt(5'000'000), runtime::RowKind::final);
  // Not before the next report: the scrape sees the rows and the counters of one moment.
  EXPECT_NE(text_of(writer).find("ringtrack_handshake_rtt_seconds_count 0\n"), std::string::npos);
  writer.counters(live_summary());
  const std::string text = text_of(writer);
  for (const char* line : {"ringtrack_handshake_rtt_seconds_count 3\n",
                           "ringtrack_handshake_rtt_seconds_bucket{le=\"0.0001\"} 0\n",
                           "ringtrack_handshake_rtt_seconds_bucket{le=\"0.0005\"} 1\n",
                           "ringtrack_handshake_rtt_seconds_bucket{le=\"0.025\"} 2\n",
                           "ringtrack_handshake_rtt_seconds_bucket{le=\"3\"} 2\n",
                           "ringtrack_handshake_rtt_seconds_bucket{le=\"+Inf\"} 3\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
  EXPECT_NE(text.find("ringtrack_handshake_rtt_seconds_sum 5.0203"), std::string::npos) << text;
}

}  // namespace
}  // namespace ringtrack::testing
