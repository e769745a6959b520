// Owns: the last line: "Connections X-Y of N", a pair of columns the terminal is too
// narrow for, the display filter (shortened when long), Paused/Unpaused and the sort order
// at tcptrack's places (hotkey letters underlined, as tcptrack does); or the filter prompt
// with its cursor and selection.
// Does not own: the state it shows (screen_state) or the column layout (row_layout).
#include <algorithm>

#include "frontend/screen/panels.hpp"

namespace ringtrack::frontend {
namespace {

// Unpaused/Paused at 46 and the sort order at 56, as tcptrack places them; what goes left
// of them ends before 45.
constexpr int pause_column = 46;
constexpr int sort_column = 56;
constexpr std::size_t left_room = pause_column - 2;

std::vector<TextRun> prompt_runs(int row, std::size_t width, const ScreenState& state) {
  const std::string label = " Filter: ";
  const std::string hint = "Enter applies, Esc cancels ";
  const std::string& draft = state.filter_draft;
  const std::size_t cursor = std::min(state.filter_cursor, draft.size());
  // The draft's visible part keeps the cursor in view (one cell for it past the end).
  const std::size_t room = width > label.size() + hint.size() + 2 ? width - label.size() - hint.size() - 2 : 1;
  const std::size_t first = cursor + 1 > room ? cursor + 1 - room : 0;
  const std::string shown = draft.substr(first, room);
  std::string text = label + shown;
  text.resize(width - hint.size(), ' ');
  std::vector<TextRun> runs{{row, 0, text + hint, Style::reverse}};
  const int at = int(label.size());
  // Drawn out of the bar's reverse video: the selection, or the cell under the cursor.
  if (state.filter_selected && !shown.empty()) {
    runs.push_back({row, at, shown, Style::normal});
  } else {
    const std::size_t c = cursor - first;
    runs.push_back({row, at + int(c), c < shown.size() ? shown.substr(c, 1) : " ", Style::normal});
  }
  return runs;
}

// "Connections X-Y of N", then what the terminal is too narrow for, then the filter: the
// filter is what gets shortened, so the indicators to the right never move.
std::string counts_text(const FrameData& frame, const ScreenState& state, const ColumnLayout& layout) {
  const uint64_t shown = frame.view.rows.size();
  const uint64_t total = state.paused ? state.frozen.size() : frame.view.totals.matching;
  std::string text = "Connections ";
  if (shown == 0) text += "0-0 of " + std::to_string(total);
  else text += std::to_string(frame.first_row + 1) + "-" + std::to_string(frame.first_row + shown) + " of " +
               std::to_string(total);
  std::string narrow;
  if (layout.directions_need && layout.bytes_need) narrow = "d, b need " + std::to_string(layout.bytes_need);
  else if (layout.directions_need) narrow = "d needs " + std::to_string(layout.directions_need);
  else if (layout.bytes_need) narrow = "b needs " + std::to_string(layout.bytes_need);
  if (!narrow.empty()) narrow = "  " + narrow + " columns";
  std::string filter;
  if (!state.filter_text.empty()) filter = " matching /" + state.filter_text;
  if (text.size() + filter.size() + narrow.size() > left_room) {
    const std::size_t keep = text.size() + narrow.size() + 1 < left_room ? left_room - text.size() - narrow.size() - 1 : 0;
    filter = keep > std::string(" matching /").size() ? filter.substr(0, keep) + "~" : "";
  }
  text += filter + narrow;
  return text.substr(0, left_room);
}

}  // namespace

std::vector<TextRun> footer_runs(const FrameData& frame, const ScreenState& state, const ColumnLayout& layout) {
  const int row = frame.rows - 1;
  const std::size_t width = std::size_t(frame.columns);
  if (state.editing_filter) return prompt_runs(row, width, state);
  std::vector<TextRun> runs;
  std::string base(width, ' ');
  const std::string counts = counts_text(frame, state, layout);
  base.replace(1, counts.size(), counts);
  runs.push_back({row, 0, base, Style::reverse});
  if (state.paused) {
    runs.push_back({row, pause_column, "P", Style::underline_reverse});
    runs.push_back({row, pause_column + 1, "aused", Style::reverse});
  } else {
    runs.push_back({row, pause_column, "Un", Style::reverse});
    runs.push_back({row, pause_column + 2, "p", Style::underline_reverse});
    runs.push_back({row, pause_column + 3, "aused", Style::reverse});
  }
  const std::string label = sort_label(state.sort, state.reverse);
  const std::size_t s = label.find_first_of("sS");
  runs.push_back({row, sort_column, label.substr(0, s), Style::reverse});
  runs.push_back({row, sort_column + int(s), label.substr(s, 1), Style::underline_reverse});
  runs.push_back({row, sort_column + int(s) + 1, label.substr(s + 1), Style::reverse});
  return runs;
}

}  // namespace ringtrack::frontend
