// Tests number, time and endpoint formats and the column layout, without a terminal.
#include "frontend/display_format.hpp"

#include <gtest/gtest.h>

#include "fakes/packet_script.hpp"
#include "frontend/row_layout.hpp"

namespace ringtrack::testing {
namespace {

using namespace frontend;

TEST(DisplayFormat, SpeedsAsTcptrack) {
  EXPECT_EQ(format_speed(0), "0 B/s");
  EXPECT_EQ(format_speed(1023), "1023 B/s");
  EXPECT_EQ(format_speed(1024), "1 KB/s");
  EXPECT_EQ(format_speed(1024 * 1024 - 1), "1023 KB/s");  // truncated, not rounded
  EXPECT_EQ(format_speed(5 * 1024 * 1024 + 1), "5 MB/s");
  EXPECT_EQ(format_speed(3ull * 1024 * 1024 * 1024), "3 GB/s");
}

TEST(DisplayFormat, IdleWithHours) {
  EXPECT_EQ(format_idle(0), "0s");
  EXPECT_EQ(format_idle(59'999'999'999), "59s");
  EXPECT_EQ(format_idle(60 * sec), "1m");
  EXPECT_EQ(format_idle(3599 * sec), "59m");
  EXPECT_EQ(format_idle(3700 * sec), "1h");  // tcptrack 1.4.3 says 61m
  EXPECT_EQ(format_idle(50 * 3600 * sec), "50h");
}

TEST(DisplayFormat, Addresses) {
  EXPECT_EQ(format_endpoint(ipv4(10, 1, 2, 3), 80, false), "10.1.2.3:80");
  std::array<uint8_t, 16> v6{0x20, 0x01, 0x0d, 0xb8};
  v6[15] = 1;
  EXPECT_EQ(format_endpoint(v6, 443, true), "[2001:db8::1]:443");
  std::array<uint8_t, 16> shape{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1};
  EXPECT_EQ(format_address(shape, true), "2001:db8:1::1:0:1");  // RFC 5952: longest zero run
}

TEST(DisplayFormat, Timestamps) {
  EXPECT_EQ(format_unix_seconds(1'700'000'000'000'000'001ull), "1700000000.000000001");
  EXPECT_EQ(format_unix_seconds(5), "0.000000005");
  EXPECT_EQ(format_utc(1'700'000'000'123'000'000ull), "2023-11-14 22:13:20.123");
  EXPECT_EQ(format_bytes(1536), "1.5 KB");
  EXPECT_EQ(format_bytes(10), "10 B");
}

TEST(RowLayout, TcptrackPositionsAt80AndWider) {
  const ColumnLayout l80 = layout_columns(80, true, true);
  EXPECT_EQ(l80.client, 1);
  EXPECT_EQ(l80.server, 23);
  EXPECT_EQ(l80.state, 45);
  EXPECT_EQ(l80.idle, 58);
  EXPECT_EQ(l80.activity, 63);
  EXPECT_EQ(l80.speed, 65);
  EXPECT_EQ(l80.c2s_speed, -1);  // no room for optional columns
  const ColumnLayout wide = layout_columns(190, true, true);
  EXPECT_EQ(wide.endpoint, 47);  // an IPv6 endpoint fits on one row
  EXPECT_GT(wide.c2s_speed, wide.speed);
  EXPECT_GT(wide.s2c_bytes, wide.c2s_bytes);
  EXPECT_LE(wide.s2c_bytes + 12, 191);
}

TEST(RowLayout, LongEndpointsKeepTheirPort) {
  EXPECT_EQ(fit_endpoint("[2001:db8:aaaa:bbbb:cccc:dddd:eeee:1]:443", 21), "[2001:db8:aaaa:b~:443");
  EXPECT_EQ(fit_endpoint("10.0.0.1:80", 21), "10.0.0.1:80");
}

}  // namespace
}  // namespace ringtrack::testing
