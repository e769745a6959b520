// Tests the screen in process: a fake terminal, scripted keys, a stepped clock and a real
// shard behind it. Frames are compared with goldens in tests/snapshots at 80x24 and
// 190x50; set RINGTRACK_UPDATE_SNAPSHOTS=1 to write them again (then review the diff).
#include "frontend/screen/screen_app.hpp"

#include "screen_fixture.hpp"

namespace ringtrack::testing {
namespace {

TEST_F(ScreenTest, TcptrackLayoutAt80x24) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  expect_snapshot("frame_80x24", screen.text());
  // tcptrack's positions: titles in reverse video, hotkeys underlined in the footer.
  EXPECT_EQ(titles(screen).substr(1, 6), "Client");
  EXPECT_EQ(titles(screen).substr(23, 6), "Server");
  EXPECT_EQ(titles(screen).substr(45, 5), "State");
  EXPECT_EQ(titles(screen).substr(58, 4), "Idle");
  EXPECT_EQ(titles(screen)[63], 'A');
  EXPECT_EQ(titles(screen).substr(65, 5), "Speed");
  EXPECT_EQ(screen.styles_of(titles_line(screen))[0], 'r');
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
  EXPECT_NE(row(screen, 0).find("10.0.0.1:40000"), std::string::npos);  // first seen first
  app.step('s');
  EXPECT_EQ(screen.line(23).substr(56, 14), "Sorted by rate");
  EXPECT_NE(row(screen, 0).find("10.0.0.1:40000"), std::string::npos);  // 31 KB/s, the fastest
  EXPECT_NE(row(screen, 1).find("51000"), std::string::npos);
  app.step('r');
  EXPECT_NE(screen.line(23).find("Sorted by rate, rev"), std::string::npos);
  EXPECT_EQ(row(screen, 0).find("10.0.0.1:40000"), std::string::npos);
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
  EXPECT_NE(row(screen, 0).find("488 KB/s"), std::string::npos) << screen.text();
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
  EXPECT_NE(screen.line(23).find("Filter: 443"), std::string::npos);
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
  hundred_connections();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_NE(screen.line(23).find("Connections 1-21 of 100"), std::string::npos);
  for (int i = 0; i < 22; ++i) app.step(key::down);  // the highlight to the last row, then one scroll
  EXPECT_NE(screen.line(23).find("Connections 2-22 of 100"), std::string::npos);
  app.step(key::page_down);
  EXPECT_NE(screen.line(23).find("Connections 23-43 of 100"), std::string::npos);
  app.step(key::end);
  EXPECT_NE(screen.line(23).find("Connections 80-100 of 100"), std::string::npos);
  EXPECT_NE(row(screen, 20).find("10.1.0.99:30099"), std::string::npos);
  app.step(key::page_up);
  EXPECT_NE(screen.line(23).find("Connections 59-79 of 100"), std::string::npos);
  app.step(key::home);
  EXPECT_NE(screen.line(23).find("Connections 1-21 of 100"), std::string::npos);
  EXPECT_NE(row(screen, 0).find("10.1.0.0:30000"), std::string::npos);
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
  expect_snapshot("help_80x24", screen.text());
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

// A tunnelled connection's row is marked in the margin; others are not.
TEST_F(ScreenTest, TunnelledRowsAreMarked) {
  PacketScript inner{{ipv4(10, 0, 0, 5), 40000}, {ipv4(10, 0, 0, 6), 80}};
  inner.meta = decode::pack_tunnel(0x1234abcd, unsigned(decode::TunnelKind::vxlan));
  handshake(inner, t0);
  PacketScript plain{{ipv4(10, 0, 0, 7), 40001}, {ipv4(10, 0, 0, 8), 80}};
  handshake(plain, t0 + 10 * ms);
  source.clock_ns = t0 + 500 * ms;
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_EQ(row(screen, 0).substr(0, 15), "T10.0.0.5:40000") << screen.text();
  EXPECT_EQ(row(screen, 1).substr(0, 15), " 10.0.0.7:40001") << screen.text();
}

TEST_F(ScreenTest, ActivityMarkAndTotals) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_EQ(row(screen, 0)[63], '*');
  clock.ms += 1000;
  source.clock_ns += 1 * sec;
  app.step(key::none);
  EXPECT_EQ(row(screen, 0)[63], ' ');  // no packet since the last frame
  EXPECT_NE(screen.line(22).find("TOTAL"), std::string::npos);
}

TEST_F(ScreenTest, ActivityMarkOncePerPacketWhenShardsRunAheadOfTheClock) {
  typical_traffic();
  source.clock_ns = t0;  // asked at a clock older than the packets the shard has applied
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_EQ(row(screen, 0)[63], '*');
  clock.ms += 1000;
  source.clock_ns = t0 + 1500 * ms;  // the clock catches up; no packet since
  app.step(key::none);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(row(screen, i)[63], ' ') << row(screen, i);
}

// TOTAL ends its line with the speed and starts it with the payload bytes each way since the
// capture started (removed connections' included); the header keeps the highest TOTAL
// speed seen, until the display filter changes.
TEST_F(ScreenTest, TotalShowsCumulativeBytesAndHeaderThePeak) {
  typical_traffic();
  FakeScreen screen(50, 190);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  const std::string total = screen.line(48);
  EXPECT_EQ(total.substr(1, 5), "TOTAL");
  EXPECT_NE(total.find("cum C>S 2.05 KB  S>C 34.1 KB"), std::string::npos) << total;
  EXPECT_NE(screen.line(0).find("peak 36.2 KB/s"), std::string::npos) << screen.line(0);
  clock.ms += 5000;
  source.clock_ns += 5 * sec;  // no packet since: every speed falls to 0
  app.step(key::none);
  EXPECT_NE(screen.line(48).find("0 B/s"), std::string::npos) << screen.line(48);
  EXPECT_NE(screen.line(48).find("cum C>S 2.05 KB  S>C 34.1 KB"), std::string::npos) << screen.line(48);
  EXPECT_NE(screen.line(0).find("peak 36.2 KB/s"), std::string::npos) << screen.line(0);
  apply_filter(app, "22");
  EXPECT_NE(screen.line(0).find("peak 0 B/s"), std::string::npos) << screen.line(0);
  // The cumulative bytes are the capture's: the display filter leaves them alone.
  EXPECT_NE(screen.line(48).find("cum C>S 2.05 KB  S>C 34.1 KB"), std::string::npos) << screen.line(48);
}

// While paused, TOTAL keeps showing the live totals of every matching connection, as
// unpaused (it read 0 B/s for as long as the pause lasted).
TEST_F(ScreenTest, PauseKeepsTheTotal) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  const std::string total = screen.line(22).substr(60);
  EXPECT_NE(total.find("KB/s"), std::string::npos) << screen.text();
  app.step('p');
  EXPECT_EQ(screen.line(22).substr(60), total) << screen.text();
  clock.ms += 1000;
  app.step(key::none);
  EXPECT_EQ(screen.line(22).substr(60), total) << screen.text();
}

