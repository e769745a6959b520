// Owns: the frame loop and the choice of rows to ask for.
// Does not own: panels' text, key actions.
#include "frontend/screen/screen_app.hpp"

#include <algorithm>

#include "frontend/screen/keymap.hpp"

namespace ringtrack::frontend {
namespace {

// Rows further than this from either end of the order are not fetched: each shard keeps
// offset + page rows while it scans, and a million-row table is read with / and s.
constexpr uint64_t deepest_row = 5000;

}  // namespace

ScreenApp::ScreenApp(Screen& screen, runtime::ViewSource& source, Clock& clock, uint32_t refresh_ms,
                     const std::atomic<bool>* stop)
    : _screen(screen), _source(source), _clock(clock), _refresh_ms(refresh_ms), _stop(stop) {}

void ScreenApp::run() {
  const uint64_t deadline_ms = _stop_after_ms ? _clock.now_ms() + _stop_after_ms : UINT64_MAX;
  step(key::none);
  while (!(_stop && _stop->load(std::memory_order_relaxed))) {
    const uint64_t now = _clock.now_ms();
    if (now >= deadline_ms) return;
    if (_stop_after_packets && _frame.status.tcp_packets >= _stop_after_packets) return;
    const uint64_t wake_ms = std::min(_next_frame_ms, deadline_ms);
    const int wait_ms = wake_ms > now ? int(wake_ms - now) : 0;
    if (!step(_screen.read_key(wait_ms))) return;
  }
}

bool ScreenApp::step(int key) {
  uint8_t flags = action_flag::none;
  if (key != key::none) {
    flags = handle_key(key, _state, uint32_t(connection_rows(_screen.rows(), _screen.columns())), _frame.view.rows);
    if (flags & action_flag::quit) return false;
    if (flags & action_flag::resize) _force = true;
  }
  const uint64_t now = _clock.now_ms();
  if ((flags & action_flag::requery) || now >= _next_frame_ms) {
    ask_capture();
    _next_frame_ms = now + _refresh_ms;
  }
  if (flags != action_flag::none || key == key::none) draw();
  return true;
}

flow::ViewQuery ScreenApp::plan_query(uint32_t page) {
  flow::ViewQuery q;
  q.sort = _state.sort;
  q.reverse = _state.reverse;
  q.filter = _state.filter;
  q.hide_one_sided = true;
  q.speed_window = _state.speed_window;
  q.watch = detail_watch();
  if (_state.paused) {
    for (const flow::ConnView& v : _state.frozen) {
      q.keys.push_back(flow::key_of(v));
      q.first_ts_ns.push_back(v.first_ts_ns);
    }
    q.limit = uint32_t(_state.frozen.size());
    return q;
  }
  // Keep the window inside the rows that exist (End sets the offset past them).
  const uint64_t known = _frame.view.totals.matching;
  const uint64_t last_start = known > page ? known - page : 0;
  if (_state.offset > last_start) _state.offset = last_start;
  q.offset = uint32_t(std::min(_state.offset, deepest_row));
  q.limit = page;
  // Near the end of a long order, ask for it backwards: shards then keep a page, not
  // the whole table up to that point.
  if (_state.offset > deepest_row && _state.offset + page >= known) {
    q.reverse = !q.reverse;
    q.offset = uint32_t(known - std::min<uint64_t>(known, _state.offset + page));
  }
  return q;
}

void ScreenApp::ask_capture() {
  const uint32_t page = uint32_t(std::max(0, connection_rows(_screen.rows(), _screen.columns())));
  flow::ViewQuery q = plan_query(page);
  const bool backwards = !_state.paused && q.reverse != _state.reverse;
  const uint64_t previous_as_of = _frame.view.rows.empty() && _frame.previous_as_of_ns == 0
                                      ? 0
                                      : _shown_until_ns;
  runtime::ViewResult result = _source.query(q);
  if (result.complete) _whole_totals = result.totals;
  else if (_whole_totals) result.totals = *_whole_totals;
  if (backwards) std::reverse(result.rows.begin(), result.rows.end());
  if (_state.paused) update_frozen(result.rows, q);
  _frame.status = _source.status();
  const uint64_t clock = q.as_of_ns;
  if (_last_clock_ns != 0 && clock > _last_clock_ns) {
    const uint64_t delta_packets = _frame.status.tcp_packets - std::min(_last_packets, _frame.status.tcp_packets);
    _frame.packets_per_s = delta_packets * 1'000'000'000ull / (clock - _last_clock_ns);
  }
  const flow::ShardStats& stats = result.totals.stats;
  const auto last_s = _segments_window.add(clock, {stats.tcp_packets, stats.retransmitted});
  _frame.segments_last_s = last_s[0];
  _frame.retransmitted_last_s = last_s[1];
  _frame.previous_as_of_ns = previous_as_of;
  _last_packets = _frame.status.tcp_packets;
  _last_clock_ns = clock;
  // A row is marked active once per packet: the next frame's mark starts after everything
  // this one showed, even where a shard ran ahead of the clock the query carried.
  _shown_until_ns = clock;
  for (const flow::ConnView& v : result.rows) _shown_until_ns = std::max(_shown_until_ns, v.last_ts_ns);
  // The peak is of what TOTAL shows: a new display filter or speed window starts it again.
  if (_peak_filter != _state.filter_text || _peak_window != q.speed_window) {
    _peak_filter = _state.filter_text;
    _peak_window = q.speed_window;
    _frame.peak_speed_bytes_per_s = 0;
  }
  _frame.peak_speed_bytes_per_s = std::max(_frame.peak_speed_bytes_per_s, result.totals.speed_sum);
  _frame.view = std::move(result);
  _frame.removed = _state.paused ? _state.frozen_removed : std::vector<bool>{};
  _frame.first_row = _state.paused ? 0 : _state.offset;
  follow_selection();
}

flow::ViewWatch ScreenApp::detail_watch() const {
  flow::ViewWatch watch;
  if (!_state.detail || !_state.selected_known) return watch;
  watch.on = true;
  watch.key = flow::key_of(_state.selected);
  watch.first_ts_ns = _state.selected.first_ts_ns;
  return watch;
}

void ScreenApp::follow_selection() {
  if (_state.selected_row < 0) return;
  const std::vector<flow::ConnView>& rows = _frame.view.rows;
  if (_state.selected_known)
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (same_connection(rows[i], _state.selected)) {
        _state.selected_row = int(i);
        _state.selected = rows[i];
        _state.selected_removed = i < _frame.removed.size() && _frame.removed[i];
        return;
      }
  if (_state.detail && _state.selected_known) {
    // Off the rows shown: the open detail panel asks for its connection by key.
    flow::ViewQuery q;
    q.keys.push_back(flow::key_of(_state.selected));
    q.first_ts_ns.push_back(_state.selected.first_ts_ns);
    q.limit = 1;
    q.watch = detail_watch();
    const runtime::ViewResult one = _source.query(q);
    if (!one.rows.empty()) {
      // Still tracked, or removed with its final figures and why (the shard watched it).
      _state.selected = one.rows.front();
      _state.selected_removed = _state.selected.end != flow::EndReason::none;
    } else {
      _state.selected_removed = true;
      _state.selected.speed_bytes_per_s[0] = _state.selected.speed_bytes_per_s[1] = 0;
      _state.selected.as_of_ns = std::max(_state.selected.as_of_ns, q.as_of_ns);
    }
    return;
  }
  // Its connection left the rows shown (scrolled, sorted or filtered away): the highlight
  // stays on its row and takes the connection there.
  if (rows.empty()) {
    _state.selected_known = false;
    return;
  }
  _state.selected_row = std::min(_state.selected_row, int(rows.size()) - 1);
  _state.selected = rows[std::size_t(_state.selected_row)];
  _state.selected_known = true;
  _state.selected_removed = std::size_t(_state.selected_row) < _frame.removed.size() &&
                            _frame.removed[std::size_t(_state.selected_row)];
}

void ScreenApp::update_frozen(std::vector<flow::ConnView>& fresh_rows, const flow::ViewQuery& q) {
  // Frozen rows stay in place with their new values. One that left the table keeps its
  // final counts, marked removed: no speed, its idle time still counting.
  // The answer holds the frozen rows still tracked, in the frozen order (the query asked
  // by their keys): one walk side by side finds which left.
  std::vector<flow::ConnView>& frozen = _state.frozen;
  _state.frozen_removed.resize(frozen.size(), false);
  std::size_t next_fresh = 0;
  for (std::size_t i = 0; i < frozen.size(); ++i) {
    flow::ConnView& row = frozen[i];
    if (next_fresh < fresh_rows.size() && same_connection(fresh_rows[next_fresh], row)) {
      row = fresh_rows[next_fresh++];
      if (row.end != flow::EndReason::none) _state.frozen_removed[i] = true;  // its final figures
    } else {
      _state.frozen_removed[i] = true;
      row.speed_bytes_per_s[0] = row.speed_bytes_per_s[1] = 0;
      row.as_of_ns = std::max(row.as_of_ns, q.as_of_ns);
    }
  }
  if (_state.resort_frozen) {
    // A sort key pressed while paused: the frozen rows re-ordered once, then kept.
    std::vector<std::size_t> order(frozen.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return flow::view_before(frozen[a], frozen[b], q); });
    std::vector<flow::ConnView> rows;
    std::vector<bool> removed;
    for (std::size_t i : order) {
      rows.push_back(frozen[i]);
      removed.push_back(_state.frozen_removed[i]);
    }
    frozen.swap(rows);
    _state.frozen_removed.swap(removed);
    _state.resort_frozen = false;
  }
  fresh_rows = frozen;
}

