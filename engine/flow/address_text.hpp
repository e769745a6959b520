// Owns: an address as text, as flow stores it (16 bytes, IPv4 mapped): dotted IPv4 or
// RFC 5952 IPv6, written into a caller's buffer. The display filter's text term matches
// it, and the frontend's endpoints and batch fields print it.
// Does not own: ports, brackets or columns around it (frontend/display_format).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace ringtrack::flow {

/// Room write_address needs: INET6_ADDRSTRLEN, the longest IPv6 text and its NUL.
inline constexpr std::size_t address_text_room = 46;

/// Writes addr at `at` (room for address_text_room characters) and returns the end; no NUL
/// is counted. ipv6 false reads the IPv4 address from bytes 12..15. Any thread.
char* write_address(char* at, const std::array<uint8_t, 16>& addr, bool ipv6) noexcept;

}  // namespace ringtrack::flow