// A connection removed while paused stays on its row, marked removed, its idle time still
// counting (it used to keep its last speed and a stopped idle).
TEST_F(ScreenTest, PausedRowOfARemovedConnectionIsMarkedAndAges) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step('p');
  const auto row_of = [&screen](const char* endpoint) {
    for (int r = 0; r < 24; ++r)
      if (screen.line(r).find(endpoint) != std::string::npos) return screen.line(r);
    return std::string();
  };
  EXPECT_NE(row_of("10.0.0.4:40003").find("100 B/s"), std::string::npos) << screen.text();
  source.clock_ns = t0 + 6500 * ms;  // CLOSED at t0 + 62 ms: gone after -r (2 s)
  clock.ms += 1000;
  app.step(key::none);
  std::string row = row_of("10.0.0.4:40003");
  EXPECT_NE(row.find("CLOSED"), std::string::npos) << screen.text();
  EXPECT_NE(row.find("removed"), std::string::npos) << screen.text();
  EXPECT_EQ(row.find("B/s"), std::string::npos) << row;
  EXPECT_EQ(row.substr(58, 3), "6s ") << row;
  source.clock_ns = t0 + 9500 * ms;
  clock.ms += 1000;
  app.step(key::none);
  row = row_of("10.0.0.4:40003");
  EXPECT_EQ(row.substr(58, 3), "9s ") << row;
  EXPECT_NE(row.find("removed"), std::string::npos) << row;
  expect_snapshot("paused_removed_80x24", screen.text());
}

