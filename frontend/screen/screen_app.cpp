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
    flags = handle_key(key, _state, uint32_t(connection_rows(_screen.rows())), _frame.view.rows);
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
  const uint32_t page = uint32_t(std::max(0, connection_rows(_screen.rows())));
  flow::ViewQuery q = plan_query(page);
  const bool backwards = !_state.paused && q.reverse != _state.reverse;
  const uint64_t previous_as_of = _frame.view.rows.empty() && _frame.previous_as_of_ns == 0
                                      ? 0
                                      : _shown_until_ns;
  runtime::ViewResult result = _source.query(q);
  if (backwards) std::reverse(result.rows.begin(), result.rows.end());
  if (_state.paused) {
    // Frozen rows stay in place; one that left the table keeps its last values.
    std::vector<flow::ConnView> rows = _state.frozen;
    for (flow::ConnView& frozen : rows)
      for (const flow::ConnView& fresh : result.rows)
        if (fresh.first_ts_ns == frozen.first_ts_ns && fresh.client_port == frozen.client_port &&
            fresh.server_port == frozen.server_port && fresh.client_addr == frozen.client_addr &&
            fresh.server_addr == frozen.server_addr)
          frozen = fresh;
    _state.frozen = rows;
    result.rows = rows;
  }
  _frame.status = _source.status();
  const uint64_t clock = q.as_of_ns;
  if (_last_clock_ns != 0 && clock > _last_clock_ns) {
    const uint64_t delta_packets = _frame.status.tcp_packets - std::min(_last_packets, _frame.status.tcp_packets);
    _frame.packets_per_s = delta_packets * 1'000'000'000ull / (clock - _last_clock_ns);
  }
  _frame.previous_as_of_ns = previous_as_of;
  _last_packets = _frame.status.tcp_packets;
  _last_clock_ns = clock;
  // A row is marked active once per packet: the next frame's mark starts after everything
  // this one showed, even where a shard ran ahead of the clock the query carried.
  _shown_until_ns = clock;
  for (const flow::ConnView& v : result.rows) _shown_until_ns = std::max(_shown_until_ns, v.last_ts_ns);
  _frame.view = std::move(result);
  _frame.first_row = _state.paused ? 0 : _state.offset;
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
  const ColumnLayout layout = layout_columns(columns, _state.show_directions, _state.show_bytes);
  _header.set(header_runs(_frame));
  _titles.set(titles_runs(layout));
  _rows.set(connection_runs(_frame, layout));
  _total.set(total_runs(_frame, layout));
  _footer.set(footer_runs(_frame, _state));
  for (Panel* panel : {&_header, &_titles, &_rows, &_total, &_footer}) panel->draw(_screen, _force);
  if (_state.help) {
    _help.set(help_runs(rows, columns));
    _help.draw(_screen, true);
  }
  _screen.refresh();
  _was_small = false;
  _was_help = _state.help;
  _force = false;
}

}  // namespace ringtrack::frontend
