// Owns: key bindings and their actions.
// Does not own: state layout (screen_state).
#include "frontend/screen/keymap.hpp"

#include <cctype>

#include "frontend/screen/screen.hpp"

namespace ringtrack::frontend {
namespace {

using namespace action_flag;

uint8_t edit_filter(int key, ScreenState& s) {
  switch (key) {
    case key::enter:
      s.filter_text = s.filter_draft;
      s.filter = flow::DisplayFilter::parse(s.filter_text);
      s.editing_filter = false;
      s.offset = 0;
      return requery;
    case key::escape:
      s.editing_filter = false;
      return redraw;
    case key::backspace:
    case 0x08:
      if (!s.filter_draft.empty()) s.filter_draft.pop_back();
      return redraw;
    case key::resize:
      return resize;
    default:
      if (key >= 0x20 && key < 0x7f && s.filter_draft.size() < 200) {
        s.filter_draft += char(key);
        return redraw;
      }
      return none;
  }
}

flow::SortKey next_sort(flow::SortKey sort) {
  return flow::SortKey((unsigned(sort) + 1) % flow::sort_key_count);
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
  }
  return std::string(label) + (reverse ? ", rev" : "");
}

uint8_t handle_key(int key, ScreenState& s, uint32_t page_rows, const std::vector<flow::ConnView>& shown) {
  if (key == key::resize) return resize | redraw;
  if (s.editing_filter) return edit_filter(key, s);
  if (s.help) {  // any key closes the help
    s.help = false;
    return key == 'q' ? quit : redraw;
  }
  const uint64_t page = page_rows ? page_rows : 1;
  switch (key) {
    case 'q':
    case 'Q':
      return quit;
    case 'p':
    case 'P':
      s.paused = !s.paused;
      s.frozen = s.paused ? shown : std::vector<flow::ConnView>{};
      return requery;
    case 's':
    case 'S':
      s.sort = next_sort(s.sort);
      s.offset = 0;
      return requery;
    case 'r':
    case 'R':
      s.reverse = !s.reverse;
      s.offset = 0;
      return requery;
    case key::up:
      if (s.offset > 0) --s.offset;
      return requery;
    case key::down:
      ++s.offset;  // clamped by the screen once it knows how many rows there are
      return requery;
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
      return redraw;
    case 'd':
    case 'D':
      s.show_directions = !s.show_directions;
      return redraw;
    case 'b':
    case 'B':
      s.show_bytes = !s.show_bytes;
      return redraw;
    default:
      return none;
  }
}

}  // namespace ringtrack::frontend
