// Owns: the help box (h or ?) and the message shown when the terminal is too small.
// Does not own: the key table itself (keymap).
#include <algorithm>
#include <array>

#include "frontend/screen/panels.hpp"

namespace ringtrack::frontend {

std::vector<TextRun> help_runs(int rows, int columns, const runtime::SourceStatus& status) {
  static constexpr std::array<const char*, 20> lines = {
      " ringtrack keys",
      "",
      " q, Ctrl-C   quit (from here: any key closes this help)",
      " p           pause the rows (values, TOTAL keep updating)",
      " s           sort: none, rate, bytes, idle, C>S, S>C, RTT, retr",
      " t, e        sort by RTT, by retransmissions",
      " <, >        sort by the column left, right of the sorted one",
      " r           reverse the sort (paused: re-orders the rows once)",
      " Up, Down    move the highlight (scrolls at the top and bottom)",
      " Enter       the highlighted connection in detail; Esc closes",
      " PgUp, PgDn  scroll one page; Home, End: first, last page",
      " /           display filter: 10.0.0.1, [2001:db8::1]:443,",
      "             10.0.0.0/8, 443, established, vlan=100, tunnel,",
      "             vxlan=5000, teid=0x1f, rtt>50ms, rtt<800us,",
      "             retrans, or text (T: tunnelled). Enter applies,",
      "             Esc cancels; Ctrl-U, Ctrl-W, Ctrl-A, Ctrl-E, Left,",
      "             Right, Delete edit",
      " d, b        per-direction speed, frame byte columns",
      " B, a        bits per second; a: 1 s speed, 10 s, 40 s average",
      " h, ?        this help",
  };
  const int width = 66;
  const int top = std::max(0, (rows - int(lines.size()) - 2) / 2);
  const int left = std::max(0, (columns - width) / 2);
  std::vector<TextRun> runs;
  const std::string border = "+" + std::string(std::size_t(width - 2), '-') + "+";
  runs.push_back({top, left, border, Style::reverse});
  // The rings are most of ringtrack's memory (sized by the link's speed): said where a
  // user looking for what costs what will look.
  std::string memory;
  if (status.live && status.ring_bytes != 0)
    memory = "rings: " + std::to_string(status.readers) + " x " + std::to_string(status.ring_bytes >> 20) + " MiB ";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string text = "|" + std::string(lines[i]);
    text.resize(std::size_t(width - 1), ' ');
    if (i == 0 && !memory.empty()) text.replace(text.size() - memory.size(), memory.size(), memory);
    runs.push_back({top + 1 + int(i), left, text + "|", Style::reverse});
  }
  runs.push_back({top + 1 + int(lines.size()), left, border, Style::reverse});
  return runs;
}

std::vector<TextRun> too_small_runs(int rows, int columns) {
  const std::string message = "ringtrack needs a terminal of at least " + std::to_string(min_columns) + "x" +
                              std::to_string(min_rows) + "; this one is " + std::to_string(columns) + "x" +
                              std::to_string(rows) + ".";
  // Wrapped at spaces so "80x6" stays whole on a narrow terminal.
  std::vector<std::string> lines;
  const std::size_t width = std::size_t(std::max(1, columns));
  std::string line;
  std::size_t pos = 0;
  while (pos < message.size()) {
    std::size_t end = message.find(' ', pos);
    if (end == std::string::npos) end = message.size();
    const std::string word = message.substr(pos, end - pos);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    pos = end + 1;
  }
  if (!line.empty()) lines.push_back(line);
  std::vector<TextRun> runs;
  const int top = std::max(0, (rows - int(lines.size())) / 2);
  for (std::size_t i = 0; i < lines.size() && top + int(i) < rows; ++i)
    runs.push_back({top + int(i), 0, lines[i].substr(0, width), Style::bold});
  return runs;
}

}  // namespace ringtrack::frontend
