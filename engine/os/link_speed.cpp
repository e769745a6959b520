// Owns: the sysfs read behind link_speed_mbps.
#include "os/link_speed.hpp"

#include <cstdio>

namespace ringtrack::os {

uint32_t link_speed_mbps(const std::string& name) noexcept {
  if (name.empty() || name.find('/') != std::string::npos) return 0;
  const std::string path = "/sys/class/net/" + name + "/speed";
  std::FILE* f = std::fopen(path.c_str(), "re");
  if (!f) return 0;
  long speed = 0;
  // Reading fails with EINVAL where the driver has no speed (loopback); -1 means unknown.
  const bool read = std::fscanf(f, "%ld", &speed) == 1;
  std::fclose(f);
  return read && speed > 0 && speed <= 10'000'000 ? uint32_t(speed) : 0;
}

}  // namespace ringtrack::os
