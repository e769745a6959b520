// Owns: payload-rate bookkeeping in capture time: the ring of byte buckets a connection
// keeps per direction and how a speed is read from it. Does not own: where rings live.
#pragma once

#include <cstdint>

namespace ringtrack::flow {

/// A rate ring: Buckets slots of bucket_ns each, for both directions of a connection;
/// slot = bucket number % Buckets. The newest bucket is the one holding the connection's
/// last packet (either direction), so the ring needs no position of its own, and moving to
/// a newer bucket clears the skipped slots of both directions together.
/// Speeds are read for a window of whole buckets ending just before the bucket that
/// contains `as_of`:
///   default (tcptrack): 1 s buckets, window 1  -> the last complete second
///   -f (fast):        100 ms buckets, window 10 -> a 1 s window that slides every 100 ms
/// Buckets = window + 1, so the partly filled current bucket never overwrites the window.
template <unsigned Buckets, uint64_t BucketNs>
struct RateRing {
  using Slots = uint32_t[2][Buckets];
  static constexpr unsigned window_buckets = Buckets - 1;
  static constexpr uint64_t bucket_ns = BucketNs;

  /// Adds bytes sent in direction dir at ts_ns. last_ts_ns: the connection's newest packet
  /// before this one; has_previous false for its first packet. Packets older than the ring
  /// count in totals only.
  static void add(Slots& ring, bool has_previous, uint64_t last_ts_ns, uint64_t ts_ns,
                  unsigned dir, uint32_t bytes) noexcept {
    const uint64_t bucket = ts_ns / BucketNs;
    const uint64_t newest = last_ts_ns / BucketNs;
    if (bucket == newest && has_previous) [[likely]] {  // most packets: the current bucket
      add_to_bucket(ring, dir, bucket, bytes);
      return;
    }
    if (!has_previous || bucket >= newest + Buckets) {
      for (auto& direction : ring)
        for (uint32_t& b : direction) b = 0;
    } else if (bucket > newest) {
      for (uint64_t n = newest + 1; n <= bucket; ++n) ring[0][n % Buckets] = ring[1][n % Buckets] = 0;
    } else if (bucket + Buckets <= newest) {
      return;
    }
    add_to_bucket(ring, dir, bucket, bytes);
  }

  /// Adds bytes to bucket's slot, which the caller knows holds that bucket (it is in the
  /// ring, and its slot was cleared when the ring reached it): nothing is cleared here.
  static void add_to_bucket(Slots& ring, unsigned dir, uint64_t bucket, uint32_t bytes) noexcept {
    uint32_t& slot = ring[dir][bucket % Buckets];
    // Saturate: a 1 s bucket past 4 GiB needs a 34 Gbit/s single connection.
    slot = (slot > UINT32_MAX - bytes) ? UINT32_MAX : slot + bytes;
  }

  /// Where the window read at as_of_ns begins.
  static constexpr uint64_t window_start_ns(uint64_t as_of_ns) noexcept {
    const uint64_t current = as_of_ns / BucketNs;
    return (current > window_buckets ? current - window_buckets : 0) * BucketNs;
  }

  /// Payload bytes per second sent in direction dir over the window that ends where
  /// bucket(as_of_ns) starts.
  static uint64_t bytes_per_second(const Slots& ring, unsigned dir, uint64_t last_ts_ns,
                                   uint64_t as_of_ns) noexcept {
    const uint64_t newest = last_ts_ns / BucketNs;
    const uint64_t current = as_of_ns / BucketNs;
    if (current == 0) return 0;
    const uint64_t window_last = current - 1;
    const uint64_t window_first = current > window_buckets ? current - window_buckets : 0;
    uint64_t total = 0;
    for (uint64_t n = window_first; n <= window_last; ++n) {
      if (n > newest || n + Buckets <= newest) continue;  // not (or no longer) in the ring
      total += ring[dir][n % Buckets];
    }
    // The window is window_buckets * bucket_ns long, one second in both modes.
    return total;
  }
};

/// tcptrack's default speed: bytes in the last complete second of capture time.
using SecondRate = RateRing<2, 1'000'000'000ull>;
/// -f: a one-second window sliding in 100 ms steps.
using FastRate = RateRing<11, 100'000'000ull>;

static_assert(SecondRate::window_buckets * SecondRate::bucket_ns == 1'000'000'000ull);
static_assert(FastRate::window_buckets * FastRate::bucket_ns == 1'000'000'000ull);

/// The -f rings of one connection, kept beside the arena (not in Connection) so the
/// default mode's record stays at 128 bytes.
struct FastRateRings {
  uint32_t bytes[2][11];
};

}  // namespace ringtrack::flow
