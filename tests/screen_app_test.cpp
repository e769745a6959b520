// Tests the screen in process: a fake terminal, scripted keys, a stepped clock and a real
// shard behind it. Frames are compared with goldens in tests/snapshots at 80x24 and
// 190x50; set RINGTRACK_UPDATE_SNAPSHOTS=1 to write them again (then review the diff).
#include "frontend/screen/screen_app.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fake_screen.hpp"
#include "packet_script.hpp"
#include "shard_view_source.hpp"

namespace ringtrack::testing {
namespace {

using frontend::ScreenApp;
namespace key = frontend::key;

class SteppedClock final : public frontend::Clock {
 public:
  uint64_t now_ms() override { return ms; }
  uint64_t ms = 0;
};

std::array<uint8_t, 16> ipv6(uint16_t last) {
  std::array<uint8_t, 16> a{0x20, 0x01, 0x0d, 0xb8};
  a[14] = uint8_t(last >> 8);
  a[15] = uint8_t(last);
  return a;
}

void expect_snapshot(const std::string& name, const std::string& frame) {
  const std::string path = std::string(SNAPSHOT_DIR) + "/" + name + ".txt";
  if (std::getenv("RINGTRACK_UPDATE_SNAPSHOTS")) {
    std::ofstream(path) << frame;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "no golden " << path << " (RINGTRACK_UPDATE_SNAPSHOTS=1 writes it)";
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(frame, golden.str()) << "frame differs from " << path;
}

class ScreenTest : public ::testing::Test {
 protected:
  void feed(PacketScript& s, bool from_client, uint8_t flags, uint32_t payload, uint64_t at) {
    s.hasher = &source.hasher;
    const auto r = s.packet(from_client, flags, payload, at);
    source.shard->apply({&r, 1});
  }
  void handshake(PacketScript& s, uint64_t at) {
    feed(s, true, flags::syn, 0, at);
    feed(s, false, flags::syn_ack, 0, at + 1 * ms);
    feed(s, true, flags::ack, 0, at + 2 * ms);
  }
  // Five connections of every kind a screen shows.
  void typical_traffic() {
    web = {{ipv4(10, 0, 0, 1), 40000}, {ipv4(192, 0, 2, 10), 80}};
    handshake(web, t0);
    feed(web, true, flags::psh_ack, 2000, t0 + 200 * ms);
    feed(web, false, flags::psh_ack, 30000, t0 + 500 * ms);
    PacketScript tls{{ipv6(1), 51000}, {ipv6(0x80), 443}};
    tls.meta = decode::FlowKey::ipv6_bit;
    handshake(tls, t0 + 10 * ms);
    feed(tls, false, flags::psh_ack, 5000, t0 + 600 * ms);
    PacketScript ssh{{ipv4(10, 0, 0, 2), 40001}, {ipv4(192, 0, 2, 11), 22}};
    const uint16_t vlan[] = {100};
    ssh.meta = decode::pack_vlan_stack(vlan, 1);
    feed(ssh, true, flags::syn, 0, t0 + 20 * ms);
    PacketScript refused{{ipv4(10, 0, 0, 3), 40002}, {ipv4(192, 0, 2, 12), 443}};
    feed(refused, true, flags::syn, 0, t0 + 30 * ms);
    feed(refused, false, flags::rst_ack, 0, t0 + 31 * ms);
    PacketScript done{{ipv4(10, 0, 0, 4), 40003}, {ipv4(198, 51, 100, 1), 8080}};
    handshake(done, t0 + 40 * ms);
    feed(done, true, flags::psh_ack, 100, t0 + 50 * ms);
    feed(done, true, flags::fin_ack, 0, t0 + 60 * ms);
    feed(done, false, flags::fin_ack, 0, t0 + 61 * ms);
    feed(done, true, flags::ack, 0, t0 + 62 * ms);
    source.clock_ns = t0 + 1500 * ms;
  }

  ShardViewSource source;
  SteppedClock clock;
  PacketScript web;
};

TEST_F(ScreenTest, TcptrackLayoutAt80x24) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  expect_snapshot("frame_80x24", screen.text());
  // tcptrack's positions: titles in reverse video, hotkeys underlined in the footer.
  EXPECT_EQ(screen.line(1).substr(1, 6), "Client");
  EXPECT_EQ(screen.line(1).substr(23, 6), "Server");
  EXPECT_EQ(screen.line(1).substr(45, 5), "State");
  EXPECT_EQ(screen.line(1).substr(58, 4), "Idle");
  EXPECT_EQ(screen.line(1)[63], 'A');
  EXPECT_EQ(screen.line(1).substr(65, 5), "Speed");
  EXPECT_EQ(screen.styles_of(1)[0], 'r');
  EXPECT_EQ(screen.line(23).substr(46, 8), "Unpaused");
  EXPECT_EQ(screen.styles_of(23)[48], 'u');  // the p of Unpaused
  EXPECT_EQ(screen.line(23).substr(56, 8), "Unsorted");
  EXPECT_EQ(screen.styles_of(23)[58], 'u');  // the s of Unsorted
}

TEST_F(ScreenTest, WideTerminalWithOptionalColumnsAt190x50) {
  typical_traffic();
  FakeScreen screen(50, 190);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step('d');
  app.step('b');
  expect_snapshot("frame_190x50", screen.text());
  EXPECT_NE(screen.text().find("[2001:db8::1]:51000"), std::string::npos);  // IPv6 on one row
}

TEST_F(ScreenTest, SortCyclesAndReorders) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_NE(screen.line(2).find("10.0.0.1:40000"), std::string::npos);  // first seen first
  app.step('s');
  EXPECT_EQ(screen.line(23).substr(56, 14), "Sorted by rate");
  EXPECT_NE(screen.line(2).find("10.0.0.1:40000"), std::string::npos);  // 31 KB/s, the fastest
  EXPECT_NE(screen.line(3).find("51000"), std::string::npos);
  app.step('r');
  EXPECT_NE(screen.line(23).find("Sorted by rate, rev"), std::string::npos);
  EXPECT_EQ(screen.line(2).find("10.0.0.1:40000"), std::string::npos);
  app.step('s');
  EXPECT_NE(screen.line(23).find("Sorted by bytes"), std::string::npos);
}

TEST_F(ScreenTest, PauseFreezesRowsWhileValuesUpdate) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step('p');
  EXPECT_EQ(screen.line(23).substr(46, 6), "Paused");
  const std::string before = screen.text();
  // A new connection arrives and the web connection gets faster.
  PacketScript late{{ipv4(10, 0, 0, 9), 40999}, {ipv4(192, 0, 2, 99), 80}};
  handshake(late, t0 + 1600 * ms);
  feed(web, false, flags::psh_ack, 500000, t0 + 1700 * ms);
  source.clock_ns = t0 + 2500 * ms;
  clock.ms += 1000;
  app.step(key::none);
  EXPECT_EQ(screen.text().find("10.0.0.9"), std::string::npos);  // not added while paused
  EXPECT_NE(screen.line(2).find("488 KB/s"), std::string::npos) << screen.text();
  app.step('p');
  EXPECT_NE(screen.text().find("10.0.0.9"), std::string::npos);
  EXPECT_NE(before, screen.text());
}

