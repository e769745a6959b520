// Owns: reading an interface's link speed as the kernel reports it.
// Does not own: what to do with it (runtime's ring sizing).
#pragma once

#include <cstdint>
#include <string>

namespace ringtrack::os {

/// The speed the driver reports in /sys/class/net/NAME/speed, megabits per second;
/// 0 when unknown (loopback, no carrier, a driver that reports none).
uint32_t link_speed_mbps(const std::string& name) noexcept;

}  // namespace ringtrack::os
