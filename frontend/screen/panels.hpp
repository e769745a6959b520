// Owns: the screen's panels (header, column titles, connection rows, TOTAL, footer, filter
// prompt, help, connection detail, the too-small message): each updates its lines from a frame, then draws
// them only when they changed.
// Does not own: the loop (screen_app), key handling (keymap), number formats.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "frontend/screen/row_layout.hpp"
#include "frontend/screen/screen.hpp"
#include "frontend/screen/screen_state.hpp"
#include "runtime/view_source.hpp"

namespace ringtrack::frontend {

/// What every panel updates from: one answer from the capture, and the counters around it.
struct FrameData {
  runtime::SourceStatus status;
  runtime::ViewResult view;
  uint64_t first_row = 0;          ///< position of view.rows[0] in the whole order
  uint64_t packets_per_s = 0;      ///< TCP packets per second since the previous frame
  /// Over the last second of capture time: segments applied to connections, and those of
  /// them counted as retransmissions (the header's share).
  uint64_t segments_last_s = 0;
  uint64_t retransmitted_last_s = 0;
  uint64_t previous_as_of_ns = 0;  ///< rows with a packet after this get the activity mark
  /// The highest TOTAL speed a frame has shown since the screen started or the display
  /// filter last changed: the header's peak.
  uint64_t peak_speed_bytes_per_s = 0;
  bool bits = false;               ///< speeds in bits per second (B)
  flow::SpeedWindow speed_window = flow::SpeedWindow::second;  ///< what the speeds are of (a)
  std::vector<bool> removed;       ///< parallel to view.rows (paused): left the table
  int selected_row = -1;           ///< the highlighted row in view.rows, -1: none shown
  int columns = 80;
  int rows = 24;
};

struct TextRun {
  int row;
  int column;
  std::string text;
  Style style;
  bool operator==(const TextRun&) const = default;
};

/// A panel is the text runs it last drew; draw() writes them again only if they changed.
class Panel {
 public:
  void set(std::vector<TextRun> runs);
  /// force: everything was cleared (resize), draw even if unchanged.
  void draw(Screen& screen, bool force);

 private:
  std::vector<TextRun> _runs;
  bool _dirty = true;
};

/// The smallest terminal the screen lays out in: tcptrack's 80 columns, and room for the
/// header, titles, one row, TOTAL and the footer.
inline constexpr int min_columns = 80;
inline constexpr int min_rows = 6;

/// Narrower than this, the header has no line of its own: its counters go into the TOTAL
/// bar and its clock ends the title line, so 80x24 shows tcptrack's 21 rows.
inline constexpr int header_line_columns = 120;
inline bool header_folded(int columns) { return columns < header_line_columns; }
/// The title line's row; connection rows follow it.
inline int titles_row(int columns) { return header_folded(columns) ? 0 : 1; }

/// Rows of connections that fit between the titles and the TOTAL bar.
inline int connection_rows(int rows, int columns) {
  const int others = header_folded(columns) ? 3 : 4;
  return rows > others ? rows - others : 0;
}

/// The header line (none when folded).
std::vector<TextRun> header_runs(const FrameData& frame);
/// The header's text in width: what is captured (cut first), counters, any flag, then
/// tail (the folded TOTAL bar's cumulative bytes) where it fits. The counters end with the
/// share of retransmitted segments in the last second ("retr 1.2%"; "retr -" without
/// segments) and the peak total speed ("peak 2.38 MB/s"), each left out where the rest
/// would not fit with it (the peak first).
std::string header_status(const FrameData& frame, std::size_t width, const std::string& tail = {});
/// The capture clock as the header ends with it: "HH:MM:SS ".
std::string header_clock(const FrameData& frame);
/// Folded, the clock ends the title line where the titles leave room for it (80 columns),
/// and ends the TOTAL bar's header text where they do not (optional columns).
bool clock_after_titles(const ColumnLayout& layout);
/// The title line; the title of the column sort ranks by is highlighted.
std::vector<TextRun> titles_runs(const FrameData& frame, const ColumnLayout& layout, flow::SortKey sort);
std::vector<TextRun> connection_runs(const FrameData& frame, const ColumnLayout& layout);
std::vector<TextRun> total_runs(const FrameData& frame, const ColumnLayout& layout);
std::vector<TextRun> footer_runs(const FrameData& frame, const ScreenState& state, const ColumnLayout& layout);
/// The key help; its title line names the live rings' memory (status.ring_bytes).
std::vector<TextRun> help_runs(int rows, int columns, const runtime::SourceStatus& status);
/// The detail box of v; removed: it left the capture's table.
std::vector<TextRun> detail_runs(const FrameData& frame, const flow::ConnView& v, bool removed, bool bits);
std::vector<TextRun> too_small_runs(int rows, int columns);

}  // namespace ringtrack::frontend
