// Tests the default ring size by link speed: 64 MiB at 10 Gb/s and faster or unknown,
// the same time's worth below, never under 16 MiB.
#include "runtime/ring_size.hpp"

#include <gtest/gtest.h>

namespace ringtrack::testing {
namespace {

constexpr uint64_t mib = 1ull << 20;

TEST(RingSize, FullAtTenGigabitAndFasterOrUnknown) {
  EXPECT_EQ(runtime::ring_bytes_for_link(0), 64 * mib);
  EXPECT_EQ(runtime::ring_bytes_for_link(10'000), 64 * mib);
  EXPECT_EQ(runtime::ring_bytes_for_link(100'000), 64 * mib);
}

TEST(RingSize, ScalesWithSlowerLinksDownToTheFloor) {
  EXPECT_EQ(runtime::ring_bytes_for_link(5'000), 32 * mib);
  EXPECT_EQ(runtime::ring_bytes_for_link(2'500), 16 * mib);
  EXPECT_EQ(runtime::ring_bytes_for_link(4'000), 26 * mib);  // 25.6, rounded up
  EXPECT_EQ(runtime::ring_bytes_for_link(1'000), 16 * mib);
  EXPECT_EQ(runtime::ring_bytes_for_link(100), 16 * mib);
  EXPECT_EQ(runtime::ring_bytes_for_link(10), 16 * mib);
}

}  // namespace
}  // namespace ringtrack::testing
