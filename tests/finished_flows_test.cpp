// Tests the finished-identity cache: remember, run out, forget, and its fixed size (the
// oldest memory of a bucket goes first).
#include "flow/finished_flows.hpp"

#include <gtest/gtest.h>

#include "flow/flow_hash.hpp"
#include "packet_script.hpp"

namespace ringtrack::testing {
namespace {

decode::FlowKey key_of(uint16_t client_port) {
  decode::FlowKey key{};
  decode::make_flow_key(key, ipv4(10, 0, 0, 1), client_port, ipv4(10, 0, 1, 1), 80, 0);
  return key;
}

TEST(FinishedFlows, HoldsAKeyUntilItsTimeRunsOut) {
  flow::FinishedFlows finished(64);
  const flow::FlowHasher hasher(7);
  const auto key = key_of(40000);
  EXPECT_FALSE(finished.holds(key, hasher(key), t0));
  finished.remember(key, hasher(key), t0 + 60 * sec);
  EXPECT_TRUE(finished.holds(key, hasher(key), t0));
  EXPECT_TRUE(finished.holds(key, hasher(key), t0 + 60 * sec - 1));
  EXPECT_FALSE(finished.holds(key, hasher(key), t0 + 61 * sec));
  EXPECT_FALSE(finished.holds(key_of(40001), hasher(key_of(40001)), t0));
}

TEST(FinishedFlows, ForgetsAKeyANewConnectionStartedOn) {
  flow::FinishedFlows finished(64);
  const flow::FlowHasher hasher(7);
  const auto key = key_of(40000);
  finished.remember(key, hasher(key), t0 + 60 * sec);
  finished.forget(key, hasher(key));
  EXPECT_FALSE(finished.holds(key, hasher(key), t0));
}

TEST(FinishedFlows, FixedSizeKeepsTheNewestOfEachBucket) {
  flow::FinishedFlows finished(64);
  EXPECT_EQ(finished.key_capacity(), 64u);
  EXPECT_EQ(finished.footprint_bytes(), 16u * sizeof(flow::FinishedFlows::Bucket));
  const flow::FlowHasher hasher(7);
  // Ten times the capacity, each remembered a second after the one before.
  constexpr uint16_t keys = 640;
  for (uint16_t i = 0; i < keys; ++i) {
    const auto key = key_of(uint16_t(20000 + i));
    finished.remember(key, hasher(key), t0 + (60 + i) * sec);
  }
  unsigned held = 0, newest_held = 0;
  for (uint16_t i = 0; i < keys; ++i) {
    const auto key = key_of(uint16_t(20000 + i));
    if (!finished.holds(key, hasher(key), t0)) continue;
    ++held;
    if (i >= keys - 4) ++newest_held;
  }
  EXPECT_EQ(held, 64u);         // every way filled, none more
  EXPECT_EQ(newest_held, 4u);  // a bucket's four newest stay: the last four keys are among them
}

TEST(FinishedFlows, RunOutMemoriesAreReplacedBeforeLiveOnes) {
  flow::FinishedFlows finished(4);  // one bucket of four ways
  const flow::FlowHasher hasher(7);
  for (uint16_t i = 0; i < 4; ++i) finished.remember(key_of(i), hasher(key_of(i)), t0 + (i == 2 ? 1 : 100) * sec);
  finished.remember(key_of(9), hasher(key_of(9)), t0 + 100 * sec);
  EXPECT_FALSE(finished.holds(key_of(2), hasher(key_of(2)), t0));  // ended first: replaced
  for (const uint16_t i : {uint16_t(0), uint16_t(1), uint16_t(3), uint16_t(9)})
    EXPECT_TRUE(finished.holds(key_of(i), hasher(key_of(i)), t0)) << i;
}

}  // namespace
}  // namespace ringtrack::testing
