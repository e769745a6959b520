// Owns: the finished-identity cache's lookups and replacement.
// Does not own: when a connection counts as finished (flow_shard).
#include "flow/finished_flows.hpp"

#include <bit>

namespace ringtrack::flow {

namespace {

constexpr uint64_t ns_per_s = 1'000'000'000;

}  // namespace

FinishedFlows::FinishedFlows(uint32_t max_keys) {
  const uint32_t buckets = std::bit_floor(max_keys / ways > 0 ? max_keys / ways : 1u);
  _memory = os::ZeroedMemory(std::size_t(buckets) * sizeof(Bucket));
  _buckets = static_cast<Bucket*>(_memory.get());
  _mask = buckets - 1;
}

unsigned FinishedFlows::way_of(const Bucket& b, const decode::FlowKey& key, uint32_t tag) noexcept {
  for (unsigned w = 0; w < ways; ++w)
    if (b.tag[w] == tag && b.key[w] == key) return w;
  return ways;
}

void FinishedFlows::remember(const decode::FlowKey& key, uint64_t hash, uint64_t until_ns) noexcept {
  Bucket& b = bucket_of(hash);
  const uint32_t tag = tag_of(hash);
  // Rounded up to whole seconds: the memory lasts at least as long as asked.
  const uint64_t until_s = until_ns / ns_per_s + 1;
  const uint32_t until = until_s > UINT32_MAX ? UINT32_MAX : uint32_t(until_s);
  unsigned way = way_of(b, key, tag);
  if (way == ways) {
    // The way that ends first: an empty one (ends at 0), else a run-out one, else the oldest.
    const auto ends = [&](unsigned w) { return b.tag[w] == 0 ? 0u : b.until_s[w]; };
    way = 0;
    for (unsigned w = 1; w < ways; ++w)
      if (ends(w) < ends(way)) way = w;
  }
  b.tag[way] = tag;
  b.until_s[way] = until;
  b.key[way] = key;
}

bool FinishedFlows::holds(const decode::FlowKey& key, uint64_t hash, uint64_t now_ns) const noexcept {
  const Bucket& b = bucket_of(hash);
  const unsigned way = way_of(b, key, tag_of(hash));
  return way != ways && now_ns / ns_per_s < b.until_s[way];
}

void FinishedFlows::forget(const decode::FlowKey& key, uint64_t hash) noexcept {
  Bucket& b = bucket_of(hash);
  const unsigned way = way_of(b, key, tag_of(hash));
  if (way != ways) b.tag[way] = 0;
}

}  // namespace ringtrack::flow
