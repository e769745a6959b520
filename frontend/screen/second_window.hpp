// Owns: counters sampled at each frame's capture clock, and how much each grew over the
// last second (the header's share of retransmitted segments).
// Does not own: where the counters come from (screen_app) or how the result reads (header_bar).
#pragma once

#include <array>
#include <cstdint>
#include <deque>

namespace ringtrack::frontend {

/// Frames come once a second, ten times with -f, and after keys: the growth is taken from
/// the newest sample at least a second old (the oldest one while fewer exist), so the
/// figure covers a second whatever the refresh. Screen thread only.
template <std::size_t Counters>
class SecondWindow {
 public:
  using Values = std::array<uint64_t, Counters>;

  std::size_t samples() const noexcept { return _samples.size(); }

  /// values at capture time clock_ns; returns their growth since a second before (zeros
  /// for the first sample, or when the clock went back: a new capture).
  Values add(uint64_t clock_ns, const Values& values) {
    constexpr uint64_t second_ns = 1'000'000'000;
    if (!_samples.empty() && clock_ns < _samples.back().clock_ns) _samples.clear();
    // A clock that stands still (a replay at its end, a quiet link) keeps one sample of
    // that moment, not one a frame.
    if (!_samples.empty() && clock_ns == _samples.back().clock_ns && _samples.size() > 1) _samples.pop_back();
    _samples.push_back({clock_ns, values});
    // Keep one sample at least a second old, and none older than it.
    while (_samples.size() > 2 && clock_ns - _samples[1].clock_ns >= second_ns) _samples.pop_front();
    Values growth{};
    const Values& from = _samples.front().values;
    // A counter read lower than before (a shard late to answer) grows by nothing.
    for (std::size_t i = 0; i < Counters; ++i) growth[i] = values[i] > from[i] ? values[i] - from[i] : 0;
    return growth;
  }

 private:
  struct Sample {
    uint64_t clock_ns;
    Values values;
  };
  std::deque<Sample> _samples;
};

}  // namespace ringtrack::frontend
