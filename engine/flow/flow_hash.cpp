// Owns: deriving the hash secrets from the run's seed.
// Does not own: choosing the seed (runtime).
#include "flow/flow_hash.hpp"

namespace ringtrack::flow {
namespace {

// splitmix64: spreads one seed into independent, well-mixed secrets.
uint64_t next_secret(uint64_t& state) noexcept {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

FlowHasher::FlowHasher(uint64_t seed) noexcept {
  uint64_t state = seed;
  for (uint64_t& s : _secret) s = next_secret(state) | 1;  // odd: a multiply by it is a bijection
}

}  // namespace ringtrack::flow
