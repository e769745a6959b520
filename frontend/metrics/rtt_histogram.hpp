// Owns: the handshake RTT histogram the metrics expose: its bucket bounds and counts.
// Does not own: where a sample comes from (metrics_writer: a connection's last row) or its
// text form (metric_families).
#pragma once

#include <array>
#include <cstdint>

namespace ringtrack::frontend {

/// Plain counts, written by one thread and copied whole to another under a lock.
struct RttHistogram {
  /// Upper bounds in microseconds: a LAN's 100 us to an intercontinental path's and a
  /// retransmitted SYN's seconds, about two buckets a decade.
  static constexpr std::array<uint32_t, 14> bounds_us{100,    250,    500,     1'000,   2'500,   5'000,     10'000,
                                                      25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000, 3'000'000};
  std::array<uint64_t, bounds_us.size() + 1> counts{};  ///< per bucket (not cumulative); the last: above every bound
  uint64_t sum_us = 0;
  uint64_t samples = 0;

  void observe(uint32_t rtt_us) noexcept {
    std::size_t i = 0;
    while (i < bounds_us.size() && rtt_us > bounds_us[i]) ++i;
    ++counts[i];
    sum_us += rtt_us;
    ++samples;
  }
};

}  // namespace ringtrack::frontend
