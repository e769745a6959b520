// Owns: turning a failed Linux call into a SetupError that names the call, the errno and
// what to do about it.
// Does not own: deciding whether a failure is fatal (callers).
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include "os/setup_error.hpp"

namespace ringtrack::os {

/// "setsockopt(PACKET_RX_RING) on eth0: Cannot allocate memory" plus an optional fix.
inline SetupError syscall_error(const std::string& call, int err, const std::string& fix = "") {
  std::string message = call + ": " + std::strerror(err);
  if (!fix.empty()) message += " (" + fix + ")";
  return SetupError(message);
}

/// The fix for EPERM/EACCES on packet sockets, with the exact setcap line.
std::string need_cap_net_raw_fix();

}  // namespace ringtrack::os
