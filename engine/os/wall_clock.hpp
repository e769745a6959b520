// Owns: reading the real-time clock, for live readers that have no packet to take time
// from (an idle ring still ages its connections).
// Does not own: any data-path timing: packets carry their own timestamps.
#pragma once

#include <cstdint>
#include <ctime>

namespace ringtrack::os {

/// CLOCK_REALTIME in Unix nanoseconds: the clock ring timestamps are taken from.
inline uint64_t realtime_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000ull + uint64_t(ts.tv_nsec);
}

/// CLOCK_MONOTONIC nanoseconds, for durations (--duration, redraw pacing).
inline uint64_t monotonic_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000ull + uint64_t(ts.tv_nsec);
}

}  // namespace ringtrack::os
