// Tests the screen's keys in process (keymap through screen_app to the frame): the filter
// prompt's editing, the help closing, the highlight and its detail panel, < and >.
// Same fixture and goldens as screen_app_test.
#include "frontend/screen/screen_app.hpp"

#include "screen_fixture.hpp"

namespace ringtrack::testing {
namespace {

// The prompt opens with the filter in force selected: typing replaces it; readline's
// editing keys work; the cursor is drawn.
TEST_F(ScreenTest, FilterPromptEditsAsReadline) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step('/');
  type(app, "443");
  app.step(key::enter);
  app.step('/');
  EXPECT_NE(screen.line(23).find("Filter: 443"), std::string::npos) << screen.text();
  type(app, "80");  // replaces the selected old filter
  app.step(key::enter);
  EXPECT_NE(screen.line(23).find("matching /80"), std::string::npos) << screen.text();
  app.step('/');
  app.step(key::ctrl_u);
  type(app, "estab 10.0.0.1");
  app.step(key::ctrl_w);  // deletes the word before the cursor
  app.step(key::enter);
  EXPECT_NE(screen.line(23).find("matching /estab"), std::string::npos) << screen.text();
  EXPECT_NE(screen.line(23).find("of 2"), std::string::npos) << screen.text();
  app.step('/');
  app.step(key::right);  // ends the selection, cursor at the end
  app.step(key::ctrl_a);
  app.step(key::delete_char);
  app.step(key::ctrl_e);
  app.step(key::left);
  app.step(key::left);
  type(app, "X");
  EXPECT_NE(screen.line(23).find("Filter: staXb"), std::string::npos) << screen.text();
  // The cursor: the cell after X is drawn out of the bar's reverse video.
  const std::size_t at = screen.line(23).find("staXb") + 4;
  EXPECT_EQ(screen.styles_of(23)[at], ' ') << screen.styles_of(23);
  EXPECT_EQ(screen.styles_of(23)[at - 1], 'r');
  app.step(key::backspace);
  app.step(key::right);
  app.step(key::backspace);
  app.step(key::escape);
  EXPECT_NE(screen.line(23).find("matching /estab"), std::string::npos) << screen.text();
}

// q in the help closes it, as any key does; q quits only from the main view.
TEST_F(ScreenTest, QInHelpClosesItWithoutQuitting) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step('h');
  EXPECT_TRUE(app.step('q'));
  EXPECT_EQ(screen.text().find("ringtrack keys"), std::string::npos);
  EXPECT_FALSE(app.step('q'));
}

// Up and Down move a highlight, scrolling only at the edges.
TEST_F(ScreenTest, SelectionMovesAndScrollsAtTheEdges) {
  hundred_connections();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  EXPECT_EQ(highlighted(screen), -1);
  app.step(key::down);
  EXPECT_EQ(highlighted(screen), 0);
  for (int i = 0; i < 20; ++i) app.step(key::down);
  EXPECT_EQ(highlighted(screen), 20);
  EXPECT_NE(screen.line(23).find("Connections 1-21 of 100"), std::string::npos);
  app.step(key::down);
  EXPECT_NE(screen.line(23).find("Connections 2-22 of 100"), std::string::npos);
  EXPECT_EQ(highlighted(screen), 20);
  EXPECT_NE(row(screen, 20).find("10.1.0.21:"), std::string::npos);
  for (int i = 0; i < 21; ++i) app.step(key::up);
  EXPECT_NE(screen.line(23).find("Connections 1-21 of 100"), std::string::npos);
  EXPECT_EQ(highlighted(screen), 0);
  EXPECT_NE(row(screen, 0).find("10.1.0.0:"), std::string::npos);
}

// The highlight follows its connection when a sort moves it.
TEST_F(ScreenTest, SelectionFollowsItsConnectionAcrossSorts) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  for (int i = 0; i < 3; ++i) app.step(key::down);
  ASSERT_EQ(highlighted(screen), 2);
  EXPECT_NE(row(screen, 2).find("10.0.0.2:40001"), std::string::npos);
  app.step('s');  // by rate: the SYN_SENT row (0 B/s, oldest packet) goes last
  ASSERT_GE(highlighted(screen), 0) << screen.text();
  EXPECT_NE(row(screen, highlighted(screen)).find("10.0.0.2:40001"), std::string::npos) << screen.text();
  EXPECT_EQ(highlighted(screen), 4);
  clock.ms += 1000;
  source.clock_ns += 1 * sec;
  app.step(key::none);
  EXPECT_NE(row(screen, highlighted(screen)).find("10.0.0.2:40001"), std::string::npos) << screen.text();
}

