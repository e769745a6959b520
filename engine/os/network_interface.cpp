// Owns: if_nametoindex and SIOCGIFFLAGS.
// Does not own: any capture state.
#include "os/network_interface.hpp"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "os/syscall_error.hpp"
#include "os/unique_fd.hpp"

namespace ringtrack::os {

InterfaceInfo probe_interface(const std::string& name) noexcept {
  InterfaceInfo info;
  if (name.size() >= IFNAMSIZ) return info;
  info.ifindex = int(::if_nametoindex(name.c_str()));
  if (info.ifindex == 0) return info;
  UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ifreq req{};
  std::strncpy(req.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (fd && ::ioctl(fd.get(), SIOCGIFFLAGS, &req) == 0) {
    info.up = (req.ifr_flags & IFF_UP) != 0;
    info.loopback = (req.ifr_flags & IFF_LOOPBACK) != 0;
  }
  return info;
}

InterfaceInfo interface_info(const std::string& name) {
  if (name == "any")
    throw SetupError("-i any is not supported: name one interface (see `ip link`)");
  const InterfaceInfo info = probe_interface(name);
  if (info.ifindex == 0) throw SetupError("no such interface '" + name + "' (see `ip link`)");
  return info;
}

}  // namespace ringtrack::os
