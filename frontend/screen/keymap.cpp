// Owns: key bindings and their actions.
// Does not own: state layout (screen_state).
#include "frontend/screen/keymap.hpp"

#include <algorithm>
#include <iterator>

#include "frontend/screen/screen.hpp"

namespace ringtrack::frontend {
namespace {

using namespace action_flag;

bool is_space(char c) { return c == ' '; }

// The prompt edits as readline does: the cursor moves with Left/Right, Ctrl-A/Home and
// Ctrl-E/End; Backspace, Delete, Ctrl-U (to the start) and Ctrl-W (the word before the
// cursor) delete. It opens with the filter in force selected: a character replaces it, a
// deleting key clears it, a moving key keeps it and ends the selection.
uint8_t edit_filter(int key, ScreenState& s) {
  std::string& draft = s.filter_draft;
  std::size_t& at = s.filter_cursor;
  at = std::min(at, draft.size());
  const bool selected = s.filter_selected;
  s.filter_selected = false;
  auto erase = [&](std::size_t from, std::size_t to) {
    if (selected) from = 0, to = draft.size();
    draft.erase(from, to - from);
    at = from;
  };
  switch (key) {
    case key::enter:
      s.filter_text = draft;
      s.filter = flow::DisplayFilter::parse(s.filter_text);
      s.editing_filter = false;
      s.offset = 0;
      return requery;
    case key::escape:
      s.editing_filter = false;
      return redraw;
    case key::backspace:
    case 0x08:
      erase(at > 0 ? at - 1 : 0, at);
      return redraw;
    case key::delete_char:
      erase(at, std::min(at + 1, draft.size()));
      return redraw;
    case key::ctrl_u:
      erase(0, at);
      return redraw;
    case key::ctrl_w: {
      std::size_t from = at;
      while (from > 0 && is_space(draft[from - 1])) --from;
      while (from > 0 && !is_space(draft[from - 1])) --from;
      erase(from, at);
      return redraw;
    }
    case key::left:
      at = selected ? 0 : at > 0 ? at - 1 : 0;
      return redraw;
    case key::right:
      at = selected ? draft.size() : std::min(at + 1, draft.size());
      return redraw;
    case key::ctrl_a:
    case key::home:
      at = 0;
      return redraw;
    case key::ctrl_e:
    case key::end:
      at = draft.size();
      return redraw;
    case key::resize:
      return resize;
    default:
      if (key >= 0x20 && key < 0x7f) {
        if (selected) draft.clear(), at = 0;
        if (draft.size() < 200) draft.insert(at++, 1, char(key));
        return redraw;
      }
      s.filter_selected = selected;
      return none;
  }
}

flow::SortKey next_sort(flow::SortKey sort) {
  return flow::SortKey((unsigned(sort) + 1) % flow::sort_key_count);
}

// The sorts in the order of their columns, left to right (< and >); unsorted first.
constexpr flow::SortKey by_column[] = {flow::SortKey::first_seen, flow::SortKey::idle,     flow::SortKey::rate,
                                       flow::SortKey::rate_c2s,   flow::SortKey::rate_s2c, flow::SortKey::bytes,
                                       flow::SortKey::rtt,        flow::SortKey::retrans};
static_assert(std::size(by_column) == flow::sort_key_count, "every sort has its place among the columns");

flow::SortKey column_sort(flow::SortKey sort, int step) {
  const int n = int(std::size(by_column));
  int at = 0;
  while (at < n && by_column[at] != sort) ++at;
  return by_column[(at + step + n) % n];
}

}  // namespace

std::string sort_label(flow::SortKey sort, bool reverse) {
  const char* label = "Unsorted";
  switch (sort) {
    case flow::SortKey::first_seen: label = "Unsorted"; break;
    case flow::SortKey::rate: label = "Sorted by rate"; break;
    case flow::SortKey::bytes: label = "Sorted by bytes"; break;
    case flow::SortKey::idle: label = "Sorted by idle"; break;
    case flow::SortKey::rate_c2s: label = "Sorted by C>S rate"; break;
    case flow::SortKey::rate_s2c: label = "Sorted by S>C rate"; break;
    case flow::SortKey::rtt: label = "Sorted by RTT"; break;
    case flow::SortKey::retrans: label = "Sorted by retrans"; break;
  }
  return std::string(label) + (reverse ? ", rev" : "");
}

uint8_t handle_key(int key, ScreenState& s, uint32_t page_rows, const std::vector<flow::ConnView>& shown) {
  if (key == key::resize) return resize | redraw;
  if (s.editing_filter) return edit_filter(key, s);
  if (s.help) {  // any key closes the help, q too: it quits only from the main view
    s.help = false;
    return redraw;
  }
  if (s.detail) {
    if (key != key::escape && key != key::enter && key != 'q') return none;
    s.detail = false;
    return redraw;
  }
  const uint64_t page = page_rows ? page_rows : 1;
  auto select = [&](int row) {
    s.selected_row = row;
    s.selected_known = std::size_t(row) < shown.size();
    if (s.selected_known) s.selected = shown[std::size_t(row)];
    s.selected_removed = false;
  };
  switch (key) {
    case 'q':
    case 'Q':
      return quit;
    case 'p':
    case 'P':
      s.paused = !s.paused;
      s.frozen = s.paused ? shown : std::vector<flow::ConnView>{};
      s.frozen_removed.assign(s.frozen.size(), false);
      s.resort_frozen = false;
      return requery;
    case 's':
    case 'S':
      s.sort = next_sort(s.sort);
      s.offset = 0;
      s.resort_frozen = s.paused;  // paused: the frozen rows re-ordered once
      return requery;
    case '<':
    case '>':
      s.sort = column_sort(s.sort, key == '>' ? 1 : -1);
      s.offset = 0;
      s.resort_frozen = s.paused;
      return requery;
    case 't':
    case 'T':
    case 'e':
    case 'E':
      // Straight to a health order (s reaches them too, last): t for round-trip time, e for
      // retransmissions (r and R already reverse).
      s.sort = key == 't' || key == 'T' ? flow::SortKey::rtt : flow::SortKey::retrans;
      s.offset = 0;
      s.resort_frozen = s.paused;
      return requery;
    case 'r':
    case 'R':
      s.reverse = !s.reverse;
      s.offset = 0;
      s.resort_frozen = s.paused;
      return requery;
    case key::up:
      // The highlight moves; at the top row the rows scroll under it.
      if (shown.empty()) return none;
      if (s.selected_row < 0) select(0);
      else if (s.selected_row > 0) select(std::min(s.selected_row, int(shown.size())) - 1);
      else if (!s.paused && s.offset > 0) {
        --s.offset;
        s.selected_known = false;  // the row that scrolls in under it, once asked for
        return requery;
      }
      return redraw;
    case key::down:
      if (shown.empty()) return none;
      if (s.selected_row < 0) select(0);
      else if (s.selected_row + 1 < int(shown.size())) select(s.selected_row + 1);
      else if (!s.paused && shown.size() >= page) {
        ++s.offset;  // clamped by the screen once it knows how many rows there are
        s.selected_known = false;
        return requery;
      }
      return redraw;
    case key::enter:
      if (shown.empty()) return none;
      if (s.selected_row < 0 || std::size_t(s.selected_row) >= shown.size()) select(0);
      s.detail = true;
      return redraw;
    case key::page_up:
      s.offset = s.offset > page ? s.offset - page : 0;
      return requery;
    case key::page_down:
      s.offset += page;
      return requery;
    case key::home:
      s.offset = 0;
      return requery;
    case key::end:
      s.offset = UINT64_MAX;  // the last page, once the count is known
      return requery;
    case 'h':
    case 'H':
    case '?':
      s.help = true;
      return redraw;
    case '/':
      s.editing_filter = true;
      s.filter_draft = s.filter_text;
      s.filter_cursor = s.filter_draft.size();
      s.filter_selected = !s.filter_draft.empty();
      return redraw;
    case 'd':
    case 'D':
      s.show_directions = !s.show_directions;
      return redraw;
    case 'b':
      s.show_bytes = !s.show_bytes;
      return redraw;
    case 'B':
      s.show_bits = !s.show_bits;
      return redraw;
    case 'a':
    case 'A':
      // A new window changes the rows' values and their order: ask again.
      s.speed_window = s.speed_window == flow::SpeedWindow::second        ? flow::SpeedWindow::average_10s
                       : s.speed_window == flow::SpeedWindow::average_10s ? flow::SpeedWindow::average_40s
                                                                          : flow::SpeedWindow::second;
      s.resort_frozen = s.paused;  // paused: the frozen rows re-ordered once
      return requery;
    default:
      return none;
  }
}

}  // namespace ringtrack::frontend
