// Owns: a condition as a mask the compiler cannot turn back into a branch, for selects
// whose condition is as random as the traffic (a third of segments are empty, in no order),
// where a mispredicted branch costs more than the work it would skip.
// Does not own: which selects need it (tcp_health).
#pragma once

#include <cstdint>

namespace ringtrack::flow {

/// All ones where cond holds, else zero. The empty asm hides the mask's origin: GCC
/// otherwise recognises `x & -cond` as a select and compiles it as a branch on cond
/// (bench/README.md, 2026-12-08).
inline uint32_t opaque_mask(bool cond) noexcept {
  uint32_t mask = -uint32_t(cond);
  asm("" : "+r"(mask));
  return mask;
}

}  // namespace ringtrack::flow