// A sort key pressed while paused re-orders the frozen rows once; they stay in that order.
TEST_F(ScreenTest, SortWhilePausedReordersTheFrozenRowsOnce) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step('p');
  EXPECT_NE(row(screen, 2).find("10.0.0.2:40001"), std::string::npos);  // unsorted: third seen
  app.step('s');
  EXPECT_EQ(screen.line(23).substr(46, 6), "Paused");
  EXPECT_NE(screen.line(23).find("Sorted by rate"), std::string::npos);
  EXPECT_NE(row(screen, 0).find("10.0.0.1:40000"), std::string::npos) << screen.text();
  EXPECT_NE(row(screen, 1).find("51000"), std::string::npos) << screen.text();
  EXPECT_NE(row(screen, 2).find("10.0.0.4:40003"), std::string::npos) << screen.text();  // 100 B/s
  app.step('r');
  EXPECT_NE(row(screen, 4).find("10.0.0.1:40000"), std::string::npos) << screen.text();
  // The order stays frozen: a faster connection does not move up by itself.
  feed(web, false, flags::psh_ack, 1, t0 + 1600 * ms);
  source.clock_ns = t0 + 1700 * ms;
  clock.ms += 1000;
  app.step(key::none);
  EXPECT_NE(row(screen, 4).find("10.0.0.1:40000"), std::string::npos) << screen.text();
}

// Every form the screen shows an IPv6 endpoint in is a filter: [addr]:port, [addr], addr,
// and addr:port without brackets.
TEST_F(ScreenTest, DisplayFilterTakesIpv6EndpointsAsShown) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  for (const char* filter : {"[2001:db8::1]:51000", "[2001:db8::80]", "2001:db8::80", "2001:db8::80:443",
                             "[2001:db8::80]:443", "2001:db8::/32", "10.0.0.1:40000"}) {
    apply_filter(app, filter);
    EXPECT_NE(screen.line(23).find("Connections 1-1 of 1"), std::string::npos) << filter << "\n" << screen.text();
  }
  apply_filter(app, "[2001:db8::1]:443");  // the address and the port of different ends
  EXPECT_NE(screen.line(23).find("0-0 of 0"), std::string::npos) << screen.text();
}

// A long filter is shortened in the footer; Paused and the sort keep tcptrack's places.
TEST_F(ScreenTest, LongFilterKeepsFooterIndicatorsInPlace) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  apply_filter(app, "10.0.0.0/8 estab 40000 192.0.2.10 anything-else-that-is-long");
  app.step('p');
  app.step('s');
  EXPECT_EQ(screen.line(23).substr(46, 6), "Paused") << screen.text();
  EXPECT_EQ(screen.line(23).substr(56, 14), "Sorted by rate") << screen.text();
  EXPECT_NE(screen.line(23).find(" matching /10.0.0.0/8"), std::string::npos) << screen.text();
  EXPECT_NE(screen.line(23).find("~"), std::string::npos) << screen.text();
}

std::string titles_after(int columns, const std::string& keys, std::string* footer = nullptr) {
  ShardViewSource source;
  SteppedClock clock;
  FakeScreen screen(24, columns);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  type(app, keys);
  if (footer) *footer = screen.line(23);
  for (int r = 0; r < 2; ++r)
    if (screen.line(r).find("Client") != std::string::npos) return screen.line(r);
  return "";
}

// d and b show both directions together or neither, and say so when the terminal is too
// narrow (at 120 columns d did nothing, at 140 only C>S showed).
TEST(ScreenColumns, DirectionPairsTogetherOrNotAtAll) {
  std::string footer;
  std::string titles = titles_after(120, "d", &footer);
  EXPECT_NE(titles.find("C>S speed"), std::string::npos) << titles;
  EXPECT_NE(titles.find("S>C speed"), std::string::npos) << titles;
  for (int columns = 100; columns <= 200; columns += 2) {
    titles = titles_after(columns, "db", &footer);
    const bool c2s = titles.find("C>S bytes") != std::string::npos;
    EXPECT_EQ(c2s, titles.find("S>C bytes") != std::string::npos) << columns << ": " << titles;
    EXPECT_EQ(c2s, footer.find("b needs") == std::string::npos) << columns << ": " << footer;
    EXPECT_NE(titles.find("S>C speed"), std::string::npos) << columns << ": " << titles;
  }
  titles = titles_after(80, "d", &footer);
  EXPECT_EQ(titles.find("C>S"), std::string::npos);
  EXPECT_NE(footer.find("d needs 100 columns"), std::string::npos) << footer;
  EXPECT_EQ(footer.substr(46, 8), "Unpaused") << footer;
}

