// Owns: the default ring size of a reader, from the link's speed.
// Does not own: reading the speed (os/link_speed) or making the ring (capture/rx_ring).
#pragma once

#include <algorithm>
#include <cstdint>

namespace ringtrack::runtime {

/// 64 MiB holds 54 ms of a 10 Gb/s link at line rate: the size for 10G and faster links,
/// and for links whose speed is unknown. Slower links get the same time's worth, in whole
/// MiB, but never less than 16 MiB: 134 ms at 1 Gb/s, more than a second of a 100 Mb/s
/// link's bursts, and the kernel's blocks still turn over often enough on a quiet link.
inline constexpr uint64_t full_ring_bytes = 64ull << 20;
inline constexpr uint64_t least_ring_bytes = 16ull << 20;
inline constexpr uint32_t full_ring_speed_mbps = 10'000;

constexpr uint64_t ring_bytes_for_link(uint32_t speed_mbps) noexcept {
  if (speed_mbps == 0 || speed_mbps >= full_ring_speed_mbps) return full_ring_bytes;
  const uint64_t mib = ((full_ring_bytes >> 20) * speed_mbps + full_ring_speed_mbps - 1) / full_ring_speed_mbps;
  return std::max(least_ring_bytes, mib << 20);
}

}  // namespace ringtrack::runtime
