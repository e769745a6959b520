// Owns: the detail box (Enter on the highlighted row): everything a ConnView holds on one
// connection, both directions side by side.
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

}  // namespace

std::vector<TextRun> detail_runs(const FrameData& frame, const flow::ConnView& v, bool removed, bool bits) {
  const bool ipv6 = v.ipv6();
  std::string vlans = "none";
  if (v.vlan_depth != 0) {
    char buf[16];
    vlans.assign(buf, write_vlan(buf, v));
  }
  std::string tunnel = "none";
  if (v.tunnel.kind != decode::TunnelKind::none) {
    char buf[160];
    tunnel.assign(buf, write_tunnel(buf, v));
  }
  std::string state = flow::tcp_state_name(v.state);
  if (removed) state += "  (removed from the table)";
  std::string rtt = "not seen";
  if (v.handshake_rtt_us != 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%u.%03u ms", v.handshake_rtt_us / 1000, v.handshake_rtt_us % 1000);
    rtt = buf;
  }
  const bool midstream = v.flags & flow::view_flag::midstream;
  const bool one_sided = v.flags & flow::view_flag::one_sided;
  const std::vector<std::string> lines = {
      " Connection",
      "",
      field_line("Client", format_endpoint(v.client_addr, v.client_port, ipv6)),
      field_line("Server", format_endpoint(v.server_addr, v.server_port, ipv6)),
      field_line("VLAN", vlans),
      field_line("Tunnel", tunnel),
      field_line("State", state),
      field_line("First seen", format_utc(v.first_ts_ns) + " UTC"),
      field_line("Duration", seconds_text(v.last_ts_ns > v.first_ts_ns ? v.last_ts_ns - v.first_ts_ns : 0)),
      field_line("Idle", seconds_text(v.idle_ns())),
      field_line("Handshake RTT", rtt),
      field_line("Mid-stream", std::string(midstream ? "yes" : "no") + (one_sided ? ", one-sided" : "")),
      field_line("Shard", std::to_string(v.shard)),
      "",
      pair_line("Packets", std::to_string(v.packets[0]), std::to_string(v.packets[1])),
      pair_line("Frame bytes", exact_bytes(v.wire_bytes[0]), exact_bytes(v.wire_bytes[1])),
      pair_line("Payload", exact_bytes(v.payload_bytes[0]), exact_bytes(v.payload_bytes[1])),
      pair_line("Speed", removed ? "removed" : format_rate(v.speed_bytes_per_s[0], bits),
                removed ? "removed" : format_rate(v.speed_bytes_per_s[1], bits)),
      "",
      " Esc closes",
  };
  const int width = 76;
  const int top = std::max(0, (frame.rows - int(lines.size()) - 2) / 2);
  const int left = std::max(0, (frame.columns - width) / 2);
  std::vector<TextRun> runs;
  const std::string border = "+" + std::string(std::size_t(width - 2), '-') + "+";
  runs.push_back({top, left, border, Style::reverse});
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string text = "|" + lines[i];
    text.resize(std::size_t(width - 1), ' ');
    runs.push_back({top + 1 + int(i), left, text + "|", Style::reverse});
  }
  runs.push_back({top + 1 + int(lines.size()), left, border, Style::reverse});
  return runs;
}

}  // namespace ringtrack::frontend
