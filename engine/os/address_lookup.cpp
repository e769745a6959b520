// Owns: the getaddrinfo call and its error text.
// Does not own: parsing HOST:PORT (frontend) or the caller's wording around it.
#include "os/address_lookup.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include "os/setup_error.hpp"

namespace ringtrack::os {

std::string numeric_address_of(const std::string& host, const std::string& port, bool stream) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = stream ? SOCK_STREAM : SOCK_DGRAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0)
    throw SetupError("getaddrinfo(" + host + "): " + (rc == EAI_SYSTEM ? "system error" : ::gai_strerror(rc)));
  char text[NI_MAXHOST];
  const int name_rc = ::getnameinfo(found->ai_addr, found->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST);
  ::freeaddrinfo(found);
  if (name_rc != 0) throw SetupError("getnameinfo(" + host + "): " + ::gai_strerror(name_rc));
  return text;
}

}  // namespace ringtrack::os
