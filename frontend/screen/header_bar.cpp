// Owns: the header's content: what is captured, how fast, what was lost, the capture
// clock; on its own line when wide, folded into the title line (clock) and the TOTAL bar
// (the rest) when narrow.
// Does not own: the column titles (column_titles in row_layout) or the TOTAL bar's speeds.
#include <algorithm>

#include "frontend/display_format.hpp"
#include "frontend/screen/panels.hpp"

namespace ringtrack::frontend {
namespace {

// "retr 1.2%", one decimal, truncated; "retr <0.1%" rather than a 0.0% that hides some.
std::string retrans_share(uint64_t retransmitted, uint64_t segments) {
  if (segments == 0) return "retr -";
  const uint64_t tenths = retransmitted * 1000 / segments;
  if (tenths == 0 && retransmitted != 0) return "retr <0.1%";
  return "retr " + std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

}  // namespace

std::string header_status(const FrameData& frame, std::size_t width, const std::string& tail) {
  const runtime::SourceStatus& s = frame.status;
  const flow::ShardStats& flows = frame.view.totals.stats;
  // Counters first (drops are never hidden, even at zero), then what is captured: a long
  // path or filter is what gets cut on a narrow terminal.
  std::string counters = "  " + std::to_string(frame.packets_per_s) + " pkt/s";
  if (s.live) counters += "  drops " + std::to_string(s.kernel_drops);
  counters += "  tracked " + std::to_string(flows.tracked) + "  evicted " + std::to_string(flows.evictions);
  std::string flag;
  if (!s.problem.empty()) flag = "  " + s.problem;
  else if (s.interface_down) flag = "  INTERFACE DOWN";
  else if (s.input_ended) flag = "  END OF FILE";
  const std::size_t slash = s.source.rfind('/');
  std::string what = " " + (slash == std::string::npos ? s.source : s.source.substr(slash + 1));
  if (s.live) what += "  " + std::to_string(s.readers) + (s.readers == 1 ? " reader" : " readers");
  if (!s.filter.empty()) what += "  [" + s.filter + "]";
  // The retransmitted share is the first to go where room is short (a folded TOTAL bar): it
  // comes only where the other counters, the flag and the start of what is captured fit too.
  constexpr std::size_t what_kept = 8;  // " eth0  4~", " zeek__m~"
  const std::size_t what_min = std::min(what.size(), what_kept);
  std::string after = tail.empty() ? std::string() : "  " + tail;
  if (counters.size() + flag.size() + after.size() + what_min > width) after.clear();
  const std::string share = "  " + retrans_share(frame.retransmitted_last_s, frame.segments_last_s);
  const std::string peak = "  peak " + format_rate(frame.peak_speed_bytes_per_s, frame.bits);
  if (counters.size() + share.size() + flag.size() + after.size() + what_min <= width) {
    counters += share;
    if (counters.size() + peak.size() + flag.size() + after.size() + what_min <= width) counters += peak;
  }
  const std::size_t fixed = counters.size() + flag.size() + after.size();
  if (what.size() + fixed > width) {
    what.resize(width > fixed + 1 ? width - fixed - 1 : 0);
    while (!what.empty() && what.back() == ' ') what.pop_back();  // "1 reader~", not "1 reader ~"
    what += '~';
  }
  std::string text = what + counters + flag + after;
  if (text.size() > width) text.resize(width);
  return text;
}

std::string header_clock(const FrameData& frame) {
  return format_utc(frame.status.clock_ns).substr(11, 8) + " ";  // HH:MM:SS, capture time
}

std::vector<TextRun> header_runs(const FrameData& frame) {
  if (header_folded(frame.columns)) return {};
  const std::size_t width = std::size_t(frame.columns);
  const std::string clock = header_clock(frame);
  std::string text = header_status(frame, width > clock.size() + 1 ? width - clock.size() - 1 : 0);
  text.append(width - text.size() - clock.size(), ' ');
  return {{0, 0, text + clock, Style::bold}};
}

}  // namespace ringtrack::frontend
