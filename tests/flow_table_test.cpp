// Tests the flow table: insert, lookup, erase with arena moves, capacity, churn against a
// reference map, probe lengths; and the keyed hash.
#include "flow/flow_table.hpp"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>
#include <vector>

#include "flow/flow_hash.hpp"
#include "packet_script.hpp"

namespace ringtrack::testing {
namespace {

decode::FlowKey key_of(uint32_t n) {
  decode::FlowKey k{};
  decode::make_flow_key(k, ipv4(10, uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)), uint16_t(1024 + n % 50000),
                        ipv4(192, 0, 2, 1), 443, 0);
  return k;
}

TEST(FlowTable, InsertFindErase) {
  flow::FlowHasher hasher(7);
  flow::FlowTable table(100, false);
  for (uint32_t n = 0; n < 100; ++n) {
    const auto k = key_of(n);
    EXPECT_EQ(table.find(k, hasher(k)), flow::FlowTable::npos);
    const uint32_t i = table.insert(k, hasher(k));
    EXPECT_EQ(i, n);
    table.at(i).first_ts_ns = n;
  }
  EXPECT_TRUE(table.full());
  for (uint32_t n = 0; n < 100; ++n) {
    const auto k = key_of(n);
    const uint32_t i = table.find(k, hasher(k));
    ASSERT_NE(i, flow::FlowTable::npos);
    EXPECT_EQ(table.at(i).first_ts_ns, n);
  }
  // Erase from the middle: the last record moves into the hole and stays findable.
  const auto victim = key_of(10);
  table.erase(table.find(victim, hasher(victim)), hasher(victim), hasher);
  EXPECT_EQ(table.size(), 99u);
  EXPECT_EQ(table.find(victim, hasher(victim)), flow::FlowTable::npos);
  const auto moved = key_of(99);
  EXPECT_EQ(table.find(moved, hasher(moved)), 10u);
  EXPECT_EQ(table.at(10).first_ts_ns, 99u);
}

TEST(FlowTable, ChurnMatchesAReferenceMap) {
  flow::FlowHasher hasher(99);
  constexpr uint32_t capacity = 5000;
  flow::FlowTable table(capacity, true);
  std::unordered_map<uint32_t, uint64_t> reference;  // key number -> payload
  std::mt19937 rng(1);
  for (int step = 0; step < 400000; ++step) {
    const uint32_t n = uint32_t(rng() % 20000);
    const auto k = key_of(n);
    const uint64_t h = hasher(k);
    const uint32_t i = table.find(k, h);
    auto it = reference.find(n);
    ASSERT_EQ(i != flow::FlowTable::npos, it != reference.end()) << step;
    if (i != flow::FlowTable::npos) {
      ASSERT_EQ(table.at(i).last_ts_ns, it->second);
      ASSERT_EQ(table.fast_rates(i)->bytes[0][0], uint32_t(it->second));
      if (rng() % 2) {
        table.erase(i, h, hasher);
        reference.erase(it);
      }
    } else if (!table.full()) {
      const uint32_t j = table.insert(k, h);
      table.at(j).last_ts_ns = step;
      table.fast_rates(j)->bytes[0][0] = uint32_t(step);
      reference[n] = uint64_t(step);
    }
  }
  EXPECT_EQ(table.size(), reference.size());
  const auto histogram = table.probe_length_histogram();
  uint64_t total = 0;
  for (uint64_t c : histogram) total += c;
  EXPECT_EQ(total, table.size());
  // At load <= 1/2 with backward-shift deletion, long probes stay rare after churn.
  EXPECT_LT(histogram[16], table.size() / 100 + 1);
}

TEST(FlowTable, RejectsCapacityBeyondIndexBits) {
  EXPECT_THROW(flow::FlowTable(0, false), std::invalid_argument);
  EXPECT_THROW(flow::FlowTable(flow::FlowTable::max_capacity + 1, false), std::invalid_argument);
}

TEST(FlowHash, SameKeySameHashBothDirections) {
  flow::FlowHasher hasher(5);
  decode::FlowKey forward{}, backward{};
  decode::make_flow_key(forward, ipv4(10, 0, 0, 1), 40000, ipv4(10, 0, 0, 2), 80, 0);
  decode::make_flow_key(backward, ipv4(10, 0, 0, 2), 80, ipv4(10, 0, 0, 1), 40000, 0);
  EXPECT_EQ(forward, backward);
  EXPECT_EQ(hasher(forward), hasher(backward));
  EXPECT_NE(flow::FlowHasher(6)(forward), hasher(forward));
}

TEST(FlowHash, KeysCraftedToCollideForOneSeedSpreadUnderAnother) {
  // An attacker who knew the seed could pick keys that all land in one home region of a
  // table and make every lookup probe a long cluster. Find such keys for a fixed seed...
  constexpr uint64_t slots = 1 << 16;
  const flow::FlowHasher known(1234);
  auto home = [&](const flow::FlowHasher& h, const decode::FlowKey& k) { return ((h(k) >> 32) * slots) >> 32; };
  std::vector<decode::FlowKey> crafted;
  for (uint32_t n = 0; crafted.size() < 200 && n < (1u << 24); ++n) {
    const auto k = key_of(n);
    if (home(known, k) < 4) crafted.push_back(k);
  }
  ASSERT_EQ(crafted.size(), 200u);
  // ...then under other seeds (a run's seed is random; fixed ones here, so the test gives
  // the same answer every run) they spread over the table like any keys...
  for (uint64_t seed = 1; seed <= 32; ++seed) {
    const flow::FlowHasher other(seed * 0x9e3779b97f4a7c15ull | 1ull << 40);
    std::vector<uint64_t> homes;
    for (const auto& k : crafted) homes.push_back(home(other, k));
    std::sort(homes.begin(), homes.end());
    const auto distinct = std::unique(homes.begin(), homes.end()) - homes.begin();
    EXPECT_GT(distinct, 190) << "seed " << seed;

    // ...and a table filled with them has short probes. Linear probing at this load
    // leaves a few keys 8 or more slots from home: 0 to 4 under these seeds, but a random
    // seed once gave 10 and failed CI against a bound of 10. An attack gives over 100.
    flow::FlowTable table(200, false);
    for (const auto& k : crafted) table.insert(k, other(k));
    const auto histogram = table.probe_length_histogram();
    uint64_t long_probes = 0;
    for (unsigned d = 8; d < histogram.size(); ++d) long_probes += histogram[d];
    EXPECT_LT(long_probes, 20u) << "seed " << seed;
  }
  // Under the known seed the same keys form one cluster with long probes.
  flow::FlowTable attacked(200, false);
  for (const auto& k : crafted) attacked.insert(k, known(k));
  EXPECT_GT(attacked.probe_length_histogram()[16], 100u);
}

}  // namespace
}  // namespace ringtrack::testing