// Enter opens everything the capture holds on the highlighted connection, updating live;
// Esc closes it.
TEST_F(ScreenTest, DetailPanelShowsTheConnectionLive) {
  typical_traffic();
  for (auto [rows, columns] : {std::pair{24, 80}, std::pair{50, 190}}) {
    FakeScreen screen(rows, columns);
    ScreenApp app(screen, source, clock, 1000, nullptr);
    app.step(key::none);
    app.step(key::down);
    app.step(key::enter);
    const std::string text = screen.text();
    for (const char* field : {"10.0.0.1:40000", "192.0.2.10:80", "ESTABLISHED", "First seen", "Duration",
                              "Idle", "Packets", "Frame bytes", "Payload", "Speed", "Handshake RTT", "Mid-stream",
                              "VLAN"})
      EXPECT_NE(text.find(field), std::string::npos) << field << "\n" << text;
    expect_snapshot("detail_" + std::to_string(columns) + "x" + std::to_string(rows), text);
    app.step(key::escape);
    EXPECT_EQ(screen.text().find("Handshake RTT"), std::string::npos) << screen.text();
  }
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step(key::down);
  app.step(key::enter);
  EXPECT_NE(screen.text().find("2.11 KB"), std::string::npos) << screen.text();
  feed(web, true, flags::psh_ack, 100000, t0 + 1600 * ms);
  source.clock_ns = t0 + 2500 * ms;
  clock.ms += 1000;
  app.step(key::none);
  EXPECT_NE(screen.text().find("99.8 KB"), std::string::npos) << screen.text();  // 2162 + 100054 frame bytes
}

// A connection removed while its detail panel is open says so, and why; its figures stay
// the final ones and its idle time goes on.
TEST_F(ScreenTest, DetailPanelSaysWhyItsConnectionWasRemoved) {
  typical_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  for (int i = 0; i < 5; ++i) app.step(key::down);  // 10.0.0.4:40003, CLOSED at t0 + 62 ms
  app.step(key::enter);
  EXPECT_NE(screen.text().find("| Client         10.0.0.4:40003"), std::string::npos) << screen.text();
  EXPECT_NE(screen.text().find("| State          CLOSED "), std::string::npos) << screen.text();
  EXPECT_EQ(screen.text().find("removed"), std::string::npos) << screen.text();
  // The next frame's query tells the shard which connection the panel shows.
  source.clock_ns = t0 + 2000 * ms;
  clock.ms += 1000;
  app.step(key::none);
  EXPECT_EQ(screen.text().find("removed"), std::string::npos) << screen.text();
  // The shard's clock passes -r (2 s): the sweep removes it.
  source.clock_ns = t0 + 6500 * ms;
  source.shard->advance_clock(source.clock_ns);
  clock.ms += 1000;
  app.step(key::none);
  const std::string text = screen.text();
  EXPECT_EQ(source.shard->stats().expired, 1u);
  EXPECT_NE(text.find("| State          CLOSED  (removed: its timer ran out) "), std::string::npos) << text;
  EXPECT_NE(text.find("Idle 6.438 s"), std::string::npos) << text;
  EXPECT_NE(text.find("| Packets        C>S 5                S>C 2 "), std::string::npos) << text;
  EXPECT_NE(text.find("| Speed          C>S removed          S>C removed "), std::string::npos) << text;
  source.clock_ns = t0 + 9500 * ms;
  clock.ms += 1000;
  app.step(key::none);
  EXPECT_NE(screen.text().find("Idle 9.438 s"), std::string::npos) << screen.text();
  EXPECT_NE(screen.text().find("(removed: its timer ran out)"), std::string::npos) << screen.text();
}

