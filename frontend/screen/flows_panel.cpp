// Owns: the title bar and the connection rows between it and TOTAL, and the TOTAL bar.
// Does not own: which rows (screen_app asks the capture) or their text (row_layout).
#include <algorithm>

#include "frontend/screen/panels.hpp"

namespace ringtrack::frontend {

namespace {

constexpr std::size_t clock_width = 9;  // "HH:MM:SS "

}  // namespace

bool clock_after_titles(const ColumnLayout& layout) {
  const std::string text = column_titles(layout);
  return text.find_last_not_of(' ') + 2 + clock_width <= text.size();
}

std::vector<TextRun> titles_runs(const FrameData& frame, const ColumnLayout& layout, flow::SortKey sort) {
  std::string text = column_titles(layout);
  if (header_folded(frame.columns) && clock_after_titles(layout)) {
    // The header's clock ends the title line (after Speed at 80 columns).
    const std::string clock = header_clock(frame);
    if (text.size() >= clock.size()) text.replace(text.size() - clock.size(), clock.size(), clock);
  }
  const int row = titles_row(frame.columns);
  std::vector<TextRun> runs{{row, 0, text, Style::reverse}};
  // The sorted column's title out of the bar's reverse video.
  for (const TitleSpan& span : sorted_titles(layout, sort))
    runs.push_back({row, span.column, text.substr(std::size_t(span.column), std::size_t(span.length)), Style::normal});
  return runs;
}

std::vector<TextRun> connection_runs(const FrameData& frame, const ColumnLayout& layout) {
  std::vector<TextRun> runs;
  const int capacity = connection_rows(frame.rows, frame.columns);
  const int first = titles_row(frame.columns) + 1;
  const std::string blank(std::size_t(layout.width), ' ');
  for (int i = 0; i < capacity; ++i) {
    std::string text = blank;
    if (std::size_t(i) < frame.view.rows.size()) {
      const flow::ConnView& v = frame.view.rows[std::size_t(i)];
      const bool removed = std::size_t(i) < frame.removed.size() && frame.removed[std::size_t(i)];
      text = connection_row(v, layout, v.last_ts_ns > frame.previous_as_of_ns, removed);
    }
    runs.push_back({first + i, 0, std::move(text), i == frame.selected_row ? Style::reverse : Style::normal});
  }
  return runs;
}

std::vector<TextRun> total_runs(const FrameData& frame, const ColumnLayout& layout) {
  const flow::ViewTotals& t = frame.view.totals;
  std::string text = total_row(t.speed_sum, t.speed_c2s_sum, t.speed_s2c_sum, layout);
  // Between TOTAL and the speed: the cumulative bytes; folded, the header's counters first,
  // and the cumulative bytes after them only where they leave room.
  const std::size_t from = std::size_t(layout.client) + 6;
  const std::size_t room = std::size_t(layout.speed) > from + 1 ? std::size_t(layout.speed) - from - 1 : 0;
  const std::string cumulative = cumulative_text(t.stats.payload_bytes);
  std::string status = cumulative.size() < room ? " " + cumulative : std::string();
  if (header_folded(frame.columns)) {
    if (clock_after_titles(layout)) {
      status = header_status(frame, room, cumulative);
    } else {
      const std::string clock = header_clock(frame);
      status = header_status(frame, room > clock.size() + 1 ? room - clock.size() - 1 : 0, cumulative) + " " + clock;
    }
  }
  text.replace(from, std::min(status.size(), text.size() - from), status.substr(0, text.size() - from));
  return {{frame.rows - 2, 0, std::move(text), Style::reverse}};
}

}  // namespace ringtrack::frontend
