// Owns: looking up an interface by name: index, up/down, loopback.
// Does not own: capturing on it.
#pragma once

#include <string>

namespace ringtrack::os {

struct InterfaceInfo {
  int ifindex = 0;
  bool up = false;
  bool loopback = false;
};

/// Throws SetupError "no such interface" (listing none; `ip link` does that) when absent.
InterfaceInfo interface_info(const std::string& name);

/// The interface's state now, without throwing: ifindex 0 when it no longer exists.
InterfaceInfo probe_interface(const std::string& name) noexcept;

}  // namespace ringtrack::os
