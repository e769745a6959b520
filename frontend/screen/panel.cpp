// Owns: drawing a panel's runs when they changed.
// Does not own: their content.
#include "frontend/screen/panels.hpp"

namespace ringtrack::frontend {

void Panel::set(std::vector<TextRun> runs) {
  if (runs != _runs) {
    _runs = std::move(runs);
    _dirty = true;
  }
}

void Panel::draw(Screen& screen, bool force) {
  if (!_dirty && !force) return;
  for (const TextRun& run : _runs) screen.put(run.row, run.column, run.text, run.style);
  _dirty = false;
}

}  // namespace ringtrack::frontend
