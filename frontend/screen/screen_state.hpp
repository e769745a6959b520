// Owns: what the user chose on the screen: sort, direction, pause and the frozen rows,
// scroll position, display filter (and its draft, cursor and selection while typing),
// help, optional columns, speed unit, the highlighted row and its detail panel.
// Does not own: reacting to keys (keymap) or drawing (panels).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "flow/conn_view.hpp"
#include "flow/view_query.hpp"

namespace ringtrack::frontend {

struct ScreenState {
  flow::SortKey sort = flow::SortKey::first_seen;
  bool reverse = false;
  bool paused = false;
  std::vector<flow::ConnView> frozen;  ///< the rows shown when p was pressed, in order
  /// Parallel to frozen: the connection left the capture's table during the pause (its
  /// row keeps its final values, marked removed, its idle still counting).
  std::vector<bool> frozen_removed;
  bool resort_frozen = false;          ///< a sort key pressed while paused: re-order once
  uint64_t offset = 0;                 ///< first row shown, in the current order
  std::string filter_text;             ///< the display filter in force
  flow::DisplayFilter filter;          ///< filter_text, parsed
  bool editing_filter = false;
  std::string filter_draft;            ///< what is being typed after /
  std::size_t filter_cursor = 0;       ///< in filter_draft: where typing inserts
  bool filter_selected = false;        ///< all of filter_draft selected: typing replaces it
  bool help = false;
  bool show_directions = false;        ///< C>S and S>C speed columns
  bool show_bytes = false;             ///< C>S and S>C byte columns
  bool show_bits = false;              ///< speeds in bits per second (B)
  /// a: the last second (tcptrack's), then iftop's 10 s and 40 s averages.
  flow::SpeedWindow speed_window = flow::SpeedWindow::second;
  /// The highlight (Up/Down): its row on screen (-1: none yet) and its connection, which
  /// it follows across redraws and sorts while that stays among the rows shown.
  int selected_row = -1;
  bool selected_known = false;         ///< selected holds the highlighted connection
  flow::ConnView selected{};           ///< its latest values (the detail panel's)
  bool selected_removed = false;       ///< it left the capture's table
  bool detail = false;                 ///< Enter: the detail panel of the selected connection
};

/// The same connection: endpoints and first packet (a reused 4-tuple is another one).
inline bool same_connection(const flow::ConnView& a, const flow::ConnView& b) noexcept {
  return a.first_ts_ns == b.first_ts_ns && a.client_port == b.client_port && a.server_port == b.server_port &&
         a.client_addr == b.client_addr && a.server_addr == b.server_addr;
}

/// "Unsorted", "Sorted by rate", ... as tcptrack words them, with ", rev" when reversed
/// (the longest fits tcptrack's footer at 80 columns).
std::string sort_label(flow::SortKey sort, bool reverse);

}  // namespace ringtrack::frontend
