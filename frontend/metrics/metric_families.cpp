// Owns: building the families from a summary.
// Does not own: the summary's meaning (runtime/capture_summary, README's summary table).
#include "frontend/metrics/metric_families.hpp"

#include <limits>
#include <string>

namespace ringtrack::frontend {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

class Families {
 public:
  MetricFamily& add(const char* name, const char* help, MetricType type) {
    _out.push_back(MetricFamily{std::string("ringtrack_") + name, help, type, {}});
    return _out.back();
  }
  /// A family of one unlabelled counter.
  void counter(const char* name, const char* help, uint64_t value) {
    add(name, help, MetricType::Counter).metric.push_back(counter_of(value));
  }
  void gauge(const char* name, const char* help, uint64_t value) {
    ClientMetric m;
    m.gauge.value = double(value);
    add(name, help, MetricType::Gauge).metric.push_back(m);
  }
  static ClientMetric counter_of(uint64_t value, const char* label = nullptr, std::string label_value = {}) {
    ClientMetric m;
    m.counter.value = double(value);
    if (label) m.label.push_back({label, std::move(label_value)});
    return m;
  }
  std::vector<MetricFamily> take() { return std::move(_out); }

 private:
  std::vector<MetricFamily> _out;
};

/// One counter per reader, labelled with its index.
template <class Value>
void per_reader(Families& f, const runtime::CaptureSummary& s, const char* name, const char* help, Value value) {
  MetricFamily& family = f.add(name, help, MetricType::Counter);
  for (std::size_t i = 0; i < s.per_reader.size(); ++i)
    family.metric.push_back(Families::counter_of(value(s.per_reader[i]), "reader", std::to_string(i)));
}

void add_rtt(Families& f, const RttHistogram& rtt) {
  ClientMetric m;
  m.histogram.sample_count = rtt.samples;
  m.histogram.sample_sum = double(rtt.sum_us) / 1e6;
  uint64_t cumulative = 0;
  for (std::size_t i = 0; i < rtt.counts.size(); ++i) {
    cumulative += rtt.counts[i];
    const double bound = i < RttHistogram::bounds_us.size() ? double(RttHistogram::bounds_us[i]) / 1e6
                                                            : std::numeric_limits<double>::infinity();
    m.histogram.bucket.push_back({cumulative, bound});
  }
  f.add("handshake_rtt_seconds",
        "Handshake round-trip time at the capture point (the last SYN to the ACK completing the handshake), observed at each connection's last record.",
        MetricType::Histogram)
      .metric.push_back(m);
}

}  // namespace

std::vector<MetricFamily> metric_families(const runtime::CaptureSummary& s, const RttHistogram& rtt,
                                          const ipfix::ExportCounters* exported) {
  using decode::DecodeOutcome;
  Families f;
  per_reader(f, s, "frames_total", "Frames read (a file: before the capture filter).",
             [](const runtime::ReaderCounters& r) { return r.frames_read; });
  per_reader(f, s, "bytes_total", "Bytes of the frames read, their lengths on the wire.",
             [](const runtime::ReaderCounters& r) { return r.bytes_read; });
  if (s.live) {
    per_reader(f, s, "kernel_packets_total", "Packets the reader's ring socket saw, drops included (PACKET_STATISTICS).",
               [](const runtime::ReaderCounters& r) { return r.kernel.packets; });
    per_reader(f, s, "kernel_drops_total", "Packets the kernel dropped because the reader's ring was full.",
               [](const runtime::ReaderCounters& r) { return r.kernel.drops; });
  }
  f.counter("tcp_packets_total", "TCP packets decoded.", s.decode.of(DecodeOutcome::tcp));
  MetricFamily& undecodable =
      f.add("undecodable_frames_total", "Frames malformed or cut short, by reason.", MetricType::Counter);
  for (unsigned i = unsigned(DecodeOutcome::truncated_link); i < decode::decode_outcome_count; ++i)
    undecodable.metric.push_back(
        Families::counter_of(s.decode.frames[i], "reason", decode::decode_outcome_name(DecodeOutcome(i))));
  f.counter("untracked_fragments_total", "Later IP fragments, which belong to no connection.",
            s.decode.of(DecodeOutcome::fragment_tail));
  MetricFamily& tunnelled = f.add("tunnelled_frames_total", "Frames decoded out of a tunnel, by the innermost tunnel's kind.",
                                  MetricType::Counter);
  for (unsigned k = 1; k < decode::tunnel_kind_count; ++k)
    tunnelled.metric.push_back(
        Families::counter_of(s.decode.tunnelled[k], "kind", decode::tunnel_kind_name(decode::TunnelKind(k))));

  f.counter("connections_opened_total", "Connections created.", s.flows.connections);
  MetricFamily& removed = f.add("connections_removed_total",
                                "Connections removed from the table, by why: a timer, eviction, a reused 4-tuple.",
                                MetricType::Counter);
  removed.metric.push_back(Families::counter_of(s.flows.expired, "reason", "expired"));
  removed.metric.push_back(Families::counter_of(s.flows.evictions, "reason", "evicted"));
  removed.metric.push_back(Families::counter_of(s.flows.reused, "reason", "reused"));
  f.gauge("connections_tracked", "Connections in the table now.", s.flows.tracked);
  f.gauge("connections_capacity", "Connections the table holds at most (--max-flows).", s.flows.capacity);
  f.counter("evictions_total", "Connections evicted because the table was full.", s.flows.evictions);
  f.counter("refused_connections_total", "Connections not tracked: the table was full while a report held removals.",
            s.flows.refused);
  f.counter("handoff_drops_total", "Packets a live reader could not hand to the shard owning their connection.",
            s.handoff_drops);
  f.counter("reports_lost_total", "Rows of removed connections that did not fit the queue to the outputs.",
            s.reports_lost);
  if (exported) {
    f.counter("export_records_sent_total", "IPFIX records handed to a collector's transport, summed over collectors.",
              exported->sent());
    f.counter("export_records_dropped_total", "IPFIX records dropped: queue full, collector gone, left at the end.",
              exported->dropped());
    f.counter("export_connects_total", "IPFIX transport sessions opened (TCP connects and reconnects, UDP sockets).",
              exported->connect_count());
  }
  add_rtt(f, rtt);
  return f.take();
}

}  // namespace ringtrack::frontend
