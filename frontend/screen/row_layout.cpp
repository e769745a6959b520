// Owns: column placement and fixed-width row text.
// Does not own: styles or drawing.
#include "frontend/screen/row_layout.hpp"

#include <algorithm>

#include "frontend/display_format.hpp"

namespace ringtrack::frontend {
namespace {

// "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535": the longest endpoint.
constexpr int widest_endpoint = 47;
constexpr int optional_column = 12;
// RTT holds up to "268435" (two of rtt_code's 134 s, in ms), Retr up to "999999" or "8.58G"
// (both directions saturated); each with a space after.
constexpr int rtt_column = 7;
constexpr int retrans_column = 7;

void place(std::string& line, int column, const std::string& text) {
  if (column < 0 || column >= int(line.size())) return;
  const std::size_t room = line.size() - std::size_t(column);
  line.replace(std::size_t(column), std::min(room, text.size()), text.substr(0, room));
}

}  // namespace

ColumnLayout layout_columns(int width, bool directions, bool bytes) {
  ColumnLayout l;
  l.width = std::max(width, 80);
  // Pairs first, at tcptrack's endpoint width: 80 columns hold the row up to Speed (65)
  // and its 12 columns; a pair adds two more.
  constexpr int base_end = 65 + optional_column;
  int pairs = 0, asked = 0;
  auto fits = [&](int& need) {
    // A pair that does not fit says what width shows it with the pairs asked before it.
    need = base_end + 2 * optional_column * ++asked - 1;
    if (base_end + 2 * optional_column * (pairs + 1) - 1 > l.width) return false;
    need = 0;
    ++pairs;
    return true;
  };
  const bool show_directions = directions && fits(l.directions_need);
  const bool show_bytes = bytes && fits(l.bytes_need);
  int extra = l.width - 80 - 2 * optional_column * pairs;
  // The health columns take room before the endpoints grow, and never shrink them.
  const bool show_rtt = extra >= rtt_column;
  const bool show_retrans = extra >= rtt_column + retrans_column;
  extra -= (show_rtt ? rtt_column : 0) + (show_retrans ? retrans_column : 0);
  l.endpoint = 21 + std::min(widest_endpoint - 21, extra / 2);
  l.client = 1;
  l.server = l.client + l.endpoint + 1;
  l.state = l.server + l.endpoint + 1;
  l.idle = l.state + 13;
  l.activity = l.idle + 5;
  l.speed = l.activity + 2;
  int next = l.speed + optional_column;
  auto add_pair = [&](int& first, int& second) {
    first = next;
    second = next + optional_column;
    next += 2 * optional_column;
  };
  if (show_directions) add_pair(l.c2s_speed, l.s2c_speed);
  if (show_bytes) add_pair(l.c2s_bytes, l.s2c_bytes);
  if (show_rtt) l.rtt = next;
  if (show_retrans) l.retrans = next + rtt_column;
  return l;
}

namespace {

// The speed columns' titles say which speed they show; the same width whatever the
// window, so that at 80 columns the clock after them keeps its place.
const char* speed_title(const ColumnLayout& l) {
  switch (l.speed_window) {
    case flow::SpeedWindow::second: return "Speed";
    case flow::SpeedWindow::average_10s: return "Avg10";
    case flow::SpeedWindow::average_40s: return "Avg40";
  }
  return "Speed";
}
const char* c2s_speed_title(const ColumnLayout& l) {
  return l.speed_window == flow::SpeedWindow::second ? "C>S speed"
         : l.speed_window == flow::SpeedWindow::average_10s ? "C>S avg10" : "C>S avg40";
}
const char* s2c_speed_title(const ColumnLayout& l) {
  return l.speed_window == flow::SpeedWindow::second ? "S>C speed"
         : l.speed_window == flow::SpeedWindow::average_10s ? "S>C avg10" : "S>C avg40";
}

}  // namespace

std::string column_titles(const ColumnLayout& l) {
  std::string line(std::size_t(l.width), ' ');
  place(line, l.client, "Client");
  place(line, l.server, "Server");
  place(line, l.state, "State");
  place(line, l.idle, "Idle");
  place(line, l.activity, "A");
  place(line, l.speed, speed_title(l));
  place(line, l.c2s_speed, c2s_speed_title(l));
  place(line, l.s2c_speed, s2c_speed_title(l));
  place(line, l.c2s_bytes, "C>S bytes");
  place(line, l.s2c_bytes, "S>C bytes");
  place(line, l.rtt, "RTT");
  place(line, l.retrans, "Retr");
  return line;
}

std::vector<TitleSpan> sorted_titles(const ColumnLayout& l, flow::SortKey sort) {
  std::vector<TitleSpan> spans;
  auto add = [&](int column, const char* title) {
    if (column >= 0) spans.push_back({column, int(std::char_traits<char>::length(title))});
  };
  switch (sort) {
    case flow::SortKey::first_seen: break;
    case flow::SortKey::idle: add(l.idle, "Idle"); break;
    case flow::SortKey::rate: add(l.speed, speed_title(l)); break;
    case flow::SortKey::rate_c2s: add(l.c2s_speed, c2s_speed_title(l)); break;
    case flow::SortKey::rate_s2c: add(l.s2c_speed, s2c_speed_title(l)); break;
    case flow::SortKey::bytes:
      add(l.c2s_bytes, "C>S bytes");
      add(l.s2c_bytes, "S>C bytes");
      break;
    case flow::SortKey::rtt: add(l.rtt, "RTT"); break;
    case flow::SortKey::retrans: add(l.retrans, "Retr"); break;
  }
  return spans;
}

std::string fit_endpoint(const std::string& endpoint, int width) {
  if (int(endpoint.size()) <= width) return endpoint;
  const std::size_t colon = endpoint.rfind(':');
  const std::string port = colon == std::string::npos ? "" : endpoint.substr(colon);
  const int keep = width - int(port.size()) - 1;
  if (keep <= 0) return endpoint.substr(0, std::size_t(width));
  return endpoint.substr(0, std::size_t(keep)) + "~" + port;
}

std::string connection_row(const flow::ConnView& v, const ColumnLayout& l, bool active, bool removed) {
  std::string line(std::size_t(l.width), ' ');
  const bool ipv6 = v.ipv6();
  // In the margin: the connection came out of a tunnel (the detail panel says which).
  if (v.tunnel.kind != decode::TunnelKind::none && !line.empty()) line[0] = 'T';
  place(line, l.client, fit_endpoint(format_endpoint(v.client_addr, v.client_port, ipv6), l.endpoint));
  place(line, l.server, fit_endpoint(format_endpoint(v.server_addr, v.server_port, ipv6), l.endpoint));
  place(line, l.state, flow::tcp_state_name(v.state));
  place(line, l.idle, format_idle(v.idle_ns()));
  place(line, l.activity, active ? "*" : " ");
  if (removed) {
    place(line, l.speed, "removed");
  } else {
    place(line, l.speed, format_rate(v.speed_total(), l.bits));
    if (l.c2s_speed >= 0) place(line, l.c2s_speed, format_rate(v.speed_bytes_per_s[0], l.bits));
    if (l.s2c_speed >= 0) place(line, l.s2c_speed, format_rate(v.speed_bytes_per_s[1], l.bits));
  }
  if (l.c2s_bytes >= 0) place(line, l.c2s_bytes, format_bytes(v.wire_bytes[0]));
  if (l.s2c_bytes >= 0) place(line, l.s2c_bytes, format_bytes(v.wire_bytes[1]));
  // Kept on a removed row: its final figures, as its byte counts.
  if (l.rtt >= 0) place(line, l.rtt, format_rtt_ms(v.rtt_total_us()));
  if (l.retrans >= 0) place(line, l.retrans, format_count(v.retrans_total()));
  return line;
}

std::string total_row(uint64_t speed, uint64_t c2s_speed, uint64_t s2c_speed, const ColumnLayout& l) {
  std::string line(std::size_t(l.width), ' ');
  place(line, l.client, "TOTAL");
  place(line, l.speed, format_rate(speed, l.bits));
  if (l.c2s_speed >= 0) place(line, l.c2s_speed, format_rate(c2s_speed, l.bits));
  if (l.s2c_speed >= 0) place(line, l.s2c_speed, format_rate(s2c_speed, l.bits));
  return line;
}

std::string cumulative_text(const uint64_t (&payload_bytes)[2]) {
  return "cum C>S " + format_bytes(payload_bytes[0]) + "  S>C " + format_bytes(payload_bytes[1]);
}

}  // namespace ringtrack::frontend