// The detail panel shows every health figure: per direction retransmitted segments and
// their bytes, out of order, zero windows; the RTT of each side, their sum, its minimum and
// the samples; the handshake's RTT. It still fits 80x24 between the titles and the footer.
TEST_F(ScreenTest, DetailPanelShowsTcpHealth) {
  health_traffic();
  FakeScreen screen(24, 80);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step(key::down);
  app.step(key::enter);
  const std::string text = screen.text();
  for (const char* line : {"| Retransmitted  C>S 2                S>C 0 ",
                           "| Retrans bytes  C>S 1.95 KB (2000)   S>C 0 B ",
                           "| Out of order   C>S 1                S>C 0 ",
                           "| Zero window    C>S 0                S>C 1 ",
                           "| RTT client     25.872 ms            RTT server 38.368 ms ",
                           "| RTT end to end 64.240 ms            RTT min 2.000 ms, 4 samples ",
                           "Handshake RTT 2.000 ms"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  EXPECT_EQ(titles(screen).substr(1, 6), "Client") << text;
  EXPECT_NE(screen.line(23).find("Connections 1-5 of 5"), std::string::npos) << text;
  expect_snapshot("detail_health_80x24", text);
  // None yet: said so, not a zero.
  app.step(key::escape);
  for (int i = 0; i < 2; ++i) app.step(key::down);  // the SYN_SENT row
  app.step(key::enter);
  EXPECT_NE(screen.text().find("| RTT client     none                 RTT server none "), std::string::npos)
      << screen.text();
  EXPECT_NE(screen.text().find("RTT min none, 0 samples"), std::string::npos) << screen.text();
  EXPECT_NE(screen.text().find("Handshake RTT not seen"), std::string::npos) << screen.text();
}

// < and > move the sort to the previous or next column; the sorted column's title is
// drawn out of the title bar's reverse video.
TEST_F(ScreenTest, AngleBracketsMoveTheSortAcrossColumns) {
  typical_traffic();
  FakeScreen screen(50, 190);
  ScreenApp app(screen, source, clock, 1000, nullptr);
  app.step(key::none);
  app.step('d');
  app.step('b');
  const int t = titles_line(screen);
  const auto lit = [&](const char* title) {
    const std::size_t at = titles(screen).find(title);
    return at != std::string::npos && screen.styles_of(t)[at] == ' ';
  };
  EXPECT_FALSE(lit("Idle"));
  app.step('>');
  EXPECT_NE(screen.line(49).find("Sorted by idle"), std::string::npos) << screen.line(49);
  EXPECT_TRUE(lit("Idle"));
  app.step('>');
  EXPECT_NE(screen.line(49).find("Sorted by rate"), std::string::npos);
  EXPECT_TRUE(lit("Speed"));
  EXPECT_FALSE(lit("Idle"));
  app.step('>');
  EXPECT_NE(screen.line(49).find("Sorted by C>S rate"), std::string::npos);
  EXPECT_TRUE(lit("C>S speed"));
  app.step('>');
  EXPECT_TRUE(lit("S>C speed"));
  app.step('>');
  EXPECT_NE(screen.line(49).find("Sorted by bytes"), std::string::npos);
  EXPECT_TRUE(lit("C>S bytes"));
  EXPECT_TRUE(lit("S>C bytes"));
  app.step('>');  // the health columns end the row
  EXPECT_NE(screen.line(49).find("Sorted by RTT"), std::string::npos);
  EXPECT_TRUE(lit("RTT"));
  EXPECT_FALSE(lit("C>S bytes"));
  app.step('>');
  EXPECT_NE(screen.line(49).find("Sorted by retrans"), std::string::npos);
  EXPECT_TRUE(lit("Retr"));
  app.step('>');
  EXPECT_NE(screen.line(49).find("Unsorted"), std::string::npos);
  app.step('<');
  EXPECT_NE(screen.line(49).find("Sorted by retrans"), std::string::npos);
  type(app, "<<");
  EXPECT_NE(screen.line(49).find("Sorted by bytes"), std::string::npos);
  app.step('<');
  EXPECT_NE(screen.line(49).find("Sorted by S>C rate"), std::string::npos);
  EXPECT_TRUE(lit("S>C speed"));
  EXPECT_FALSE(lit("C>S bytes"));
}

}  // namespace
}  // namespace ringtrack::testing
