// Tests number, time and endpoint formats and the column layout, without a terminal.
#include "frontend/display_format.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <random>
#include <string>

#include "flow/address_text.hpp"
#include "frontend/decimal_text.hpp"
#include "frontend/screen/row_layout.hpp"
#include "packet_script.hpp"

namespace ringtrack::testing {
namespace {

using namespace frontend;

std::string speed_text(uint64_t bytes_per_s) {
  char buf[32];
  return std::string(buf, write_speed(buf, bytes_per_s));
}

TEST(DisplayFormat, SpeedsAsTcptrack) {
  EXPECT_EQ(speed_text(0), "0 B/s");
  EXPECT_EQ(speed_text(1023), "1023 B/s");
  EXPECT_EQ(speed_text(1024), "1 KB/s");
  EXPECT_EQ(speed_text(1024 * 1024 - 1), "1023 KB/s");  // truncated, not rounded
  EXPECT_EQ(speed_text(5 * 1024 * 1024 + 1), "5 MB/s");
  EXPECT_EQ(speed_text(3ull * 1024 * 1024 * 1024), "3 GB/s");
}

// The screen's speeds: three significant digits, truncated (2.38 MB/s used to read 2 MB/s).
TEST(DisplayFormat, ScreenRatesWithThreeSignificantDigits) {
  EXPECT_EQ(format_rate(0, false), "0 B/s");
  EXPECT_EQ(format_rate(1023, false), "1023 B/s");
  EXPECT_EQ(format_rate(1024, false), "1.00 KB/s");
  EXPECT_EQ(format_rate(32000, false), "31.2 KB/s");
  EXPECT_EQ(format_rate(1024 * 1024 - 1, false), "1023 KB/s");  // truncated: never "1024 KB/s"
  EXPECT_EQ(format_rate(uint64_t(2.389 * 1024 * 1024), false), "2.38 MB/s");
  EXPECT_EQ(format_rate(10 * 1024 * 1024 - 1, false), "9.99 MB/s");  // not "10.00"
  EXPECT_EQ(format_rate(3ull * 1024 * 1024 * 1024, false), "3.00 GB/s");
  EXPECT_EQ(format_rate(UINT64_MAX, false), "16383 PB/s");
  // Bits: 1000-based, as iftop and link speeds count.
  EXPECT_EQ(format_rate(124, true), "992 bit/s");
  EXPECT_EQ(format_rate(125, true), "1.00 kbit/s");
  EXPECT_EQ(format_rate(32000, true), "256 kbit/s");
  EXPECT_EQ(format_rate(1'250'000'000, true), "10.0 Gbit/s");
  EXPECT_LE(format_rate(999'999'999, true).size(), 11u);  // fits a 12-column speed column
}

TEST(DisplayFormat, RttInMillisecondsWithTwoSignificantDigits) {
  EXPECT_EQ(format_rtt_ms(0), "-");  // no sample
  EXPECT_EQ(format_rtt_ms(5), "0.005");
  EXPECT_EQ(format_rtt_ms(52), "0.052");
  EXPECT_EQ(format_rtt_ms(999), "0.99");  // truncated, not rounded
  EXPECT_EQ(format_rtt_ms(1234), "1.2");
  EXPECT_EQ(format_rtt_ms(9999), "9.9");
  EXPECT_EQ(format_rtt_ms(10'000), "10");
  EXPECT_EQ(format_rtt_ms(1'250'400), "1250");
}

// The Retr column's counts: six characters at most.
TEST(DisplayFormat, CountsExactBelowAMillion) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999'999), "999999");
  EXPECT_EQ(format_count(1'000'000), "1.00M");
  EXPECT_EQ(format_count(12'345'678), "12.3M");
  EXPECT_EQ(format_count(2 * uint64_t(UINT32_MAX)), "8.58G");  // both directions saturated
  EXPECT_LE(format_count(UINT64_MAX).size(), 6u);
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
  char text[flow::address_text_room];
  EXPECT_EQ(std::string(text, flow::write_address(text, shape, true)), "2001:db8:1::1:0:1");  // RFC 5952: longest zero run
}

std::string reference_decimal(uint64_t v) {
  char buf[24];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string fast_decimal(uint64_t v) {
  char buf[24];
  return std::string(buf, write_decimal(buf, v));
}

TEST(DisplayFormat, VlanStacksOutermostFirst) {
  flow::ConnView v{};
  char buf[40];
  EXPECT_EQ(std::string(buf, write_vlan(buf, v)), "");
  v.vlan_depth = 3;
  v.vlan_ids[0] = 4095;
  v.vlan_ids[1] = 4094;
  v.vlan_ids[2] = 4093;
  EXPECT_EQ(std::string(buf, write_vlan(buf, v)), "4095.4094.4093");
  v.vlan_depth = 8;  // the deepest stack: 39 of write_vlan's 40 characters
  for (unsigned i = 3; i < 8; ++i) v.vlan_ids[i] = uint16_t(4095 - i);
  EXPECT_EQ(std::string(buf, write_vlan(buf, v)), "4095.4094.4093.4092.4091.4090.4089.4088");
}

TEST(DecimalText, AgreesWithToCharsAtEveryLengthBoundaryAndAtRandom) {
  std::vector<uint64_t> values = {0, UINT64_MAX, UINT64_MAX - 1};
  // Powers of ten worked out here, not taken from the writer's own table.
  uint64_t p = 1;
  for (int digits = 1; digits <= 20; ++digits) {
    for (uint64_t v : {p - 1, p, p + 1}) values.push_back(v);
    if (digits < 20) p *= 10;
  }
  for (unsigned bit = 0; bit < 64; ++bit)
    for (uint64_t v : {(uint64_t(1) << bit) - 1, uint64_t(1) << bit}) values.push_back(v);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) values.push_back(rng() >> (rng() % 64));
  for (uint64_t v : values) {
    ASSERT_EQ(fast_decimal(v), reference_decimal(v)) << v;
    ASSERT_EQ(decimal_length(v), reference_decimal(v).size()) << v;
  }
}

TEST(DecimalText, ZeroPaddedFraction) {
  char buf[16];
  EXPECT_EQ(std::string(buf, write_zero_padded(buf, 5, 9)), "000000005");
  EXPECT_EQ(std::string(buf, write_zero_padded(buf, 999999999, 9)), "999999999");
  EXPECT_EQ(std::string(buf, write_zero_padded(buf, 0, 9)), "000000000");
  EXPECT_EQ(std::string(buf, write_zero_padded(buf, 120000, 9)), "000120000");
}

TEST(DisplayFormat, Timestamps) {
  std::string seconds = "a";
  append_unix_seconds(seconds, 1'700'000'000'000'000'001ull);
  EXPECT_EQ(seconds, "a1700000000.000000001");  // appended
  seconds.clear();
  append_unix_seconds(seconds, 5);
  EXPECT_EQ(seconds, "0.000000005");
  EXPECT_EQ(format_utc(1'700'000'000'123'000'000ull), "2023-11-14 22:13:20.123");
  EXPECT_EQ(format_bytes(1536), "1.50 KB");
  EXPECT_EQ(format_bytes(30106), "29.4 KB");
  EXPECT_EQ(format_bytes(1023 * 1024 + 1023), "1023 KB");
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
  EXPECT_EQ(l80.rtt, -1);
  EXPECT_EQ(l80.retrans, -1);
  const ColumnLayout wide = layout_columns(194, true, true);
  EXPECT_EQ(wide.endpoint, 47);  // an IPv6 endpoint fits on one row
  EXPECT_GT(wide.c2s_speed, wide.speed);
  EXPECT_GT(wide.s2c_bytes, wide.c2s_bytes);
  EXPECT_EQ(wide.rtt, wide.s2c_bytes + 12);  // the health columns end the row
  EXPECT_EQ(wide.retrans, wide.rtt + 7);
  EXPECT_LE(wide.retrans + 6, 194);
  // Narrower, the endpoints give up room before the health columns do.
  const ColumnLayout narrower = layout_columns(190, true, true);
  EXPECT_EQ(narrower.endpoint, 45);
  EXPECT_GE(narrower.retrans, 0);
}

TEST(RowLayout, LongEndpointsKeepTheirPort) {
  EXPECT_EQ(fit_endpoint("[2001:db8:aaaa:bbbb:cccc:dddd:eeee:1]:443", 21), "[2001:db8:aaaa:b~:443");
  EXPECT_EQ(fit_endpoint("10.0.0.1:80", 21), "10.0.0.1:80");
}

}  // namespace
}  // namespace ringtrack::testing
