// Tests the plain-text batch rows: tcptrack's columns, alignment, the endpoint columns
// widening (with a new header) when an IPv6 endpoint appears.
#include "frontend/batch/text_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

namespace ringtrack::testing {
namespace {

using namespace frontend;

flow::ConnView view_v4(uint8_t last_octet, uint16_t port) {
  flow::ConnView v{};
  v.client_addr[10] = v.client_addr[11] = v.server_addr[10] = v.server_addr[11] = 0xff;
  v.client_addr[12] = 10, v.client_addr[15] = last_octet;
  v.server_addr[12] = 192, v.server_addr[13] = 0, v.server_addr[14] = 2, v.server_addr[15] = 80;
  v.client_port = port;
  v.server_port = 443;
  v.state = flow::TcpState::established;
  return v;
}

std::string write_rows(const std::vector<std::pair<flow::ConnView, runtime::RowKind>>& rows) {
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  {
    OutputStream out(::fileno(file));
    TextWriter writer(out);
    writer.begin_report(1'700'000'000'000'000'000ull, true);
    for (const auto& [view, kind] : rows) writer.row(view, kind);
  }
  std::rewind(file);
  std::string text;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, file)) > 0) text.append(buf, n);
  std::fclose(file);
  return text;
}

TEST(TextWriter, ColumnsAlignAndWidenForIpv6) {
  const uint64_t second = 1'000'000'000ull;
  flow::ConnView a = view_v4(7, 40000);
  a.as_of_ns = 1'700'000'000 * second;
  a.last_ts_ns = a.as_of_ns - 5 * second;  // idle 5s
  a.speed_bytes_per_s[0] = 3000;           // 2 KB/s (1024-based, truncated)
  a.packets[0] = 12;
  a.wire_bytes[0] = 3456;
  a.packets[1] = 9;
  a.wire_bytes[1] = 123456789012ull;
  a.rtt_us[0] = 250;     // the path to the client and back
  a.rtt_us[1] = 36'900;  // the path to the server and back: 37.15 ms end to end
  a.retrans[0] = 2;
  a.retrans[1] = 1;

  flow::ConnView b = view_v4(200, 5);
  b.vlan_depth = 2;
  b.vlan_ids[0] = 100;
  b.vlan_ids[1] = 4095;
  b.state = flow::TcpState::syn_ack_ack;
  b.as_of_ns = 1'700'000'000 * second;
  b.last_ts_ns = b.as_of_ns - 7200 * second;  // idle 2h
  b.end = flow::EndReason::evicted;

  flow::ConnView c{};
  c.flags = flow::view_flag::ipv6;
  // 2001:db8:1:2:3:4:5:6, wider than any IPv4 endpoint
  c.client_addr = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6};
  c.server_addr[15] = 1;  // ::1
  c.client_port = 65535;
  c.server_port = 80;
  c.state = flow::TcpState::reset;
  c.as_of_ns = c.last_ts_ns = 1'700'000'000 * second;
  c.speed_bytes_per_s[1] = 5ull * 1024 * 1024 * 1024;  // 5 GB/s
  c.rtt_us[1] = 900;  // one path sampled only: no end-to-end figure

  const std::string text =
      write_rows({{a, runtime::RowKind::final}, {b, runtime::RowKind::removed}, {c, runtime::RowKind::interim}});
  const std::string expected =
      "# final report, capture time 2023-11-14 22:13:20.000 UTC\n"
      "Client                Server                VLAN      State         Idle      Speed   C>S pkts     C>S bytes   S>C pkts     S>C bytes  RTT ms   Retr End\n"
      "10.0.0.7:40000        192.0.2.80:443        -         ESTABLISHED     5s     2 KB/s         12          3456          9  123456789012      37      3 input-ended\n"
      "10.0.0.200:5          192.0.2.80:443        100.4095  SYN|ACK-ACK     2h      0 B/s          0             0          0             0       -      0 evicted\n"
      "Client                       Server                       VLAN      State         Idle      Speed   C>S pkts     C>S bytes   S>C pkts     S>C bytes  RTT ms   Retr End\n"
      "[2001:db8:1:2:3:4:5:6]:65535 [::1]:80                     -         RESET           0s     5 GB/s          0             0          0             0       -      0 active\n";
  EXPECT_EQ(text, expected);
}

TEST(TextWriter, DeepVlanStacksWidenTheirColumn) {
  flow::ConnView a = view_v4(7, 40000);
  a.vlan_depth = 2;
  a.vlan_ids[0] = 4095;
  a.vlan_ids[1] = 4095;
  flow::ConnView b = view_v4(8, 40000);
  b.vlan_depth = 8;
  for (uint16_t i = 0; i < 8; ++i) b.vlan_ids[i] = uint16_t(4088 + i);
  const std::string text = write_rows({{a, runtime::RowKind::final}, {b, runtime::RowKind::final}, {a, runtime::RowKind::final}});
  const std::string stack = "4088.4089.4090.4091.4092.4093.4094.4095";
  EXPECT_NE(text.find("10.0.0.7:40000        192.0.2.80:443        4095.4095 ESTABLISHED"), std::string::npos) << text;
  EXPECT_NE(text.find("VLAN" + std::string(stack.size() - 4, ' ') + " State"), std::string::npos) << text;
  EXPECT_NE(text.find(stack + " ESTABLISHED"), std::string::npos) << text;
  EXPECT_NE(text.find("4095.4095" + std::string(stack.size() - 9, ' ') + " ESTABLISHED"), std::string::npos) << text;
}

TEST(TextWriter, PartialSpeedIsMarked) {
  flow::ConnView a = view_v4(7, 40000);
  a.speed_bytes_per_s[0] = 3000;
  flow::ConnView b = a;
  b.flags = flow::view_flag::speed_partial;
  const std::string text = write_rows({{a, runtime::RowKind::final}, {b, runtime::RowKind::final}});
  EXPECT_NE(text.find("  2 KB/s "), std::string::npos) << text;
  EXPECT_NE(text.find(" ~2 KB/s "), std::string::npos) << text;
}

TEST(TextWriter, TunnelFollowsTheEndNote) {
  flow::ConnView a = view_v4(7, 40000);
  a.tunnel.kind = decode::TunnelKind::gtpu;
  a.tunnel.id = 0x58769ad8;
  flow::ConnView b = a;
  b.tunnel.outer_family = 6;
  b.tunnel.outer_a[15] = 1;
  b.tunnel.outer_b[0] = 0x20;
  b.tunnel.outer_b[1] = 0x01;
  b.tunnel.outer_b[15] = 2;
  b.tunnel.key_kind = decode::TunnelKeyKind::teid;
  b.tunnel.teid = {0, 0xbf2e};
  b.tunnel.teid_seen = 2;
  const std::string text = write_rows({{a, runtime::RowKind::final}, {b, runtime::RowKind::final}});
  EXPECT_NE(text.find(" input-ended tunnel gtpu#58769ad8\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" input-ended tunnel gtpu#58769ad8 ::1-2001::2 teid -,0xbf2e\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace ringtrack::testing
