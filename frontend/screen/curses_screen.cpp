// Owns: every ncurses call of the program.
// Does not own: layout and content (panels).
#include "frontend/screen/curses_screen.hpp"

#include <curses.h>

#include <stdexcept>
#include <string>

namespace ringtrack::frontend {
namespace {

attr_t attributes_of(Style style) {
  switch (style) {
    case Style::normal: return A_NORMAL;
    case Style::reverse: return A_REVERSE;
    case Style::underline_reverse: return A_REVERSE | A_UNDERLINE;
    case Style::bold: return A_BOLD;
  }
  return A_NORMAL;
}

}  // namespace

CursesScreen::CursesScreen() {
  if (initscr() == nullptr) throw std::runtime_error("cannot start the screen (initscr failed): is TERM set?");
  cbreak();  // keys at once; Ctrl-C still sends SIGINT
  noecho();
  keypad(stdscr, TRUE);
  curs_set(0);
  set_escdelay(25);  // Esc leaves the filter prompt without a noticeable pause
}

CursesScreen::~CursesScreen() { endwin(); }

int CursesScreen::rows() const { return LINES; }
int CursesScreen::columns() const { return COLS; }
void CursesScreen::clear() { werase(stdscr); }

void CursesScreen::put(int row, int column, std::string_view text, Style style) {
  if (row < 0 || row >= LINES || column < 0 || column >= COLS) return;
  const int room = COLS - column;
  const std::string cut(text.substr(0, std::size_t(room)));
  wattrset(stdscr, int(attributes_of(style)));
  mvwaddnstr(stdscr, row, column, cut.c_str(), int(cut.size()));
  wattrset(stdscr, A_NORMAL);
}

void CursesScreen::refresh() { wrefresh(stdscr); }

int CursesScreen::read_key(int timeout_ms) {
  wtimeout(stdscr, timeout_ms);
  const int c = wgetch(stdscr);
  switch (c) {
    case ERR: return key::none;
    case KEY_UP: return key::up;
    case KEY_DOWN: return key::down;
    case KEY_PPAGE: return key::page_up;
    case KEY_NPAGE: return key::page_down;
    case KEY_HOME: return key::home;
    case KEY_END: return key::end;
    case KEY_LEFT: return key::left;
    case KEY_RIGHT: return key::right;
    case KEY_DC: return key::delete_char;
    case KEY_RESIZE: return key::resize;
    case KEY_ENTER:
    case '\r': return key::enter;
    case KEY_BACKSPACE:
    case 8: return key::backspace;
    default: return c;
  }
}

}  // namespace ringtrack::frontend
