// Owns: where each column sits for a terminal width (tcptrack's positions at 80 columns;
// beyond, the pairs asked for, then RTT and Retr, then wider endpoints), and rows as
// fixed-width text.
// Does not own: number formats (display_format) or drawing (panels).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "flow/conn_view.hpp"
#include "flow/view_query.hpp"

namespace ringtrack::frontend {

/// Column positions (0-based); -1 for a column that is not shown.
struct ColumnLayout {
  int width = 80;
  int endpoint = 21;  ///< width of Client and of Server
  int client = 1;
  int server = 23;
  int state = 45;
  int idle = 58;
  int activity = 63;
  int speed = 65;
  int c2s_speed = -1;
  int s2c_speed = -1;
  int c2s_bytes = -1;
  int s2c_bytes = -1;
  int rtt = -1;      ///< end-to-end smoothed RTT, ms
  int retrans = -1;  ///< retransmitted segments both ways
  /// A pair asked for (d, b) that does not fit: the width it needs (0: shown or not asked).
  int directions_need = 0;
  int bytes_need = 0;
  bool bits = false;  ///< speeds in bits per second
  flow::SpeedWindow speed_window = flow::SpeedWindow::second;  ///< what the speed columns show (a)
};

/// At 80 columns, tcptrack's layout exactly. Wider: the optional pairs asked for come first,
/// each pair (C>S and S>C) whole or not at all; then RTT (from 7 columns to spare: 87
/// without pairs) and Retr (from 14: 94), at the end of the row; then Client and Server grow
/// until an IPv6 endpoint fits on one row. A narrowing terminal gives up the same in the
/// reverse order: endpoint width, Retr, RTT, then the pairs (b, then d).
ColumnLayout layout_columns(int width, bool directions, bool bytes);

/// The title bar's text: "Client", "Server", "State", "Idle", "A", "Speed" and optionals
/// ("C>S speed", ..., "RTT", "Retr").
std::string column_titles(const ColumnLayout& layout);

/// Where the titles of the columns sort ranks by sit: {column, length}, none for unsorted
/// or a column not shown (two for bytes: C>S and S>C).
struct TitleSpan {
  int column;
  int length;
};
std::vector<TitleSpan> sorted_titles(const ColumnLayout& layout, flow::SortKey sort);

/// One connection as a row of layout.width characters. active: a packet since last frame;
/// removed: it left the capture's table during a pause ("removed" in place of its speeds).
std::string connection_row(const flow::ConnView& view, const ColumnLayout& layout, bool active,
                           bool removed = false);

/// "addr:port" cut to width with '~' where the address was shortened (the port stays).
std::string fit_endpoint(const std::string& endpoint, int width);

/// The TOTAL bar's text: the sum of speeds at the Speed column (and per direction).
std::string total_row(uint64_t speed, uint64_t c2s_speed, uint64_t s2c_speed, const ColumnLayout& layout);

/// The TOTAL bar's cumulative payload bytes per direction since the capture started, as
/// iftop's cum line: "cum C>S 2.11 KB  S>C 29.4 KB".
std::string cumulative_text(const uint64_t (&payload_bytes)[2]);

}  // namespace ringtrack::frontend
