// Owns: a terminal for tests: a grid of characters that records every refreshed frame as
// text, a settable size, and scripted keys.
// Does not own: anything the screen logic decides.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "frontend/screen/screen.hpp"

namespace ringtrack::testing {

class FakeScreen final : public frontend::Screen {
 public:
  FakeScreen(int rows, int columns) { resize(rows, columns); }

  void resize(int rows, int columns) {
    _rows = rows;
    _columns = columns;
    _grid.assign(std::size_t(rows), std::string(std::size_t(columns), ' '));
    _styles.assign(std::size_t(rows), std::string(std::size_t(columns), ' '));
  }

  int rows() const override { return _rows; }
  int columns() const override { return _columns; }
  void clear() override { resize(_rows, _columns); }
  void put(int row, int column, std::string_view text, frontend::Style style) override {
    if (row < 0 || row >= _rows || column < 0 || column >= _columns) return;
    for (std::size_t i = 0; i < text.size() && column + int(i) < _columns; ++i) {
      _grid[std::size_t(row)][std::size_t(column) + i] = text[i];
      _styles[std::size_t(row)][std::size_t(column) + i] = style_mark(style);
    }
  }
  void refresh() override { frames.push_back(text()); }
  int read_key(int) override {
    if (keys.empty()) return frontend::key::none;
    const int k = keys.front();
    keys.pop_front();
    return k;
  }

  /// The screen as lines, trailing spaces removed.
  std::string text() const {
    std::string out;
    for (const std::string& line : _grid) {
      std::size_t end = line.find_last_not_of(' ');
      out += end == std::string::npos ? "" : line.substr(0, end + 1);
      out += '\n';
    }
    return out;
  }
  /// One mark per cell: ' ' normal, 'r' reverse, 'u' underlined (reverse), 'b' bold.
  const std::string& styles_of(int row) const { return _styles[std::size_t(row)]; }
  const std::string& line(int row) const { return _grid[std::size_t(row)]; }

  std::vector<std::string> frames;
  std::deque<int> keys;

 private:
  static char style_mark(frontend::Style style) {
    switch (style) {
      case frontend::Style::normal: return ' ';
      case frontend::Style::reverse: return 'r';
      case frontend::Style::underline_reverse: return 'u';
      case frontend::Style::bold: return 'b';
    }
    return '?';
  }
  int _rows = 0;
  int _columns = 0;
  std::vector<std::string> _grid;
  std::vector<std::string> _styles;
};

}  // namespace ringtrack::testing
