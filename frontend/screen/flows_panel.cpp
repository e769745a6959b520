// Owns: the title bar and the connection rows between it and TOTAL.
// Does not own: which rows (screen_app asks the capture) or their text (row_layout).
#include "frontend/screen/panels.hpp"

namespace ringtrack::frontend {

std::vector<TextRun> titles_runs(const ColumnLayout& layout) {
  return {{1, 0, column_titles(layout), Style::reverse}};
}

std::vector<TextRun> connection_runs(const FrameData& frame, const ColumnLayout& layout) {
  std::vector<TextRun> runs;
  const int capacity = connection_rows(frame.rows);
  const std::string blank(std::size_t(layout.width), ' ');
  for (int i = 0; i < capacity; ++i) {
    std::string text = blank;
    if (std::size_t(i) < frame.view.rows.size()) {
      const flow::ConnView& v = frame.view.rows[std::size_t(i)];
      text = connection_row(v, layout, v.last_ts_ns > frame.previous_as_of_ns);
    }
    runs.push_back({2 + i, 0, std::move(text), Style::normal});
  }
  return runs;
}

std::vector<TextRun> total_runs(const FrameData& frame, const ColumnLayout& layout) {
  const flow::ViewTotals& t = frame.view.totals;
  return {{frame.rows - 2, 0, total_row(t.speed_sum, t.speed_c2s_sum, t.speed_s2c_sum, layout), Style::reverse}};
}

}  // namespace ringtrack::frontend
