// Owns: the keyed hash of a FlowKey, seeded once per run.
// Does not own: how the table or the shard picker use the bits (flow_table, shard_picker).
#pragma once

#include <cstdint>

#include "decode/flow_key.hpp"

namespace ringtrack::flow {

/// A keyed multiply-mix hash over the key's five words and 16-bit tail. The secrets come from a random
/// per-run seed, so keys crafted to collide for one run spread out in the next (hash
/// flooding). Stateless after construction: any thread may call it.
class FlowHasher {
 public:
  explicit FlowHasher(uint64_t seed) noexcept;

  uint64_t operator()(const decode::FlowKey& key) const noexcept {
    const uint64_t left = mix(key.word(0) ^ _secret[0], key.word(1) ^ _secret[1]);
    const uint64_t right = mix(key.word(2) ^ _secret[2], key.word(3) ^ _secret[3]);
    // The 16-bit tail joins word 4's multiplier: a different tail changes the product.
    const uint64_t tail = mix(key.word(4) ^ _secret[4], left ^ _secret[5] ^ key.tail());
    return mix(tail ^ right, _secret[6]);
  }

 private:
  // 64x64 -> 128-bit multiply folded to 64 bits: every input bit reaches the middle bits.
  __extension__ using u128 = unsigned __int128;
  static uint64_t mix(uint64_t a, uint64_t b) noexcept {
    const u128 r = static_cast<u128>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
  }

  uint64_t _secret[7];
};

static_assert(sizeof(decode::FlowKey) == 5 * sizeof(uint64_t) + sizeof(uint16_t), "five words and a tail");

/// Which of shard_count shards owns a flow: the hash's low 32 bits scaled to the range
/// (the table uses the high bits, so a shard's keys still spread over its whole table).
inline uint32_t shard_of(uint64_t flow_hash, uint32_t shard_count) noexcept {
  return static_cast<uint32_t>((uint64_t(uint32_t(flow_hash)) * shard_count) >> 32);
}

}  // namespace ringtrack::flow