void ScreenApp::draw() {
  const int rows = _screen.rows(), columns = _screen.columns();
  _frame.rows = rows;
  _frame.columns = columns;
  if (rows < min_rows || columns < min_columns) {
    _screen.clear();
    _small.set(too_small_runs(rows, columns));
    _small.draw(_screen, true);
    _screen.refresh();
    _was_small = true;
    return;
  }
  if (_was_small || _was_help || _force) {
    _screen.clear();
    _force = true;
  }
  _frame.selected_row = -1;
  for (std::size_t i = 0; _state.selected_known && i < _frame.view.rows.size(); ++i)
    if (same_connection(_frame.view.rows[i], _state.selected)) _frame.selected_row = int(i);
  ColumnLayout layout = layout_columns(columns, _state.show_directions, _state.show_bytes);
  layout.bits = _state.show_bits;
  layout.speed_window = _state.speed_window;
  _frame.bits = _state.show_bits;
  _frame.speed_window = _state.speed_window;
  _header.set(header_runs(_frame));
  _titles.set(titles_runs(_frame, layout, _state.sort));
  _rows.set(connection_runs(_frame, layout));
  _total.set(total_runs(_frame, layout));
  _footer.set(footer_runs(_frame, _state, layout));
  for (Panel* panel : {&_header, &_titles, &_rows, &_total, &_footer}) panel->draw(_screen, _force);
  if (_state.detail) {
    _detail.set(detail_runs(_frame, _state.selected, _state.selected_removed, _state.show_bits));
    _detail.draw(_screen, true);
  }
  if (_state.help) {
    _help.set(help_runs(rows, columns, _frame.status));
    _help.draw(_screen, true);
  }
  _screen.refresh();
  _was_small = false;
  _was_help = _state.help || _state.detail;
  _force = false;
}

}  // namespace ringtrack::frontend
