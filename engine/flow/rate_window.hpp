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

/// Which speed a view reads: tcptrack's (the last second, or -f's sliding second), or
/// iftop's averages over the last 10 s and 40 s.
enum class SpeedWindow : uint8_t { second, average_10s, average_40s };

/// The averages' ring of one connection, beside the arena like FastRateRings (the screen
/// keeps them; batch runs do not): payload bytes per direction in 2 s buckets, iftop's
/// resolution, 20 of them for 40 s plus the one being filled. 168 bytes, bucket-major:
/// a fold writes both directions of one bucket, 8 bytes, one cache line (prefetched).
struct AverageRings {
  uint32_t bytes[21][2];
};

/// Averages in capture time, fed once per second per connection, not per packet: a
/// second's bytes stay in the record's SecondRate ring (Connection::second_bytes) until
/// the connection's first packet of a later second folds them in here. So the newest
/// second with a packet (the second of last_ts) is never in the ring, every older one
/// is; a read adds the newest from second_bytes.
/// The ring needs no position of its own: its newest bucket is the one of last_ts's
/// second, and the slot of bucket n is n % 21.
struct AverageRate {
  static constexpr unsigned buckets = 21;
  static constexpr uint64_t bucket_ns = 2'000'000'000ull;
  using SecondBytes = uint32_t[2][2];

  static constexpr unsigned window_buckets(SpeedWindow w) noexcept { return w == SpeedWindow::average_40s ? 20 : 5; }
  static constexpr uint64_t bucket_of_second(uint64_t second) noexcept { return second / 2; }
  /// The bucket a packet at ts_ns folds into or near (the fold writes its connection's
  /// previous second's bucket, this one or the one before).
  static const uint32_t* slot_near(const AverageRings& ring, uint64_t ts_ns) noexcept {
    return ring.bytes[(ts_ns / bucket_ns) % buckets];
  }

  /// The connection's newest second moves from `from` to the later `to` (a packet of `to`
  /// is about to be counted): `from`'s bytes, still in second_bytes, join their bucket,
  /// and the buckets skipped up to to's are cleared.
  static void leave_second(AverageRings& ring, const SecondBytes& second_bytes, uint64_t from, uint64_t to) noexcept {
    const uint64_t old_bucket = bucket_of_second(from), new_bucket = bucket_of_second(to);
    if (new_bucket >= old_bucket + buckets) {
      ring = AverageRings{};
      return;
    }
    for (unsigned dir = 0; dir < 2; ++dir) add_to(ring.bytes[old_bucket % buckets][dir], second_bytes[dir][from & 1]);
    for (uint64_t n = old_bucket + 1; n <= new_bucket; ++n) ring.bytes[n % buckets][0] = ring.bytes[n % buckets][1] = 0;
  }

  /// A packet of an older second than the newest (out of time order), whose second was
  /// already folded in: straight into its bucket, if that is still in the ring.
  static void add_late(AverageRings& ring, uint64_t newest_second, uint64_t second, unsigned dir,
                       uint32_t bytes) noexcept {
    const uint64_t bucket = bucket_of_second(second);
    if (bucket + buckets > bucket_of_second(newest_second)) add_to(ring.bytes[bucket % buckets][dir], bytes);
  }

  /// Where the window read at as_of_ns begins: whole buckets before the one being filled.
  static constexpr uint64_t window_start_ns(uint64_t as_of_ns, SpeedWindow w) noexcept {
    const uint64_t current = as_of_ns / bucket_ns;
    return (current > window_buckets(w) ? current - window_buckets(w) : 0) * bucket_ns;
  }

  /// Payload bytes per second sent in direction dir, averaged over the window's whole
  /// buckets (10 s or 40 s) that end where the bucket holding as_of_ns starts.
  static uint64_t bytes_per_second(const AverageRings& ring, const SecondBytes& second_bytes, unsigned dir,
                                   uint64_t last_ts_ns, uint64_t as_of_ns, SpeedWindow w) noexcept {
    const unsigned k = window_buckets(w);
    const uint64_t newest_second = last_ts_ns / 1'000'000'000ull;
    const uint64_t newest = bucket_of_second(newest_second);
    const uint64_t current = as_of_ns / bucket_ns;
    if (current == 0) return 0;
    const uint64_t window_last = current - 1;
    const uint64_t window_first = current > k ? current - k : 0;
    uint64_t total = 0;
    for (uint64_t n = window_first; n <= window_last; ++n)
      if (n <= newest && n + buckets > newest) total += ring.bytes[n % buckets][dir];
    if (newest >= window_first && newest <= window_last) total += second_bytes[dir][newest_second & 1];
    return total * 1'000'000'000ull / (k * bucket_ns);
  }

 private:
  static void add_to(uint32_t& slot, uint32_t bytes) noexcept {
    slot = (slot > UINT32_MAX - bytes) ? UINT32_MAX : slot + bytes;  // 2 s past 4 GiB: 17 Gbit/s
  }
};

}  // namespace ringtrack::flow
