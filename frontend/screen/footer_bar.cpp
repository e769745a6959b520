// Owns: the last line: "Connections X-Y of N", Paused/Unpaused, the sort order (hotkey
// letters underlined, as tcptrack does), the display filter, or the filter prompt.
// Does not own: the state it shows (screen_state).
#include "frontend/screen/panels.hpp"

namespace ringtrack::frontend {

std::vector<TextRun> footer_runs(const FrameData& frame, const ScreenState& state) {
  const int row = frame.rows - 1;
  const std::size_t width = std::size_t(frame.columns);
  std::vector<TextRun> runs;
  if (state.editing_filter) {
    const std::string hint = "Enter applies, Esc cancels ";
    std::string draft = state.filter_draft;
    const std::size_t room = width - 12 - hint.size();  // the end of a long draft stays visible
    if (draft.size() > room) draft = draft.substr(draft.size() - room);
    std::string text = " Filter: " + draft + "_";
    text.resize(width - hint.size(), ' ');
    runs.push_back({row, 0, text + hint, Style::reverse});
    return runs;
  }
  std::string base(width, ' ');
  const uint64_t shown = frame.view.rows.size();
  const uint64_t total = state.paused ? state.frozen.size() : frame.view.totals.matching;
  std::string counts = "Connections ";
  if (shown == 0) counts += "0-0 of " + std::to_string(total);
  else counts += std::to_string(frame.first_row + 1) + "-" + std::to_string(frame.first_row + shown) + " of " +
                 std::to_string(total);
  if (!state.filter_text.empty()) counts += " matching /" + state.filter_text;
  base.replace(1, std::min(counts.size(), width - 1), counts.substr(0, width - 1));
  runs.push_back({row, 0, base, Style::reverse});
  // Unpaused/Paused at 46 and the sort order at 56, as tcptrack places them, unless a
  // long filter needs the room.
  const int pause_column = std::max(46, int(counts.size()) + 3);
  const int sort_column = pause_column + 10;
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
