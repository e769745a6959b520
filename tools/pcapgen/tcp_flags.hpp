// Owns: the TCP flag bit values shared by the frame builder and the state machine.
// Does not own: anything that sets or interprets them.
#pragma once

#include <cstdint>

namespace ringtrack::pcapgen::tcp_flag {

inline constexpr uint8_t fin = 0x01;
inline constexpr uint8_t syn = 0x02;
inline constexpr uint8_t rst = 0x04;
inline constexpr uint8_t psh = 0x08;
inline constexpr uint8_t ack = 0x10;

}  // namespace ringtrack::pcapgen::tcp_flag
