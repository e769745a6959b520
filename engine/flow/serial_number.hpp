// Owns: comparing 32-bit TCP sequence numbers and TSvals, which wrap (RFC 1982 serial numbers).
// Does not own: what is compared (tcp_state, tcp_health, rtt_sampler).
#pragma once

#include <cstdint>

namespace ringtrack::flow {

/// a comes before b in serial-number order (within 2^31 of each other).
inline bool seq_before(uint32_t a, uint32_t b) noexcept { return int32_t(a - b) < 0; }
/// a is b or comes after it.
inline bool seq_at_or_after(uint32_t a, uint32_t b) noexcept { return int32_t(a - b) >= 0; }

/// Adds one to n unless it is at its type's largest value: counters that saturate.
template <class Count>
inline void bump(Count& n) noexcept {
  if (n != Count(~Count(0))) ++n;
}

}  // namespace ringtrack::flow
