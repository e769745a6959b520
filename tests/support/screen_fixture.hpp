// Owns: what the in-process screen tests share: a stepped clock, a ScreenTest fixture with
// a real shard behind a fake terminal and the traffic of every kind a screen shows, goldens
// in tests/snapshots (RINGTRACK_UPDATE_SNAPSHOTS=1 writes them), and ways to find the
// title line, a row, the highlight, and to type keys.
// Does not own: the fake terminal (fake_screen) or packets (packet_script).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "fake_screen.hpp"
#include "frontend/screen/screen_app.hpp"
#include "packet_script.hpp"
#include "shard_view_source.hpp"

namespace ringtrack::testing {

using frontend::ScreenApp;
namespace key = frontend::key;

class SteppedClock final : public frontend::Clock {
 public:
  uint64_t now_ms() override { return ms; }
  uint64_t ms = 0;
};

inline std::array<uint8_t, 16> ipv6(uint16_t last) {
  std::array<uint8_t, 16> a{0x20, 0x01, 0x0d, 0xb8};
  a[14] = uint8_t(last >> 8);
  a[15] = uint8_t(last);
  return a;
}

// The title line: line 1 under a header line, line 0 where the header folds away.
inline int titles_line(const FakeScreen& screen) {
  for (int r = 0; r < screen.rows(); ++r)
    if (screen.line(r).substr(1, 6) == "Client") return r;
  return -1;
}
inline const std::string& titles(const FakeScreen& screen) { return screen.line(titles_line(screen)); }
/// Connection row i (from 0) on screen.
inline const std::string& row(const FakeScreen& screen, int i) { return screen.line(titles_line(screen) + 1 + i); }

inline void expect_snapshot(const std::string& name, const std::string& frame) {
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
  // A hundred handshakes, a millisecond apart, seen a second after the first.
  void hundred_connections() {
    for (uint8_t i = 0; i < 100; ++i) {
      PacketScript s{{ipv4(10, 1, 0, i), uint16_t(30000 + i)}, {ipv4(192, 0, 2, 1), 80}};
      handshake(s, t0 + i * ms);
    }
    source.clock_ns = t0 + 1 * sec;
  }
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

  /// Sends the last `payload` bytes of one side again (a retransmission when the original
  /// is older than the handshake's RTT, Wireshark's out-of-order window).
  void retransmit(PacketScript& s, bool from_client, uint32_t payload, uint64_t at) {
    s.seq[from_client ? 0 : 1] -= payload;
    feed(s, from_client, flags::psh_ack, payload, at);
  }
  // typical_traffic, with TCP health on the web connection: two retransmissions from the
  // client, one segment out of order from the client, one zero window from the server.
  void health_traffic() {
    typical_traffic();
    feed(web, true, flags::psh_ack, 1000, t0 + 700 * ms);
    retransmit(web, true, 1000, t0 + 710 * ms);
    retransmit(web, true, 1000, t0 + 720 * ms);
    web.window[1] = 0;
    feed(web, false, flags::ack, 0, t0 + 730 * ms);
    web.window[1] = 65535;
    feed(web, false, flags::ack, 0, t0 + 735 * ms);
    // 100 bytes after a hole of 100, then the hole filled a millisecond later.
    web.seq[0] += 100;
    feed(web, true, flags::psh_ack, 100, t0 + 740 * ms);
    web.seq[0] -= 200;
    feed(web, true, flags::psh_ack, 100, t0 + 741 * ms);
    web.seq[0] += 100;
  }

  ShardViewSource source;
  SteppedClock clock;
  PacketScript web;
};

inline void type(ScreenApp& app, const std::string& keys) {
  for (char c : keys) app.step(c);
}

inline void apply_filter(ScreenApp& app, const std::string& text) {
  app.step('/');
  app.step(key::ctrl_u);
  type(app, text);
  app.step(key::enter);
}

// Pausing froze the rows, and TOTAL read 0 B/s for the whole pause: it keeps the totals of

// The highlighted row (-1: none).
inline int highlighted(const FakeScreen& screen) {
  for (int i = 0; titles_line(screen) + 1 + i < screen.rows() - 2; ++i)
    if (screen.styles_of(titles_line(screen) + 1 + i)[2] == 'r') return i;
  return -1;
}

}  // namespace ringtrack::testing