// "Sorted by bytes" ranks by the frame bytes the b columns show, not by payload.
TEST_F(ScreenTest, BytesSortRanksFrameBytes) {
  PacketScript big{{ipv4(10, 0, 0, 1), 40000}, {ipv4(192, 0, 2, 10), 80}};
  handshake(big, t0);
  feed(big, true, flags::psh_ack, 1000, t0 + 10 * ms);  // 1000 payload, 1054 frame bytes
  PacketScript chatty{{ipv4(10, 0, 0, 2), 40001}, {ipv4(192, 0, 2, 10), 80}};
  handshake(chatty, t0 + 20 * ms);
  for (int i = 0; i < 30; ++i) feed(chatty, true, flags::psh_ack, 10, t0 + (30 + i) * ms);  // 300, 1920
  source.clock_ns = t0 + 1500 * ms;
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  type(app, "ss");
  EXPECT_NE(screen.line(23).find("Sorted by bytes"), std::string::npos);
  EXPECT_NE(row(screen, 0).find("10.0.0.2:40001"), std::string::npos) << screen.text();
}

// Idle sorts the most idle first (stale connections at the top); r turns it round.
TEST_F(ScreenTest, IdleSortsMostIdleFirst) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  type(app, "sss");
  EXPECT_NE(screen.line(23).find("Sorted by idle"), std::string::npos);
  EXPECT_NE(row(screen, 0).find("10.0.0.2:40001"), std::string::npos) << screen.text();  // last packet t0+20ms
  EXPECT_NE(row(screen, 4).find("51000"), std::string::npos) << screen.text();           // t0+600ms
}

// Speeds and bytes with three significant digits (as iftop); B switches to bits per second.
TEST_F(ScreenTest, SpeedsWithThreeDigitsAndBits) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_EQ(row(screen, 0).substr(65, 9), "31.2 KB/s") << screen.text();  // 32000 B/s
  app.step('B');
  EXPECT_EQ(row(screen, 0).substr(65, 10), "256 kbit/s") << screen.text();
  app.step('B');
  EXPECT_EQ(row(screen, 0).substr(65, 9), "31.2 KB/s") << screen.text();
}

// a cycles the speed columns, TOTAL and the rate sort through the last second, iftop's
// 10 s and 40 s averages (whole 2 s buckets of capture time), and back; the title says which.
TEST_F(ScreenTest, AverageKeyCyclesTheSpeedWindow) {
  typical_traffic();  // the web connection: 32000 bytes in the capture's first second
  source.clock_ns = t0 + 2500 * ms;  // its first 2 s bucket is complete
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_EQ(titles(screen).substr(65, 6), "Speed ");
  EXPECT_EQ(row(screen, 0).substr(65, 5), "0 B/s") << screen.text();  // a quiet last second
  app.step('a');
  EXPECT_EQ(titles(screen).substr(65, 6), "Avg10 ") << screen.text();
  EXPECT_NE(row(screen, 0).find("10.0.0.1:40000"), std::string::npos) << screen.text();
  EXPECT_EQ(row(screen, 0).substr(65, 9), "3.12 KB/s") << screen.text();  // 32000 / 10 s
  app.step('s');  // sorted by the average shown
  EXPECT_NE(screen.line(23).find("Sorted by rate"), std::string::npos);
  EXPECT_NE(row(screen, 0).find("10.0.0.1:40000"), std::string::npos) << screen.text();
  app.step('A');
  EXPECT_EQ(titles(screen).substr(65, 6), "Avg40 ") << screen.text();
  EXPECT_EQ(row(screen, 0).substr(65, 7), "800 B/s") << screen.text();  // 32000 / 40 s
  app.step('a');
  EXPECT_EQ(titles(screen).substr(65, 6), "Speed ") << screen.text();
  EXPECT_EQ(row(screen, 0).substr(65, 5), "0 B/s") << screen.text();
}

