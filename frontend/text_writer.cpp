// Owns: text rows and summaries.
// Does not own: number formats (display_format).
#include "frontend/text_writer.hpp"

#include <cinttypes>
#include <cstdio>

#include "frontend/display_format.hpp"

namespace ringtrack::frontend {
namespace {

void pad_to(std::string& s, std::size_t start, std::size_t width) {
  const std::size_t used = s.size() - start;
  s.append(used < width ? width - used : 0, ' ');
}

void cell(std::string& s, const std::string& text, std::size_t width) {
  const std::size_t start = s.size();
  s += text;
  pad_to(s, start, width);
  s += ' ';
}

void right_cell(std::string& s, const std::string& text, std::size_t width) {
  if (text.size() < width) s.append(width - text.size(), ' ');
  s += text;
  s += ' ';
}

const char* note_of(const flow::ConnView& view, runtime::RowKind kind) {
  switch (kind) {
    case runtime::RowKind::interim: return "active";
    case runtime::RowKind::final: return "input-ended";
    case runtime::RowKind::removed: return flow::end_reason_name(view.end);
  }
  return "";
}

}  // namespace

void TextWriter::header() {
  std::string& s = _out.buffer();
  cell(s, "Client", _endpoint_width);
  cell(s, "Server", _endpoint_width);
  cell(s, "VLAN", 9);
  cell(s, "State", 12);
  right_cell(s, "Idle", 5);
  right_cell(s, "Speed", 10);
  right_cell(s, "C>S pkts", 10);
  right_cell(s, "C>S bytes", 13);
  right_cell(s, "S>C pkts", 10);
  right_cell(s, "S>C bytes", 13);
  s += "End\n";
  _header_due = false;
}

void TextWriter::begin_report(uint64_t as_of_ns, bool final) {
  std::string& s = _out.buffer();
  s += final ? "# final report, capture time " : "# interval report, capture time ";
  s += format_utc(as_of_ns);
  s += " UTC\n";
  _header_due = true;
}

void TextWriter::row(const flow::ConnView& v, runtime::RowKind kind) {
  const bool ipv6 = v.ipv6();
  const std::string client = format_endpoint(v.client_addr, v.client_port, ipv6);
  const std::string server = format_endpoint(v.server_addr, v.server_port, ipv6);
  const std::size_t widest = client.size() > server.size() ? client.size() : server.size();
  if (widest > _endpoint_width) {
    _endpoint_width = widest;
    _header_due = true;
  }
  if (_header_due) header();
  std::string& s = _out.buffer();
  cell(s, client, _endpoint_width);
  cell(s, server, _endpoint_width);
  const std::string vlan = format_vlan(v);
  cell(s, vlan.empty() ? "-" : vlan, 9);
  cell(s, flow::tcp_state_name(v.state), 12);
  right_cell(s, format_idle(v.idle_ns()), 5);
  right_cell(s, format_speed(v.speed_total()), 10);
  right_cell(s, std::to_string(v.packets[0]), 10);
  right_cell(s, std::to_string(v.wire_bytes[0]), 13);
  right_cell(s, std::to_string(v.packets[1]), 10);
  right_cell(s, std::to_string(v.wire_bytes[1]), 13);
  s += note_of(v, kind);
  s += '\n';
  _out.maybe_flush();
}

void TextWriter::summary(const runtime::CaptureSummary& sum) {
  using decode::DecodeOutcome;
  char line[512];
  std::snprintf(line, sizeof line,
                "# frames %" PRIu64 " (filtered out %" PRIu64 "), TCP packets %" PRIu64
                ", undecodable %" PRIu64 ", untracked fragments %" PRIu64 ", not IP %" PRIu64
                ", not TCP %" PRIu64 ", untracked TCP %" PRIu64 "\n",
                sum.frames_read, sum.filtered_out, sum.decode.of(DecodeOutcome::tcp),
                sum.decode.undecodable(), sum.decode.of(DecodeOutcome::fragment_tail),
                sum.decode.of(DecodeOutcome::not_ip), sum.decode.of(DecodeOutcome::not_tcp),
                sum.flows.untracked_packets);
  _out.append(line);
  std::snprintf(line, sizeof line,
                "# connections %" PRIu64 ": tracked %" PRIu64 ", expired %" PRIu64
                ", evicted %" PRIu64 ", reused 4-tuples %" PRIu64 "\n",
                sum.flows.connections, sum.flows.tracked, sum.flows.expired, sum.flows.evictions,
                sum.flows.reused);
  _out.append(line);
  if (sum.live) {
    std::snprintf(line, sizeof line,
                  "# kernel: packets %" PRIu64 ", drops %" PRIu64 ", queue freezes %" PRIu64
                  ", reports lost %" PRIu64 "\n",
                  sum.kernel.packets, sum.kernel.drops, sum.kernel.freezes, sum.reports_lost);
    _out.append(line);
  }
  _out.flush();
}

}  // namespace ringtrack::frontend
