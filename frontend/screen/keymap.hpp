// Owns: the key table: which key does what to the screen state. Actions return flags
// and never draw.
// Does not own: drawing, querying (screen_app).
#pragma once

#include <cstdint>

#include "frontend/screen/screen_state.hpp"

namespace ringtrack::frontend {

namespace action_flag {
inline constexpr uint8_t none = 0;
inline constexpr uint8_t redraw = 0x1;   ///< draw again from the last answer
inline constexpr uint8_t requery = 0x2;  ///< ask the shards again, then draw
inline constexpr uint8_t quit = 0x4;
inline constexpr uint8_t resize = 0x8;   ///< the terminal changed size
}  // namespace action_flag

/// What a key does. page_rows: rows of connections on screen (for paging);
/// shown: the rows on screen now (frozen by p).
uint8_t handle_key(int key, ScreenState& state, uint32_t page_rows, const std::vector<flow::ConnView>& shown);

}  // namespace ringtrack::frontend