// At 80x24, tcptrack's 21 rows of connections: the header folds into the TOTAL bar.
TEST_F(ScreenTest, TcptrackRowCountAt80x24) {
  for (uint8_t i = 0; i < 30; ++i) {
    PacketScript s{{ipv4(10, 1, 0, i), uint16_t(30000 + i)}, {ipv4(192, 0, 2, 1), 80}};
    handshake(s, t0 + i * ms);
  }
  source.clock_ns = t0 + 1 * sec;
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_NE(screen.line(23).find("Connections 1-21 of 30"), std::string::npos) << screen.text();
  EXPECT_EQ(screen.line(0).substr(1, 6), "Client") << screen.text();
  EXPECT_NE(screen.line(22).find("drops 0"), std::string::npos) << screen.text();
  EXPECT_NE(screen.line(22).find("TOTAL"), std::string::npos) << screen.text();
}

// RTT and Retr come after the pairs asked for and before the endpoints grow: RTT from 87
// columns, Retr from 94 (7 more each with d); a narrowing terminal drops Retr, then RTT,
// and never shrinks the endpoints below tcptrack's 21 for them.
TEST(ScreenColumns, HealthColumnsByWidthInADefinedOrder) {
  struct Case {
    int columns;
    const char* keys;
    bool rtt, retr;
  };
  for (const Case& c : {Case{80, "", false, false}, Case{86, "", false, false}, Case{87, "", true, false},
                        Case{93, "", true, false}, Case{94, "", true, true}, Case{110, "d", false, false},
                        Case{111, "d", true, false}, Case{118, "d", true, true}, Case{141, "db", true, false},
                        Case{142, "db", true, true}}) {
    std::string footer;
    const std::string titles = titles_after(c.columns, c.keys, &footer);
    const std::size_t rtt = titles.find("RTT"), retr = titles.find("Retr");
    EXPECT_EQ(rtt != std::string::npos, c.rtt) << c.columns << c.keys << ": " << titles;
    EXPECT_EQ(retr != std::string::npos, c.retr) << c.columns << c.keys << ": " << titles;
    EXPECT_GE(titles.find("Server"), 23u) << c.columns << c.keys << ": " << titles;  // endpoints never below 21
    if (c.rtt && c.retr) {
      EXPECT_EQ(retr, rtt + 7) << titles;
    }
    if (c.rtt) {
      EXPECT_GT(rtt, titles.find("Speed")) << titles;
    }
    if (c.rtt && std::string(c.keys) == "db") {
      EXPECT_GT(rtt, titles.find("S>C bytes")) << titles;  // after the pairs
    }
  }
  // Wider still, the endpoints grow; the health columns stay at the end of the row.
  const std::string wide = titles_after(200, "");
  EXPECT_EQ(wide.find("Server"), 49u) << wide;
  EXPECT_NE(wide.find("RTT    Retr"), std::string::npos) << wide;
}

// The RTT column is the end-to-end smoothed RTT in ms, two significant digits ("-": none);
// Retr counts retransmitted segments both ways.
TEST_F(ScreenTest, HealthColumnsShowRttAndRetransmissions) {
  health_traffic();
  FakeScreen screen(24, 100);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  const std::size_t rtt = titles(screen).find("RTT"), retr = titles(screen).find("Retr");
  ASSERT_NE(retr, std::string::npos) << screen.text();
  // web: 25.872 ms to the client and back, 38.368 ms to the server and back.
  EXPECT_NE(row(screen, 0).find("10.0.0.1:40000"), std::string::npos) << screen.text();
  EXPECT_EQ(row(screen, 0).substr(rtt, 7), "64     ") << screen.text();
  EXPECT_EQ(row(screen, 0).substr(retr, 2), "2 ") << screen.text();
  EXPECT_EQ(row(screen, 1).substr(rtt, 7), "2.0    ") << screen.text();  // the IPv6 one: 2 ms
  EXPECT_EQ(row(screen, 2).substr(rtt, 2), "- ") << screen.text();     // SYN_SENT: no sample
  EXPECT_EQ(row(screen, 2).substr(retr, 2), "0 ") << screen.text();
  expect_snapshot("health_24x100", screen.text());
}

