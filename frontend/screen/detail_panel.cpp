// Owns: the detail box (Enter on the highlighted row): everything a ConnView holds on one
// connection, both directions side by side, its TCP health included; 22 lines, so that it
// fits an 80x24 terminal whole.
// Does not own: which connection (keymap, screen_app) or its values' formats (display_format).
#include <algorithm>
#include <cstdio>

#include "frontend/display_format.hpp"
#include "frontend/screen/panels.hpp"

namespace ringtrack::frontend {
namespace {

std::string seconds_text(uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu.%03llu s", static_cast<unsigned long long>(ns / 1'000'000'000ull),
                static_cast<unsigned long long>(ns % 1'000'000'000ull / 1'000'000));
  return buf;
}

// "label        C>S value    S>C value": a field per direction.
std::string pair_line(const char* label, const std::string& c2s, const std::string& s2c) {
  char buf[96];
  std::snprintf(buf, sizeof buf, " %-14s C>S %-16s S>C %s", label, c2s.c_str(), s2c.c_str());
  return buf;
}

// "2.11 KB (2162)": readable, and exact.
std::string exact_bytes(uint64_t bytes) {
  std::string text = format_bytes(bytes);
  if (bytes >= 1024) text += " (" + std::to_string(bytes) + ")";
  return text;
}

std::string field_line(const char* label, const std::string& value) {
  std::string line = std::string(" ") + label;
  line.resize(16, ' ');
  return line + value;
}

// Two fields on one line, the second where pair_line puts S>C.
std::string two_fields(const char* label, const std::string& value, const char* label2, const std::string& value2) {
  std::string line = field_line(label, value);
  line.resize(std::max<std::size_t>(line.size() + 1, 37), ' ');
  return line + label2 + " " + value2;
}

// Exact to the microsecond, as the handshake's RTT always read: "2.000 ms".
std::string rtt_text(uint32_t us, const char* none) {
  if (us == 0) return none;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%u.%03u ms", us / 1000, us % 1000);
  return buf;
}

// Why the connection left the table, where the shard could say (it watched the panel's
// connection, or saw its timer run out).
const char* removal_text(flow::EndReason end) {
  switch (end) {
    case flow::EndReason::expired: return "  (removed: its timer ran out)";
    case flow::EndReason::evicted: return "  (removed: evicted from a full table)";
    case flow::EndReason::reused: return "  (removed: a new connection took its 4-tuple)";
    case flow::EndReason::none: break;
  }
  return "  (removed from the table)";
}

}  // namespace

std::vector<TextRun> detail_runs(const FrameData& frame, const flow::ConnView& v, bool removed, bool bits) {
  const bool ipv6 = v.ipv6();
  std::string vlans = "none";
  if (v.vlan_depth != 0) {
    char buf[40];
    vlans.assign(buf, write_vlan(buf, v));
  }
  std::string tunnel = "none";
  if (v.tunnel.kind != decode::TunnelKind::none) {
    char buf[160];
    tunnel.assign(buf, write_tunnel(buf, v));
  }
  std::string state = flow::tcp_state_name(v.state);
  if (removed) state += removal_text(v.end);
  const bool midstream = v.flags & flow::view_flag::midstream;
  const bool one_sided = v.flags & flow::view_flag::one_sided;
  std::string rtt_min = rtt_text(v.rtt_min_us, "none");
  rtt_min += ", " + std::to_string(v.rtt_samples) + (v.rtt_samples == 1 ? " sample" : " samples");
  const std::vector<std::string> lines = {
      field_line("Client", format_endpoint(v.client_addr, v.client_port, ipv6)),
      field_line("Server", format_endpoint(v.server_addr, v.server_port, ipv6)),
      two_fields("VLAN", vlans, "Shard", std::to_string(v.shard)),
      field_line("Tunnel", tunnel),
      field_line("State", state),
      field_line("First seen", format_utc(v.first_ts_ns) + " UTC"),
      two_fields("Duration", seconds_text(v.last_ts_ns > v.first_ts_ns ? v.last_ts_ns - v.first_ts_ns : 0),
                 "Idle", seconds_text(v.idle_ns())),
      two_fields("Mid-stream", std::string(midstream ? "yes" : "no") + (one_sided ? ", one-sided" : ""),
                 "Handshake RTT", rtt_text(v.handshake_rtt_us, "not seen")),
      "",
      pair_line("Packets", std::to_string(v.packets[0]), std::to_string(v.packets[1])),
      pair_line("Frame bytes", exact_bytes(v.wire_bytes[0]), exact_bytes(v.wire_bytes[1])),
      pair_line("Payload", exact_bytes(v.payload_bytes[0]), exact_bytes(v.payload_bytes[1])),
      pair_line(frame.speed_window == flow::SpeedWindow::second        ? "Speed"
                : frame.speed_window == flow::SpeedWindow::average_10s ? "Avg 10 s"
                                                                       : "Avg 40 s",
                removed ? "removed" : format_rate(v.speed_bytes_per_s[0], bits),
                removed ? "removed" : format_rate(v.speed_bytes_per_s[1], bits)),
      pair_line("Retransmitted", std::to_string(v.retrans[0]), std::to_string(v.retrans[1])),
      pair_line("Retrans bytes", exact_bytes(v.retrans_bytes[0]), exact_bytes(v.retrans_bytes[1])),
      pair_line("Out of order", std::to_string(v.out_of_order[0]), std::to_string(v.out_of_order[1])),
      pair_line("Zero window", std::to_string(v.zero_window[0]), std::to_string(v.zero_window[1])),
      "",
      // Smoothed, each side of the capture point, and their sum: the RTT column's figure.
      two_fields("RTT client", rtt_text(v.rtt_us[0], "none"), "RTT server", rtt_text(v.rtt_us[1], "none")),
      two_fields("RTT end to end", rtt_text(v.rtt_total_us(), "none"), "RTT min", rtt_min),
  };
  const int width = 76;
  const int top = std::max(0, (frame.rows - int(lines.size()) - 2) / 2);
  const int left = std::max(0, (frame.columns - width) / 2);
  std::vector<TextRun> runs;
  // The title in the top border and the way out in the bottom one: 20 lines between them
  // and the box fits 80x24 without covering the title line or the footer.
  const std::string border = "+" + std::string(std::size_t(width - 2), '-') + "+";
  runs.push_back({top, left, std::string("+- Connection ") + border.substr(14), Style::reverse});
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string text = "|" + lines[i];
    text.resize(std::size_t(width - 1), ' ');
    runs.push_back({top + 1 + int(i), left, text + "|", Style::reverse});
  }
  runs.push_back({top + 1 + int(lines.size()), left, border.substr(0, std::size_t(width) - 14) + " Esc closes -+",
                  Style::reverse});
  return runs;
}

}  // namespace ringtrack::frontend
