// Shard planning: connections per shard from --max-flows, and the CPU lists readers run on.
#include <gtest/gtest.h>

#include <algorithm>

#include "flow/flow_table.hpp"
#include "os/cpu_set.hpp"
#include "os/setup_error.hpp"
#include "runtime/shard_plan.hpp"

namespace ringtrack {
namespace {

TEST(ShardPlan, CapacityRoundsUpSoEveryFlowHasRoom) {
  EXPECT_EQ(runtime::capacity_per_shard(1 << 20, 1), 1u << 20);
  EXPECT_EQ(runtime::capacity_per_shard(1 << 20, 3), 349526u);  // 3 x 349526 >= 1048576
  EXPECT_EQ(runtime::capacity_per_shard(1, 16), 1u);
}

TEST(ShardPlan, CapacityOutOfTheTablesRangeIsOneLine) {
  EXPECT_THROW(runtime::capacity_per_shard(0, 4), SetupError);
  const uint64_t too_many = uint64_t(flow::FlowTable::max_capacity) * 2 + 1;
  EXPECT_THROW(runtime::capacity_per_shard(too_many, 2), SetupError);
  EXPECT_EQ(runtime::capacity_per_shard(too_many - 1, 2), flow::FlowTable::max_capacity);
  try {
    runtime::capacity_per_shard(0, 4);
  } catch (const SetupError& e) {
    EXPECT_STREQ(e.what(), "--max-flows 0 over 4 shards gives 0 per shard; allowed 1..16777215");
  }
}

TEST(CpuList, RangesAndSinglesWithinTheAllowedCpus) {
  const std::vector<int> allowed = {0, 1, 2, 3, 8, 10, 11};
  EXPECT_EQ(os::parse_cpu_list("0-3,8,10-11", allowed), allowed);
  EXPECT_EQ(os::parse_cpu_list("8", allowed), std::vector<int>{8});
}

TEST(CpuList, BadListsNameTheProblem) {
  const std::vector<int> allowed = {0, 1, 2, 3};
  for (const char* text : {"", "x", "3-1", "0;1", "4", "0-4"}) {
    EXPECT_THROW(os::parse_cpu_list(text, allowed), SetupError) << text;
  }
  try {
    os::parse_cpu_list("4", allowed);
  } catch (const SetupError& e) {
    EXPECT_STREQ(e.what(), "--cpus '4': CPU 4 is not available to this process");
  }
}

TEST(CpuList, AllowedCpusAreThoseThisProcessMayUse) {
  const std::vector<int> cpus = os::allowed_cpus();
  ASSERT_FALSE(cpus.empty());
  EXPECT_TRUE(std::is_sorted(cpus.begin(), cpus.end()));
}

}  // namespace
}  // namespace ringtrack
