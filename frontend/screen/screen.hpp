// Owns: the one interface between the screen's logic and a terminal: size, text at a
// position with a style, keys with a timeout. ncurses lives behind it (curses_screen),
// and tests drive a fake that records frames as text.
// Does not own: what is drawn (panels) or when (screen_app).
#pragma once

#include <cstdint>
#include <string_view>

namespace ringtrack::frontend {

/// Keys the screen reacts to; printable characters are their own code.
namespace key {
inline constexpr int none = -1;  ///< the timeout passed without a key
inline constexpr int up = 0x1001;
inline constexpr int down = 0x1002;
inline constexpr int page_up = 0x1003;
inline constexpr int page_down = 0x1004;
inline constexpr int home = 0x1005;
inline constexpr int end = 0x1006;
inline constexpr int resize = 0x1007;  ///< the terminal changed size
inline constexpr int left = 0x1008;
inline constexpr int right = 0x1009;
inline constexpr int delete_char = 0x100a;  ///< Delete (forward)
inline constexpr int enter = '\n';
inline constexpr int escape = 0x1b;
inline constexpr int backspace = 0x7f;
/// Control keys as they arrive in cbreak mode (readline's habits in the filter prompt).
inline constexpr int ctrl_a = 0x01;
inline constexpr int ctrl_e = 0x05;
inline constexpr int ctrl_u = 0x15;
inline constexpr int ctrl_w = 0x17;
}  // namespace key

enum class Style : uint8_t { normal, reverse, underline_reverse, bold };

class Screen {
 public:
  virtual ~Screen() = default;
  virtual int rows() const = 0;
  virtual int columns() const = 0;
  /// Blanks the whole screen (in the next refresh).
  virtual void clear() = 0;
  /// Writes text at (row, column); text past the right edge is cut.
  virtual void put(int row, int column, std::string_view text, Style style = Style::normal) = 0;
  /// Shows what was written since the last refresh.
  virtual void refresh() = 0;
  /// The next key, waiting up to timeout_ms (key::none when none came).
  virtual int read_key(int timeout_ms) = 0;
};

}  // namespace ringtrack::frontend
