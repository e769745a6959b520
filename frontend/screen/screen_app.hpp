// Owns: the screen's loop: when to ask the capture for rows (1 Hz, 10 Hz with -f, and
// after a key), which rows to ask for, and drawing the panels from the answer. Blocks
// in read_key between frames, so an idle screen costs nothing.
// Does not own: the terminal (Screen), the capture (ViewSource), key meanings (keymap).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "frontend/screen/panels.hpp"
#include "frontend/screen/screen.hpp"
#include "frontend/screen/second_window.hpp"
#include "frontend/screen/screen_state.hpp"
#include "runtime/view_source.hpp"

namespace ringtrack::frontend {

/// Milliseconds of a monotonic clock; tests step it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual uint64_t now_ms() = 0;
};

class ScreenApp {
 public:
  /// refresh_ms: 1000 (tcptrack), 100 with -f. stop: Ctrl-C and SIGTERM set it.
  ScreenApp(Screen& screen, runtime::ViewSource& source, Clock& clock, uint32_t refresh_ms,
            const std::atomic<bool>* stop);

  /// Live --duration and --count: run() also ends after duration_ms (0: no limit) or once
  /// the capture has decoded tcp_packets TCP packets (0: no limit).
  void stop_after(uint64_t duration_ms, uint64_t tcp_packets) noexcept {
    _stop_after_ms = duration_ms;
    _stop_after_packets = tcp_packets;
  }

  /// --bits: speeds start in bits per second (B still toggles).
  void show_bits(bool bits) noexcept { _state.show_bits = bits; }

  /// Until q, stop, or a stop_after limit.
  void run();

  /// One turn of the loop (tests): handle key (key::none: a timer tick), ask and draw as
  /// needed. Returns false once the user quit.
  bool step(int key);

 private:
  void ask_capture();
  /// Paused: the frozen rows take fresh_rows' values (and a pending re-sort); fresh_rows
  /// becomes them.
  void update_frozen(std::vector<flow::ConnView>& fresh_rows, const flow::ViewQuery& q);
  /// After an answer: the highlight finds its connection among the rows (or, with the
  /// detail panel open, asks for it by key), or takes the one now on its row.
  void follow_selection();
  /// The detail panel's connection, which the shards keep the final view of (off when closed).
  flow::ViewWatch detail_watch() const;
  void draw();
  flow::ViewQuery plan_query(uint32_t page);

  Screen& _screen;
  runtime::ViewSource& _source;
  Clock& _clock;
  uint32_t _refresh_ms;
  const std::atomic<bool>* _stop;
  uint64_t _stop_after_ms = 0;
  uint64_t _stop_after_packets = 0;
  ScreenState _state;
  FrameData _frame;
  uint64_t _next_frame_ms = 0;
  uint64_t _last_packets = 0;
  uint64_t _last_clock_ns = 0;
  // The totals of the last answer every shard gave in time: a late shard's part would
  // otherwise be missing from TOTAL and the cumulative counters for a frame.
  std::optional<flow::ViewTotals> _whole_totals;
  SecondWindow<2> _segments_window;  ///< [0] segments, [1] retransmitted ones
  /// Newest moment the last frame showed: its clock, or a row's last packet when the
  /// shards had applied packets newer than the clock they were asked at.
  uint64_t _shown_until_ns = 0;
  std::string _peak_filter;  ///< the display filter the header's peak was seen under
  flow::SpeedWindow _peak_window = flow::SpeedWindow::second;  ///< ... and the speed it is of
  bool _force = true;
  bool _was_small = false;
  bool _was_help = false;  ///< an overlay (help, detail) was drawn: clear under it when it closes
  Panel _header, _titles, _rows, _total, _footer, _help, _detail, _small;
};

}  // namespace ringtrack::frontend
