// Owns: the terminal through ncurses: setup and restore, drawing, keys, resize.
// Does not own: anything drawn. The only file pair that knows ncurses.
#pragma once

#include "frontend/screen/screen.hpp"

namespace ringtrack::frontend {

/// Takes over the terminal on construction (cbreak, no echo, keypad, hidden cursor) and
/// gives it back on destruction, whatever ended the run.
class CursesScreen final : public Screen {
 public:
  CursesScreen();
  ~CursesScreen() override;
  CursesScreen(const CursesScreen&) = delete;
  CursesScreen& operator=(const CursesScreen&) = delete;

  int rows() const override;
  int columns() const override;
  void clear() override;
  void put(int row, int column, std::string_view text, Style style) override;
  void refresh() override;
  int read_key(int timeout_ms) override;
};

}  // namespace ringtrack::frontend
