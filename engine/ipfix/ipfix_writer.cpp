// Owns: rows to records, the per-connection export bookkeeping, fan-out to collectors.
// Does not own: the values of a record (record_builder) or sending (collector_exporter).
#include "ipfix/ipfix_writer.hpp"

#include <cstring>
#include <string_view>

namespace ringtrack::ipfix {

bool IpfixWriter::ConnectionId::operator==(const ConnectionId& o) const noexcept {
  return first_ts_ns == o.first_ts_ns && std::memcmp(&key, &o.key, sizeof key) == 0;
}

std::size_t IpfixWriter::ConnectionIdHash::operator()(const ConnectionId& id) const noexcept {
  const std::string_view bytes(reinterpret_cast<const char*>(&id.key), sizeof id.key);
  return std::hash<std::string_view>{}(bytes) ^ (id.first_ts_ns * 0x9e3779b97f4a7c15ull);
}

IpfixWriter::IpfixWriter(const ExportSettings& settings)
    : _settings(settings), _counters(std::make_shared<ExportCounters>()) {
  for (const CollectorSpec& spec : settings.collectors)
    _exporters.push_back(std::make_unique<CollectorExporter>(spec, _counters));
}

IpfixWriter::~IpfixWriter() = default;  // each exporter finishes as it goes

void IpfixWriter::send(const FlowRecord& biflow) {
  for (auto& exporter : _exporters) {
    if (exporter->shape() == RecordShape::biflow) {
      exporter->push(biflow, _settings.wait_for_room);
    } else {
      FlowRecord pair[2];
      split_into_uniflows(biflow, pair);
      exporter->push(pair[0], _settings.wait_for_room);
      exporter->push(pair[1], _settings.wait_for_room);
    }
  }
}

void IpfixWriter::row(const flow::ConnView& view, runtime::RowKind kind) {
  if (kind == runtime::RowKind::interim) return;  // --interval's reports are not export's
  ConnectionId id;
  id.key = flow::key_of(view);
  id.first_ts_ns = view.first_ts_ns;
  auto found = _exported.find(id);
  if (kind == runtime::RowKind::active_timeout) {
    // A connection is first exported once it is an active timeout old (short ones only
    // ever get their last record), then at every such report with something new.
    const bool young = view.as_of_ns < view.first_ts_ns + _settings.active_timeout_ns;
    if (found == _exported.end() && young) return;
    Exported& entry = found != _exported.end() ? found->second : _exported[id];
    entry.listed_in_report = _active_reports;
    // Nothing new since its last record: nothing to say.
    if (view.packets[0] == entry.so_far.packets[0] && view.packets[1] == entry.so_far.packets[1]) return;
    send(make_biflow_record(view, FlowEndReason::active_timeout, entry.so_far));
    entry.so_far.packets[0] = view.packets[0];
    entry.so_far.packets[1] = view.packets[1];
    entry.so_far.octets[0] = ip_octets(view, 0);
    entry.so_far.octets[1] = ip_octets(view, 1);
    entry.so_far.last_ts_ns = view.last_ts_ns;
    return;
  }
  // The connection's last record: what came since its last active-timeout record.
  const ExportedSoFar before = found != _exported.end() ? found->second.so_far : ExportedSoFar{};
  if (found != _exported.end()) _exported.erase(found);
  // One whose last active-timeout record already carried every packet ends there, as a
  // probe's flow does that saw nothing after its active timeout.
  if (before.last_ts_ns != 0 && view.packets[0] == before.packets[0] && view.packets[1] == before.packets[1])
    return;
  send(make_biflow_record(view, end_reason_of(view, kind), before));
}

void IpfixWriter::end_active_timeout_report(uint64_t) {
  // Every tracked connection was listed: one not listed left without a last record
  // reaching us (its removal row was lost to a full queue), so forget it.
  for (auto it = _exported.begin(); it != _exported.end();) {
    if (it->second.listed_in_report != _active_reports) it = _exported.erase(it);
    else ++it;
  }
  ++_active_reports;
}

void IpfixWriter::summary(const runtime::CaptureSummary& summary) {
  if (!summary.final || _finished) return;
  _finished = true;
  for (auto& exporter : _exporters) exporter->begin_finish();
  for (auto& exporter : _exporters) exporter->finish();
}

}  // namespace ringtrack::ipfix
