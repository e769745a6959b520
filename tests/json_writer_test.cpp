// Tests the NDJSON row text: timestamps against printf, numbers against to_string and
// addresses against inet_ntop, row after row, so reused text never leaks from one row into
// the next.
#include "frontend/batch/json_writer.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace ringtrack::testing {
namespace {

using namespace frontend;

std::string field(const std::string& row, const std::string& name) {
  const std::string key = "\"" + name + "\":";
  const std::size_t at = row.find(key);
  if (at == std::string::npos) return "<missing>";
  const std::size_t start = at + key.size();
  return row.substr(start, row.find_first_of(",}", start) - start);
}

std::string unix_seconds(uint64_t ts_ns) {
  char text[32];
  std::snprintf(text, sizeof text, "%" PRIu64 ".%09" PRIu64, ts_ns / 1'000'000'000, ts_ns % 1'000'000'000);
  return text;
}

std::vector<std::string> write_rows(const std::vector<flow::ConnView>& views) {
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  {
    OutputStream out(::fileno(file));
    JsonWriter writer(out);
    for (const flow::ConnView& v : views) writer.row(v, runtime::RowKind::final);
  }
  std::rewind(file);
  std::vector<std::string> rows;
  char line[4096];
  while (std::fgets(line, sizeof line, file)) rows.emplace_back(line);
  std::fclose(file);
  return rows;
}

TEST(JsonWriter, VlanListsEveryIdOfTheStack) {
  flow::ConnView v{};
  EXPECT_EQ(field(write_rows({v})[0], "vlan"), "[]");
  v.vlan_depth = 3;
  v.vlan_ids[0] = 4095;
  v.vlan_ids[1] = 20;
  v.vlan_ids[2] = 3;
  const std::string row = write_rows({v})[0];
  EXPECT_NE(row.find("\"vlan\":[4095,20,3]"), std::string::npos) << row;
}

TEST(JsonWriter, SpeedPartialSaysTheWindowBeganBeforeTheConnection) {
  flow::ConnView v{};
  EXPECT_EQ(field(write_rows({v})[0], "speed_partial"), "false");
  v.flags = flow::view_flag::speed_partial;
  EXPECT_EQ(field(write_rows({v})[0], "speed_partial"), "true");
}

TEST(JsonWriter, TunnelIsNullOrItsKindAndId) {
  flow::ConnView v{};
  EXPECT_EQ(field(write_rows({v})[0], "tunnel"), "null");
  v.tunnel.kind = decode::TunnelKind::vxlan;
  v.tunnel.id = 0x00c0ffee;
  std::string row = write_rows({v})[0];
  // A tunnel the shard's book lost: kind and id.
  EXPECT_NE(row.find("\"vlan\":[],\"tunnel\":{\"kind\":\"vxlan\",\"id\":\"00c0ffee\"},\"state\""), std::string::npos)
      << row;
  v.tunnel.outer_family = 4;
  v.tunnel.outer_a = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 172, 16, 0, 1};
  v.tunnel.outer_b = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 172, 16, 0, 2};
  v.tunnel.key_kind = decode::TunnelKeyKind::vni;
  v.tunnel.key = 100;
  row = write_rows({v})[0];
  EXPECT_NE(row.find("\"tunnel\":{\"kind\":\"vxlan\",\"id\":\"00c0ffee\",\"outer\":[\"172.16.0.1\",\"172.16.0.2\"],"
                     "\"vni\":100},"),
            std::string::npos)
      << row;
  v.tunnel.kind = decode::TunnelKind::gtpu;
  v.tunnel.key_kind = decode::TunnelKeyKind::teid;
  v.tunnel.teid = {7, 0};
  v.tunnel.teid_seen = 1;
  row = write_rows({v})[0];
  EXPECT_NE(row.find("\"teid\":[7,null]}"), std::string::npos) << row;
}

TEST(JsonWriter, TimestampsAndCountersRowAfterRow) {
  std::mt19937_64 rng(11);
  std::vector<flow::ConnView> views;
  const uint64_t second = 1'000'000'000ull;
  // Same instant twice, same second with another fraction, a new second, a second whose
  // digit count differs, zero, and random ones.
  const std::vector<uint64_t> instants = {1'700'000'000 * second + 5, 1'700'000'000 * second + 5,
                                          1'700'000'000 * second + 999'999'999, 1'700'000'001 * second,
                                          999'999'999 * second + 1, 0, 9 * second + 123};
  for (std::size_t i = 0; i < 200; ++i) {
    flow::ConnView v{};
    v.client_addr[10] = v.client_addr[11] = v.server_addr[10] = v.server_addr[11] = 0xff;
    v.client_addr[15] = uint8_t(i);
    v.client_addr[13] = uint8_t(rng());
    v.server_addr[12] = uint8_t(rng());
    v.client_port = uint16_t(rng());
    v.server_port = 443;
    const auto pick = [&] { return i < instants.size() ? instants[i] : rng() % (4'000'000'000ull * second); };
    v.first_ts_ns = pick();
    v.last_ts_ns = i % 3 ? v.first_ts_ns : pick();
    v.as_of_ns = i % 5 ? 1'700'000'100 * second : pick();
    v.packets[0] = rng() >> (rng() % 64);
    v.wire_bytes[1] = rng();
    v.speed_bytes_per_s[0] = i;
    views.push_back(v);
  }
  const std::vector<std::string> rows = write_rows(views);
  ASSERT_EQ(rows.size(), views.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const flow::ConnView& v = views[i];
    SCOPED_TRACE(rows[i]);
    EXPECT_EQ(field(rows[i], "first_ts"), unix_seconds(v.first_ts_ns));
    EXPECT_EQ(field(rows[i], "last_ts"), unix_seconds(v.last_ts_ns));
    EXPECT_EQ(field(rows[i], "as_of"), unix_seconds(v.as_of_ns));
    EXPECT_EQ(field(rows[i], "c2s_packets"), std::to_string(v.packets[0]));
    EXPECT_EQ(field(rows[i], "s2c_bytes"), std::to_string(v.wire_bytes[1]));
    char client_ip[INET_ADDRSTRLEN];
    ::inet_ntop(AF_INET, v.client_addr.data() + 12, client_ip, sizeof client_ip);  // IPv4-mapped
    EXPECT_EQ(field(rows[i], "client_ip"), "\"" + std::string(client_ip) + "\"");
    EXPECT_EQ(field(rows[i], "speed"), std::to_string(i));
  }
}

}  // namespace
}  // namespace ringtrack::testing
