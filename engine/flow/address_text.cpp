// Owns: the text of one address.
// Does not own: endpoints (address and port) or where the text goes.
#include "flow/address_text.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace ringtrack::flow {

static_assert(address_text_room == INET6_ADDRSTRLEN, "the room inet_ntop asks for");

char* write_address(char* at, const std::array<uint8_t, 16>& addr, bool ipv6) noexcept {
  if (ipv6) {
    ::inet_ntop(AF_INET6, addr.data(), at, INET6_ADDRSTRLEN);
    return at + std::strlen(at);
  }
  // IPv4 by hand: batch output writes two addresses a row, a million rows, and inet_ntop
  // formats IPv4 through sprintf.
  for (unsigned i = 12; i < 16; ++i) {
    if (i != 12) *at++ = '.';
    const unsigned octet = addr[i];
    if (octet >= 100) *at++ = char('0' + octet / 100);
    if (octet >= 10) *at++ = char('0' + octet / 10 % 10);
    *at++ = char('0' + octet % 10);
  }
  return at;
}

}  // namespace ringtrack::flow
