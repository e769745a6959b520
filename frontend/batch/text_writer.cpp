// Owns: text rows and summaries.
// Does not own: number formats (display_format).
#include "frontend/batch/text_writer.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "decode/tunnel_kind.hpp"
#include "frontend/batch/row_buffer.hpp"
#include "frontend/decimal_text.hpp"
#include "frontend/display_format.hpp"

namespace ringtrack::frontend {
namespace {

// tcptrack's aligned columns on top of the row buffer.
class TextRow : public RowBuffer {
 public:
  /// Left-aligned in width columns, then a space.
  void cell(const char* text, std::size_t n, std::size_t width) noexcept {
    put(text, n);
    spaces(n < width ? width - n : 0);
    put(' ');
  }
  void cell(const char* text, std::size_t width) noexcept { cell(text, std::strlen(text), width); }
  /// Right-aligned in width columns, then a space.
  void right_cell(const char* text, std::size_t n, std::size_t width) noexcept {
    spaces(n < width ? width - n : 0);
    put(text, n);
    put(' ');
  }
  void right_cell(const char* text, std::size_t width) noexcept { right_cell(text, std::strlen(text), width); }
  void right_number(uint64_t v, std::size_t width) noexcept {
    char digits[24];
    right_cell(digits, std::size_t(write_decimal(digits, v) - digits), width);
  }
};

const char* note_of(const flow::ConnView& view, runtime::RowKind kind) {
  switch (kind) {
    case runtime::RowKind::interim:
    case runtime::RowKind::active_timeout:  // never given to a format (ReportFanout)
      return "active";
    case runtime::RowKind::final: return "input-ended";
    case runtime::RowKind::stopped: return "stopped";
    case runtime::RowKind::removed: return flow::end_reason_name(view.end);
  }
  return "";
}

}  // namespace

void TextWriter::header() {
  TextRow r;
  r.cell("Client", _endpoint_width);
  r.cell("Server", _endpoint_width);
  r.cell("VLAN", _vlan_width);
  r.cell("State", 12);
  r.right_cell("Idle", 5);
  r.right_cell("Speed", 10);
  r.right_cell("C>S pkts", 10);
  r.right_cell("C>S bytes", 13);
  r.right_cell("S>C pkts", 10);
  r.right_cell("S>C bytes", 13);
  r.right_cell("RTT ms", 7);
  r.right_cell("Retr", 6);
  r.text("End");
  r.put('\n');
  r.append_to(_out.buffer());
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
  char client[56], server[56];
  const std::size_t client_n = std::size_t(write_endpoint(client, v.client_addr, v.client_port, ipv6) - client);
  const std::size_t server_n = std::size_t(write_endpoint(server, v.server_addr, v.server_port, ipv6) - server);
  const std::size_t widest = client_n > server_n ? client_n : server_n;
  if (widest > _endpoint_width) {
    _endpoint_width = widest;
    _header_due = true;
  }
  char vlans[40];
  const std::size_t vlan_n = std::size_t(write_vlan(vlans, v) - vlans);
  if (vlan_n > _vlan_width) {
    _vlan_width = vlan_n;
    _header_due = true;
  }
  if (_header_due) header();
  TextRow r;
  r.cell(client, client_n, _endpoint_width);
  r.cell(server, server_n, _endpoint_width);
  if (vlan_n == 0) r.cell("-", 1, _vlan_width);
  else r.cell(vlans, vlan_n, _vlan_width);
  char text[32];
  r.cell(flow::tcp_state_name(v.state), 12);
  r.right_cell(text, std::size_t(write_idle(text, v.idle_ns()) - text), 5);
  {
    // "~": the speed window began before the connection's first packet (see speed_partial).
    char* at = text;
    if (v.flags & flow::view_flag::speed_partial) *at++ = '~';
    r.right_cell(text, std::size_t(write_speed(at, v.speed_total()) - text), 10);
  }
  r.right_number(v.packets[0], 10);
  r.right_number(v.wire_bytes[0], 13);
  r.right_number(v.packets[1], 10);
  r.right_number(v.wire_bytes[1], 13);
  r.right_cell(text, std::size_t(write_rtt_ms(text, v.rtt_total_us()) - text), 7);
  r.right_number(v.retrans_total(), 6);
  r.text(note_of(v, kind));
  if (v.tunnel.kind != decode::TunnelKind::none) {  // after the last column: untunnelled rows keep their shape
    r.literal(" tunnel ");
    r.write([&](char* at) { return write_tunnel(at, v); });
  }
  r.put('\n');
  r.append_to(_out.buffer());
  _out.maybe_flush();
}

void TextWriter::summary(const runtime::CaptureSummary& sum) {
  using decode::DecodeOutcome;
  char line[512];
  std::snprintf(line, sizeof line,
                "# frames %" PRIu64 " (filtered out %" PRIu64 "), TCP packets %" PRIu64
                ", undecodable %" PRIu64 ", untracked fragments %" PRIu64 ", not IP %" PRIu64
                ", not TCP %" PRIu64 ", untracked TCP %" PRIu64 ", stray TCP %" PRIu64 "\n",
                sum.frames_read, sum.filtered_out, sum.decode.of(DecodeOutcome::tcp),
                sum.decode.undecodable(), sum.decode.of(DecodeOutcome::fragment_tail),
                sum.decode.of(DecodeOutcome::not_ip), sum.decode.of(DecodeOutcome::not_tcp),
                sum.flows.untracked_packets, sum.flows.stray_packets);
  _out.append(line);
  std::snprintf(line, sizeof line,
                "# connections %" PRIu64 ": tracked %" PRIu64 ", expired %" PRIu64
                ", evicted %" PRIu64 ", reused 4-tuples %" PRIu64 "; retransmitted segments %" PRIu64 "\n",
                sum.flows.connections, sum.flows.tracked, sum.flows.expired, sum.flows.evictions,
                sum.flows.reused, sum.flows.retransmitted);
  _out.append(line);
  if (const uint64_t tunnelled = sum.decode.tunnelled_frames(); tunnelled != 0) {
    std::string kinds = "# tunnelled frames ";
    append_decimal(kinds, tunnelled);
    const char* separator = ":";
    for (unsigned i = 1; i < decode::tunnel_kind_count; ++i) {
      if (sum.decode.tunnelled[i] == 0) continue;
      kinds += separator;
      kinds += ' ';
      kinds += decode::tunnel_kind_name(decode::TunnelKind(i));
      kinds += ' ';
      append_decimal(kinds, sum.decode.tunnelled[i]);
      separator = ",";
    }
    kinds += '\n';
    _out.append(kinds);
  }
  const uint64_t bad_tunnels[3] = {sum.decode.of(DecodeOutcome::truncated_tunnel),
                                   sum.decode.of(DecodeOutcome::bad_tunnel_header),
                                   sum.decode.of(DecodeOutcome::tunnel_too_deep)};
  if (bad_tunnels[0] + bad_tunnels[1] + bad_tunnels[2] != 0) {
    std::snprintf(line, sizeof line,
                  "# undecodable tunnels: truncated %" PRIu64 ", bad header %" PRIu64 ", too deep %" PRIu64 "\n",
                  bad_tunnels[0], bad_tunnels[1], bad_tunnels[2]);
    _out.append(line);
  }
  if (sum.live) {
    std::snprintf(line, sizeof line,
                  "# kernel: packets %" PRIu64 ", drops %" PRIu64 ", queue freezes %" PRIu64
                  ", reports lost %" PRIu64 "\n",
                  sum.kernel.packets, sum.kernel.drops, sum.kernel.freezes, sum.reports_lost);
    _out.append(line);
  }
  if (_export) {
    std::snprintf(line, sizeof line,
                  "# IPFIX export: records sent %" PRIu64 ", dropped %" PRIu64 ", collector connects %" PRIu64 "\n",
                  _export->sent(), _export->dropped(), _export->connect_count());
    _out.append(line);
  }
  _out.flush();
}

}  // namespace ringtrack::frontend