// t and e sort by RTT and by retransmissions (the slowest and the most retransmitting
// first); s reaches both after S>C rate; the footer names them and r reverses them.
TEST_F(ScreenTest, SortsByRttAndByRetransmissions) {
  health_traffic();
  PacketScript lossy{{ipv4(10, 0, 0, 5), 40004}, {ipv4(192, 0, 2, 13), 80}};
  handshake(lossy, t0 + 100 * ms);
  feed(lossy, false, flags::psh_ack, 500, t0 + 800 * ms);
  for (int i = 1; i <= 3; ++i) retransmit(lossy, false, 500, t0 + (800 + 100 * i) * ms);
  FakeScreen screen(24, 100);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step('t');
  EXPECT_EQ(screen.line(23).substr(56, 13), "Sorted by RTT") << screen.text();
  EXPECT_NE(row(screen, 0).find("10.0.0.1:40000"), std::string::npos) << screen.text();  // 64 ms
  EXPECT_NE(row(screen, 1).find("10.0.0.4:40003"), std::string::npos) << screen.text();  // 3.2 ms
  EXPECT_NE(row(screen, 5).find(" -  "), std::string::npos) << screen.text();            // none: last
  const int t = titles_line(screen);
  EXPECT_EQ(screen.styles_of(t)[titles(screen).find("RTT")], ' ');  // the sorted title, lit
  app.step('e');
  EXPECT_EQ(screen.line(23).substr(56, 17), "Sorted by retrans") << screen.text();
  EXPECT_NE(row(screen, 0).find("10.0.0.5:40004"), std::string::npos) << screen.text();  // 3
  EXPECT_NE(row(screen, 1).find("10.0.0.1:40000"), std::string::npos) << screen.text();  // 2
  EXPECT_EQ(screen.styles_of(t)[titles(screen).find("Retr")], ' ');
  app.step('r');
  EXPECT_NE(screen.line(23).find("Sorted by retrans, rev"), std::string::npos) << screen.text();
  EXPECT_NE(row(screen, 5).find("10.0.0.5:40004"), std::string::npos) << screen.text();
  app.step('r');
  type(app, "ssssss");  // unsorted, rate, bytes, idle, C>S rate, S>C rate, then RTT
  EXPECT_NE(screen.line(23).find("Sorted by S>C rate"), std::string::npos) << screen.text();
  app.step('s');
  EXPECT_NE(screen.line(23).find("Sorted by RTT"), std::string::npos) << screen.text();
  app.step('s');
  EXPECT_NE(screen.line(23).find("Sorted by retrans"), std::string::npos) << screen.text();
  app.step('s');
  EXPECT_NE(screen.line(23).find("Unsorted"), std::string::npos) << screen.text();
  // Paused, t re-orders the frozen rows once, as s does.
  app.step('p');
  app.step('T');
  EXPECT_NE(row(screen, 0).find("10.0.0.1:40000"), std::string::npos) << screen.text();
  EXPECT_NE(screen.line(23).find("Sorted by RTT"), std::string::npos) << screen.text();
}