TEST_F(ScreenTest, DisplayFilterNarrowsRows) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  for (int k : std::initializer_list<int>{'/', '4', '4', '3'}) app.step(k);
  EXPECT_NE(screen.line(23).find("Filter"), std::string::npos);
  EXPECT_NE(screen.line(23).find("443_"), std::string::npos);
  app.step(key::enter);
  EXPECT_NE(screen.line(23).find("Connections 1-2 of 2 matching /443"), std::string::npos) << screen.text();
  EXPECT_EQ(screen.text().find("40000"), std::string::npos);
  for (int k : std::initializer_list<int>{'/', key::backspace, key::backspace, key::backspace, 'e', 's', 't', key::enter})
    app.step(k);
  EXPECT_NE(screen.line(23).find("matching /est"), std::string::npos);
  EXPECT_EQ(screen.text().find("RESET"), std::string::npos);
  EXPECT_NE(screen.text().find("ESTABLISHED"), std::string::npos);
}

TEST_F(ScreenTest, ScrollsAndPages) {
  for (uint8_t i = 0; i < 100; ++i) {
    PacketScript s{{ipv4(10, 1, 0, i), uint16_t(30000 + i)}, {ipv4(192, 0, 2, 1), 80}};
    handshake(s, t0 + i * ms);
  }
  source.clock_ns = t0 + 1 * sec;
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_NE(screen.line(23).find("Connections 1-20 of 100"), std::string::npos);
  app.step(key::down);
  EXPECT_NE(screen.line(23).find("Connections 2-21 of 100"), std::string::npos);
  app.step(key::page_down);
  EXPECT_NE(screen.line(23).find("Connections 22-41 of 100"), std::string::npos);
  app.step(key::end);
  EXPECT_NE(screen.line(23).find("Connections 81-100 of 100"), std::string::npos);
  EXPECT_NE(screen.line(21).find("10.1.0.99:30099"), std::string::npos);
  app.step(key::page_up);
  EXPECT_NE(screen.line(23).find("Connections 61-80 of 100"), std::string::npos);
  app.step(key::home);
  EXPECT_NE(screen.line(23).find("Connections 1-20 of 100"), std::string::npos);
  EXPECT_NE(screen.line(2).find("10.1.0.0:30000"), std::string::npos);
}

