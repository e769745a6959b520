// Owns: turning a host name or address into a numeric address, once, before any thread
// starts (getaddrinfo).
// Does not own: what the address is for (ipfix collectors) or connecting to it.
#pragma once

#include <string>

namespace ringtrack::os {

/// The first numeric address host resolves to for a datagram or stream peer on port
/// ("192.0.2.1", "2001:db8::1"). Throws SetupError naming host and the resolver's reason.
std::string numeric_address_of(const std::string& host, const std::string& port, bool stream);

}  // namespace ringtrack::os