// rtt>, rtt< (us, ms, s; ms when no unit) bound the end-to-end RTT, retrans keeps the
// connections with a retransmission; with other terms they combine as terms do: all match.
TEST_F(ScreenTest, DisplayFilterTakesHealthTerms) {
  health_traffic();  // RTTs: web 64 ms, IPv6 2.0 ms, done 3.2 ms, two without
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  const auto matching = [&](const char* filter) {
    apply_filter(app, filter);
    const std::string& footer = screen.line(23);
    const std::size_t of = footer.find(" of ");
    return of == std::string::npos ? -1 : std::stoi(footer.substr(of + 4));
  };
  EXPECT_EQ(matching("retrans"), 1);
  EXPECT_NE(row(screen, 0).find("10.0.0.1:40000"), std::string::npos) << screen.text();
  EXPECT_EQ(matching("rtt>50ms"), 1);
  EXPECT_EQ(matching("RTT>50MS"), 1);
  EXPECT_EQ(matching("rtt>64241us"), 0);
  EXPECT_EQ(matching("rtt>64239us"), 1);
  EXPECT_EQ(matching("rtt>0.05s"), 1);
  EXPECT_EQ(matching("rtt>50"), 1);  // milliseconds, as the column shows them
  EXPECT_EQ(matching("rtt<10ms"), 2);  // the two without a sample match neither bound
  EXPECT_EQ(matching("rtt<1s"), 3);
  EXPECT_EQ(matching("rtt>2.5ms rtt<1s"), 2);
  EXPECT_EQ(matching("rtt>2.5ms 443"), 0);
  EXPECT_EQ(matching("rtt<2.5ms 443"), 1);
  EXPECT_EQ(matching("retrans est 10.0.0.0/8"), 1);
  EXPECT_EQ(matching("retrans 8080"), 0);
  EXPECT_NE(screen.line(23).find("matching /retrans 8080"), std::string::npos) << screen.text();
  EXPECT_EQ(matching("rtt>5xs"), 0);  // not a bound: text, found in no endpoint
}

// The header ends its counters with the share of retransmitted segments in the last second
// of capture time, whatever the refresh (a key's redraw in between does not shorten it).
TEST_F(ScreenTest, HeaderShowsTheRetransmittedShareOfTheLastSecond) {
  typical_traffic();
  FakeScreen screen(50, 190);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_NE(screen.line(0).find("evicted 0  retr -"), std::string::npos) << screen.line(0);
  // The next second: 8 segments, 2 of them retransmissions.
  for (int i = 0; i < 6; ++i) feed(web, true, flags::psh_ack, 100, t0 + (1600 + i * 10) * ms);
  retransmit(web, true, 100, t0 + 1700 * ms);
  retransmit(web, true, 100, t0 + 1710 * ms);
  source.clock_ns = t0 + 2500 * ms;
  clock.ms += 1000;
  app.step(key::none);
  EXPECT_NE(screen.line(0).find("retr 25.0%"), std::string::npos) << screen.line(0);
  source.clock_ns = t0 + 2550 * ms;
  app.step('s');
  EXPECT_NE(screen.line(0).find("retr 25.0%"), std::string::npos) << screen.line(0);
  // A second later, nothing new: no segments, no share.
  source.clock_ns = t0 + 3500 * ms;
  clock.ms += 1000;
  app.step(key::none);
  EXPECT_NE(screen.line(0).find("retr -"), std::string::npos) << screen.line(0);
  // One retransmission among 1001 segments still shows.
  for (int i = 0; i < 1000; ++i) feed(web, true, flags::psh_ack, 10, t0 + 3600 * ms + i * 100'000);
  retransmit(web, true, 10, t0 + 3800 * ms);
  source.clock_ns = t0 + 4500 * ms;
  clock.ms += 1000;
  app.step(key::none);
  EXPECT_NE(screen.line(0).find("retr <0.1%"), std::string::npos) << screen.line(0);
}

// The window behind the share: growth since the newest sample a second old; a clock that
// stands still adds no samples; a clock that goes back (a new capture) starts over.
TEST(SecondWindow, GrowthOverTheLastSecondWithBoundedSamples) {
  frontend::SecondWindow<2> window;
  using V = frontend::SecondWindow<2>::Values;
  EXPECT_EQ(window.add(10 * sec, {100, 1}), (V{0, 0}));
  EXPECT_EQ(window.add(10 * sec + 100 * ms, {110, 1}), (V{10, 0}));  // the oldest while none is a second old
  EXPECT_EQ(window.add(11 * sec, {200, 3}), (V{100, 2}));
  EXPECT_EQ(window.add(11 * sec + 500 * ms, {250, 3}), (V{140, 2}));  // since 10.1 s, the newest a second old
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(window.add(12 * sec, {300, 4}), (V{100, 1}));  // since 11 s
  EXPECT_LE(window.samples(), 3u);
  EXPECT_EQ(window.add(5 * sec, {7, 0}), (V{0, 0}));
  EXPECT_EQ(window.add(6 * sec, {5, 1}), (V{0, 1}));  // a counter read lower grows by nothing
}

}  // namespace
}  // namespace ringtrack::testing