TEST_F(ScreenTest, TooSmallShowsAMessageAndRecovers) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  screen.resize(10, 40);
  app.step(key::resize);
  EXPECT_NE(screen.text().find("80x6;"), std::string::npos) << screen.text();
  EXPECT_NE(screen.text().find("40x10"), std::string::npos) << screen.text();
  screen.resize(30, 100);
  app.step(key::resize);
  EXPECT_NE(screen.text().find("TOTAL"), std::string::npos);
  EXPECT_EQ(screen.text().find("at least"), std::string::npos);
}

TEST_F(ScreenTest, HelpOverlayAndQuit) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step('h');
  EXPECT_NE(screen.text().find("ringtrack keys"), std::string::npos);
  app.step('x');  // any key closes it
  EXPECT_EQ(screen.text().find("ringtrack keys"), std::string::npos);
  EXPECT_TRUE(app.step('s'));
  EXPECT_FALSE(app.step('q'));
}

TEST_F(ScreenTest, RedrawsOnTheTimerOnly) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  const int asked = source.queries;
  clock.ms += 400;
  app.step(key::none);
  EXPECT_EQ(source.queries, asked);  // 1 Hz: not yet
  clock.ms += 600;
  app.step(key::none);
  EXPECT_EQ(source.queries, asked + 1);
}

// Live --duration and --count end the screen as they end a batch run.
TEST_F(ScreenTest, RunEndsAfterDurationOrPacketCount) {
  class TickingClock final : public frontend::Clock {
   public:
    uint64_t now_ms() override { return ms += 50; }
    uint64_t ms = 0;
  };
  typical_traffic();
  FakeScreen screen(24, 80);
  TickingClock ticking;
  ScreenApp timed(screen, source, ticking, 1000, nullptr);
  timed.stop_after(3000, 0);
  timed.run();
  EXPECT_GE(ticking.ms, 3000u);
  EXPECT_LT(ticking.ms, 3200u);

  ScreenApp counted(screen, source, ticking, 1000, nullptr);
  counted.stop_after(0, source.shard->stats().tcp_packets);  // reached at the first frame
  const int asked = source.queries;
  counted.run();
  EXPECT_EQ(source.queries, asked + 1);
}

TEST_F(ScreenTest, ActivityMarkAndTotals) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_EQ(screen.line(2)[63], '*');
  clock.ms += 1000;
  source.clock_ns += 1 * sec;
  app.step(key::none);
  EXPECT_EQ(screen.line(2)[63], ' ');  // no packet since the last frame
  EXPECT_NE(screen.line(22).find("TOTAL"), std::string::npos);
}

TEST_F(ScreenTest, ActivityMarkOncePerPacketWhenShardsRunAheadOfTheClock) {
  typical_traffic();
  source.clock_ns = t0;  // asked at a clock older than the packets the shard has applied
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_EQ(screen.line(2)[63], '*');
  clock.ms += 1000;
  source.clock_ns = t0 + 1500 * ms;  // the clock catches up; no packet since
  app.step(key::none);
  for (int row = 2; row < 8; ++row) EXPECT_EQ(screen.line(row)[63], ' ') << screen.line(row);
}

}  // namespace
}  // namespace ringtrack::testing
