// Tests the shard: tcptrack's states and client/server rules, reuse and retransmitted
// SYNs and FINs, same-host closes, mid-stream pickup and -d, speeds in both modes, removal
// timers (the SYN back-off among them), strays after removal, eviction, and GTP-U bearers of one key.
#include "flow/flow_shard.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "flow/shard_view.hpp"
#include "packet_script.hpp"

namespace ringtrack::testing {
namespace {

using flow::ConnView;
using flow::EndReason;
using flow::TcpState;

class ShardTest : public ::testing::Test {
 protected:
  void make_shard(uint32_t capacity = 64) {
    shard = std::make_unique<flow::FlowShard>(config, capacity, hasher, 0);
    shard->set_removal_sink(flow::RemovalSink(sink));
  }
  void SetUp() override { make_shard(); }

  PacketScript conversation(uint8_t last_octet = 1, uint16_t client_port = 40000,
                            uint16_t server_port = 80) {
    PacketScript s{{ipv4(10, 0, 0, last_octet), client_port}, {ipv4(10, 0, 1, 1), server_port}};
    s.hasher = &hasher;
    return s;
  }
  void feed(const decode::PacketRecord& r) { shard->apply({&r, 1}); }
  std::vector<ConnView> tracked(uint64_t as_of) {
    std::vector<ConnView> views;
    shard->for_each_view(as_of, [&](const ConnView& v) { views.push_back(v); });
    return views;
  }
  // The screen's query with filter text as of as_of: its rows, and how many connections match.
  uint64_t select(const char* text, uint64_t as_of, std::vector<ConnView>& rows) {
    flow::ViewQuery q;
    q.filter = flow::DisplayFilter::parse(text);
    q.limit = 100;
    q.as_of_ns = as_of;
    return flow::select_rows(*shard, q, rows).matching;
  }
  // connections conversations from 10.0.0.1-250 (the first third to port 80, the rest to
  // 443), a third without timestamps, their handshakes in the first 70 ms (some sharing their
  // first-seen order), then a segment of random size a millisecond until 2.8 s, each to a
  // random one in a random direction, one in 40 sent twice (a retransmission).
  std::vector<PacketScript> busy_conversations(uint32_t connections, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<PacketScript> scripts;
    for (uint32_t c = 0; c < connections; ++c) {
      scripts.push_back(conversation(uint8_t(1 + c % 250), uint16_t(20000 + c), c < connections / 3 ? 80 : 443));
      scripts.back().timestamps = c % 3 != 0;
      handshake(scripts.back(), t0 + (c % 7) * 10 * ms + c);
    }
    for (uint64_t t = t0 + 100 * ms; t < t0 + 2800 * ms; t += 1 * ms) {
      PacketScript& s = scripts[rng() % connections];
      const bool from_client = rng() & 1;
      decode::PacketRecord r = s.packet(from_client, flags::psh_ack, uint32_t(rng() % 1449), t);
      feed(r);
      if (rng() % 40 == 0) {
        r.ts_ns = t + 1;
        feed(r);
      }
    }
    return scripts;
  }
  ConnView only(uint64_t as_of) {
    auto views = tracked(as_of);
    EXPECT_EQ(views.size(), 1u);
    return views.empty() ? ConnView{} : views[0];
  }
  // Handshake at t, t+1ms, t+2ms.
  void handshake(PacketScript& s, uint64_t t) {
    feed(s.packet(true, flags::syn, 0, t));
    feed(s.packet(false, flags::syn_ack, 0, t + 1 * ms));
    feed(s.packet(true, flags::ack, 0, t + 2 * ms));
  }
  void close_both(PacketScript& s, uint64_t t) {
    feed(s.packet(true, flags::fin_ack, 0, t));
    feed(s.packet(false, flags::fin_ack, 0, t + 1 * ms));
    feed(s.packet(true, flags::ack, 0, t + 2 * ms));
  }

  struct Sink {
    std::vector<ConnView> removed;
    void operator()(const ConnView& v) { removed.push_back(v); }
  } sink;
  flow::FlowConfig config;
  flow::FlowHasher hasher{42};
  std::unique_ptr<flow::FlowShard> shard;
};

TEST_F(ShardTest, HandshakeWalksTcptrackStates) {
  auto s = conversation();
  feed(s.packet(true, flags::syn, 0, t0));
  EXPECT_EQ(only(t0).state, TcpState::syn_sent);
  feed(s.packet(false, flags::syn_ack, 0, t0 + 10 * ms));
  EXPECT_EQ(only(t0).state, TcpState::syn_ack_ack);
  feed(s.packet(true, flags::ack, 0, t0 + 30 * ms));
  const ConnView v = only(t0 + 30 * ms);
  EXPECT_EQ(v.state, TcpState::established);
  EXPECT_EQ(v.client_port, 40000);
  EXPECT_EQ(v.server_port, 80);
  EXPECT_EQ(v.handshake_rtt_us, 30'000u);
  EXPECT_FALSE(v.flags & flow::view_flag::midstream);
}

TEST_F(ShardTest, KeepsTheUnionOfTheFlagsEachSideSent) {
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::psh_ack, 100, t0 + 3 * ms, 200));
  feed(s.packet(false, flags::rst, 0, t0 + 4 * ms));
  const ConnView v = only(t0 + 4 * ms);
  namespace f = decode::tcp_flag;
  EXPECT_EQ(v.tcp_flags[0], f::syn | f::ack | f::psh);
  EXPECT_EQ(v.tcp_flags[1], f::syn | f::ack | f::rst);
  EXPECT_EQ(v.payload_bytes[0], 100u);  // the flags share a word with the payload count
  EXPECT_EQ(v.payload_bytes[1], 0u);
}

TEST_F(ShardTest, SpeedIsPartialUntilAWholeWindowFollowsTheFirstPacket) {
  auto s = conversation();
  handshake(s, t0 + 700 * ms);  // t0 is a whole second
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 800 * ms));
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 1 * sec + 800 * ms));
  // As of 1.9 s the window is [0 s, 1 s): it began before the connection did.
  ConnView v = only(t0 + 1 * sec + 900 * ms);
  EXPECT_TRUE(v.flags & flow::view_flag::speed_partial);
  EXPECT_EQ(v.speed_bytes_per_s[0], 1000u);
  // As of 2.1 s the window is [1 s, 2 s): a whole second of the connection.
  v = only(t0 + 2 * sec + 100 * ms);
  EXPECT_FALSE(v.flags & flow::view_flag::speed_partial);
  EXPECT_EQ(v.speed_bytes_per_s[0], 1000u);
}

TEST_F(ShardTest, RetransmittedSynAckIsNotTheHandshakesEnd) {
  auto s = conversation();
  feed(s.packet(true, flags::syn, 0, t0));
  feed(s.packet(false, flags::syn_ack, 0, t0 + 1 * ms));
  feed(s.packet(false, flags::syn_ack, 0, t0 + 1 * sec));  // the client's ACK was lost
  feed(s.packet(true, flags::ack, 0, t0 + 1 * sec + 1 * ms));
  const ConnView v = only(t0 + 2 * sec);
  EXPECT_EQ(v.state, TcpState::established);  // tcptrack's rule: any ACK in SYN_ACK_ACK
  EXPECT_EQ(v.handshake_rtt_us, 0u);  // unknown, rather than the server's retransmission time
}

TEST_F(ShardTest, CountsPerDirectionOrientedClientToServer) {
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::psh_ack, 100, t0 + 3 * ms, 200));
  feed(s.packet(false, flags::psh_ack, 1000, t0 + 4 * ms, 1100));
  feed(s.packet(false, flags::psh_ack, 500, t0 + 5 * ms, 600));
  const ConnView v = only(t0 + 5 * ms);
  EXPECT_EQ(v.packets[0], 3u);
  EXPECT_EQ(v.packets[1], 3u);
  EXPECT_EQ(v.payload_bytes[0], 100u);
  EXPECT_EQ(v.payload_bytes[1], 1500u);
  EXPECT_EQ(v.wire_bytes[0], 54u + 54 + 200);
  EXPECT_EQ(v.wire_bytes[1], 54u + 1100 + 600);
  EXPECT_EQ(v.first_ts_ns, t0);
  EXPECT_EQ(v.last_ts_ns, t0 + 5 * ms);
  EXPECT_EQ(shard->stats().tcp_packets, 6u);
  EXPECT_EQ(shard->stats().connections, 1u);
}

TEST_F(ShardTest, BothFinsAcknowledgedClosesThenLingerRemoves) {
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::fin_ack, 0, t0 + 10 * ms));
  EXPECT_EQ(only(t0).state, TcpState::closing);
  feed(s.packet(false, flags::fin_ack, 0, t0 + 11 * ms));
  EXPECT_EQ(only(t0).state, TcpState::closing);  // server's FIN not yet acknowledged
  feed(s.packet(true, flags::ack, 0, t0 + 12 * ms));
  EXPECT_EQ(only(t0).state, TcpState::closed);

  // -r 2: still there 2 s after the last packet, gone within the next sweep second.
  shard->advance_clock(t0 + 12 * ms + 2 * sec);
  EXPECT_EQ(tracked(t0).size(), 1u);
  shard->advance_clock(t0 + 12 * ms + 3 * sec + 200 * ms);
  EXPECT_TRUE(tracked(t0).empty());
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].end, EndReason::expired);
  EXPECT_EQ(sink.removed[0].state, TcpState::closed);
  EXPECT_EQ(shard->stats().expired, 1u);
}

TEST_F(ShardTest, RetransmittedFinKeepsItsAcknowledgement) {
  auto s = conversation();
  handshake(s, t0);
  auto server_fin = s.packet(false, flags::fin_ack, 0, t0 + 10 * ms);
  feed(server_fin);
  feed(s.packet(true, flags::fin_ack, 0, t0 + 11 * ms));  // acknowledges the server's FIN
  feed(s.packet(true, flags::ack, 0, t0 + 12 * ms));
  EXPECT_EQ(only(t0).state, TcpState::closing);  // the client's FIN is not yet acknowledged
  // The server never saw the client's ACK: it sends its FIN again, same sequence number,
  // now acknowledging the client's FIN. Both FINs are acknowledged.
  server_fin.ack = s.seq[0];
  server_fin.ts_ns = t0 + 210 * ms;
  feed(server_fin);
  EXPECT_EQ(only(t0).state, TcpState::closed);
}

TEST_F(ShardTest, FinAtANewSequenceNumberNeedsItsOwnAcknowledgement) {
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(false, flags::fin_ack, 0, t0 + 10 * ms));
  feed(s.packet(true, flags::ack, 0, t0 + 11 * ms));  // acknowledges the first FIN
  // A FIN further on (data after a FIN is a broken stack, but seen): the acknowledgement
  // of the earlier FIN does not cover it.
  const uint32_t first_fin_acked = s.seq[1];
  s.seq[1] += 100;
  feed(s.packet(false, flags::fin_ack, 0, t0 + 12 * ms));
  auto client_fin = s.packet(true, flags::fin_ack, 0, t0 + 13 * ms);
  client_fin.ack = first_fin_acked;
  feed(client_fin);
  feed(s.packet(false, flags::ack, 0, t0 + 14 * ms));  // acknowledges the client's FIN
  EXPECT_EQ(only(t0).state, TcpState::closing);
}

TEST_F(ShardTest, RstResetsInEveryState) {
  const uint8_t states_reached[] = {1, 2, 3, 4};  // packets before the RST
  for (uint8_t steps : states_reached) {
    make_shard();
    auto s = conversation();
    feed(s.packet(true, flags::syn, 0, t0));
    if (steps >= 2) feed(s.packet(false, flags::syn_ack, 0, t0 + 1 * ms));
    if (steps >= 3) feed(s.packet(true, flags::ack, 0, t0 + 2 * ms));
    if (steps >= 4) feed(s.packet(true, flags::fin_ack, 0, t0 + 3 * ms));
    const TcpState before[] = {TcpState::syn_sent, TcpState::syn_sent, TcpState::syn_ack_ack,
                               TcpState::established, TcpState::closing};
    EXPECT_EQ(only(t0).state, before[steps]) << int(steps);
    feed(s.packet(false, flags::rst_ack, 0, t0 + 5 * ms));
    EXPECT_EQ(only(t0).state, TcpState::reset) << int(steps);
  }
}

TEST_F(ShardTest, RstAfterCleanCloseStaysClosed) {
  auto s = conversation();
  handshake(s, t0);
  close_both(s, t0 + 10 * ms);
  feed(s.packet(false, flags::rst, 0, t0 + 20 * ms));
  EXPECT_EQ(only(t0).state, TcpState::closed);
}

TEST_F(ShardTest, NewSynAfterCloseStartsANewConnection) {
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::psh_ack, 10, t0 + 5 * ms));
  close_both(s, t0 + 10 * ms);
  s.seq[0] += 100000;  // a new ISN
  feed(s.packet(true, flags::syn, 0, t0 + 500 * ms));
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].end, EndReason::reused);
  EXPECT_EQ(sink.removed[0].state, TcpState::closed);
  EXPECT_EQ(sink.removed[0].payload_bytes[0], 10u);
  const ConnView v = only(t0 + 500 * ms);
  EXPECT_EQ(v.state, TcpState::syn_sent);
  EXPECT_EQ(v.packets[0], 1u);
  EXPECT_EQ(v.first_ts_ns, t0 + 500 * ms);
  EXPECT_EQ(shard->stats().connections, 2u);
  EXPECT_EQ(shard->stats().reused, 1u);
}

TEST_F(ShardTest, NewSynAfterResetStartsANewConnection) {
  auto s = conversation();
  feed(s.packet(true, flags::syn, 0, t0));
  feed(s.packet(false, flags::rst_ack, 0, t0 + 1 * ms));
  feed(s.packet(true, flags::syn, 0, t0 + 1 * sec));
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].state, TcpState::reset);
  EXPECT_EQ(only(t0 + 1 * sec).state, TcpState::syn_sent);
}

TEST_F(ShardTest, RetransmittedSynKeepsTheConnection) {
  auto s = conversation();
  auto syn = s.packet(true, flags::syn, 0, t0);
  feed(syn);
  syn.ts_ns = t0 + 1 * sec;
  feed(syn);
  const ConnView v = only(t0 + 1 * sec);
  EXPECT_EQ(v.packets[0], 2u);
  EXPECT_EQ(v.state, TcpState::syn_sent);
  EXPECT_TRUE(sink.removed.empty());
}

// RFC 5961: the client's SYN draws a challenge ACK, the client answers it with an RST and
// retransmits its SYN (same ISN): one attempt in the client's kernel, one Wireshark stream.
TEST_F(ShardTest, SynRetransmittedAfterItsChallengeAckRstRevivesTheConnection) {
  auto s = conversation();
  auto syn = s.packet(true, flags::syn, 0, t0);
  feed(syn);
  auto challenge = s.packet(false, flags::ack, 0, t0 + 1 * ms);
  challenge.ack = 77777;  // acknowledges an old connection's sequence, not this SYN
  feed(challenge);
  auto rst = s.packet(true, flags::rst, 0, t0 + 2 * ms);
  rst.seq = challenge.ack;
  feed(rst);
  EXPECT_EQ(only(t0).state, TcpState::reset);
  syn.ts_ns = t0 + 1 * sec;
  feed(syn);
  EXPECT_EQ(only(t0 + 1 * sec).state, TcpState::syn_sent);
  feed(s.packet(false, flags::syn_ack, 0, t0 + 1 * sec + 1 * ms));
  feed(s.packet(true, flags::ack, 0, t0 + 1 * sec + 2 * ms));
  feed(s.packet(true, flags::psh_ack, 10, t0 + 1 * sec + 3 * ms));
  close_both(s, t0 + 1 * sec + 10 * ms);
  const ConnView v = only(t0 + 2 * sec);
  EXPECT_EQ(v.state, TcpState::closed);
  EXPECT_EQ(v.packets[0], 7u);  // SYN, RST, SYN, ACK, data, FIN, ACK
  EXPECT_EQ(v.packets[1], 3u);  // challenge ACK, SYN+ACK, FIN
  EXPECT_EQ(v.payload_bytes[0], 10u);
  EXPECT_EQ(v.first_ts_ns, t0);
  EXPECT_TRUE(sink.removed.empty());
  EXPECT_EQ(shard->stats().connections, 1u);
  EXPECT_EQ(shard->stats().reused, 0u);
}

TEST_F(ShardTest, SameSynRefusedThreeTimesIsOneConnection) {
  auto s = conversation();
  auto syn = s.packet(true, flags::syn, 0, t0);
  for (uint64_t k = 0; k < 3; ++k) {
    syn.ts_ns = t0 + k * sec;
    feed(syn);
    auto rst = s.packet(false, flags::rst_ack, 0, t0 + k * sec + 1 * ms);
    feed(rst);
  }
  const ConnView v = only(t0 + 3 * sec);
  EXPECT_EQ(v.state, TcpState::reset);
  EXPECT_EQ(v.packets[0], 3u);
  EXPECT_EQ(v.packets[1], 3u);
  EXPECT_TRUE(sink.removed.empty());
  EXPECT_EQ(shard->stats().connections, 1u);
}

TEST_F(ShardTest, RefusedAttemptIsKeptForItsRetransmissionButHiddenAfterLinger) {
  auto s = conversation();
  auto syn = s.packet(true, flags::syn, 0, t0);
  feed(syn);
  feed(s.packet(false, flags::rst_ack, 0, t0 + 1 * ms));
  // Past -r (2 s): off the screen, but still the attempt its next SYN belongs to.
  shard->advance_clock(t0 + 5 * sec);
  ASSERT_EQ(shard->table().size(), 1u);
  EXPECT_TRUE(shard->hidden_at(0, t0 + 5 * sec));
  EXPECT_TRUE(sink.removed.empty());
  flow::ViewQuery screen;
  screen.limit = 10;
  screen.as_of_ns = t0 + 5 * sec;
  std::vector<ConnView> rows;
  EXPECT_EQ(flow::select_rows(*shard, screen, rows).matching, 0u);
  EXPECT_TRUE(rows.empty());
  syn.ts_ns = t0 + 7 * sec;
  feed(syn);
  const ConnView v = only(t0 + 7 * sec);
  EXPECT_EQ(v.state, TcpState::syn_sent);
  EXPECT_EQ(v.packets[0], 2u);
  EXPECT_FALSE(shard->hidden_at(0, t0 + 7 * sec));
  EXPECT_EQ(shard->stats().connections, 1u);
  // Left alone, it goes with the half-open timer.
  feed(s.packet(false, flags::rst_ack, 0, t0 + 7 * sec + 1 * ms));
  shard->advance_clock(t0 + 60 * sec);
  EXPECT_TRUE(tracked(t0).empty());
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].state, TcpState::reset);
}

TEST_F(ShardTest, SameIsnSynAfterAnEstablishedConnectionsResetIsAStrayCopy) {
  auto s = conversation();
  auto syn = s.packet(true, flags::syn, 0, t0);
  feed(syn);
  feed(s.packet(false, flags::syn_ack, 0, t0 + 1 * ms));
  feed(s.packet(true, flags::ack, 0, t0 + 2 * ms));
  feed(s.packet(false, flags::rst, 0, t0 + 3 * ms));
  syn.ts_ns = t0 + 4 * ms;  // a duplicate delayed in the network
  feed(syn);
  const ConnView v = only(t0 + 4 * ms);
  EXPECT_EQ(v.state, TcpState::reset);  // its handshake was done: nothing to revive
  EXPECT_EQ(v.packets[0], 3u);
  EXPECT_TRUE(sink.removed.empty());
  // Its -r linger is the usual one.
  shard->advance_clock(t0 + 4 * sec);
  EXPECT_TRUE(tracked(t0).empty());
}

TEST_F(ShardTest, SynWithANewIsnOnAnOpenConnectionStartsANewOne) {
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::psh_ack, 10, t0 + 5 * ms));
  s.seq[0] = 777777;  // the client's port was reused without a close we saw
  feed(s.packet(true, flags::syn, 0, t0 + 90 * sec));
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].end, EndReason::reused);
  EXPECT_EQ(sink.removed[0].state, TcpState::established);
  const ConnView v = only(t0 + 90 * sec);
  EXPECT_EQ(v.state, TcpState::syn_sent);
  EXPECT_EQ(v.packets[0], 1u);
  EXPECT_EQ(v.packets[1], 0u);
}

TEST_F(ShardTest, SynAfterTheSendersFinStartsANewOne) {
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::fin_ack, 0, t0 + 10 * ms));
  feed(s.packet(true, flags::syn, 0, t0 + 20 * ms));
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].state, TcpState::closing);
}

TEST_F(ShardTest, SynMatchingAMidstreamPickupsSequenceIsNotANewConnection) {
  auto s = conversation();
  s.seq[0] = 5001;
  feed(s.packet(true, flags::psh_ack, 10, t0));  // seq 5001: its ISN would be 5000
  auto late_syn = s.packet(true, flags::syn, 0, t0 + 1 * ms);
  late_syn.seq = 5000;
  feed(late_syn);
  EXPECT_TRUE(sink.removed.empty());
  EXPECT_EQ(only(t0).packets[0], 2u);
}

TEST_F(ShardTest, SameHostClosesOnlyWhenBothFinsAreAcknowledged) {
  PacketScript s{{ipv4(127, 0, 0, 1), 40000}, {ipv4(127, 0, 0, 1), 3306}};
  s.hasher = &hasher;
  handshake(s, t0);
  feed(s.packet(true, flags::fin_ack, 0, t0 + 10 * ms));  // client closes its side
  feed(s.packet(false, flags::ack, 0, t0 + 11 * ms));      // server acknowledges it
  feed(s.packet(false, flags::psh_ack, 300, t0 + 12 * ms));  // server still sends
  feed(s.packet(true, flags::ack, 0, t0 + 13 * ms));
  EXPECT_EQ(only(t0).state, TcpState::closing);  // tcptrack says CLOSED here
  feed(s.packet(false, flags::fin_ack, 0, t0 + 20 * ms));
  EXPECT_EQ(only(t0).state, TcpState::closing);
  feed(s.packet(true, flags::ack, 0, t0 + 21 * ms));
  const ConnView v = only(t0);
  EXPECT_EQ(v.state, TcpState::closed);
  EXPECT_EQ(v.client_port, 40000);
  EXPECT_EQ(v.payload_bytes[1], 300u);
}

// The shard's payload bytes per direction (the screen's cumulative TOTAL): client to server
// and back whichever end of the key the client is, and still counted once the connection
// is gone.
TEST_F(ShardTest, PayloadBytesPerDirectionOutliveTheirConnections) {
  auto s = conversation(1, 443, 51000);  // mid-stream: 51000 is the client
  feed(s.packet(false, flags::psh_ack, 100, t0));
  feed(s.packet(true, flags::psh_ack, 700, t0 + 1 * ms));
  feed(s.packet(true, flags::ack, 20, t0 + 2 * ms));
  EXPECT_EQ(shard->stats().payload_bytes[0], 100u);
  EXPECT_EQ(shard->stats().payload_bytes[1], 720u);
  feed(s.packet(false, flags::rst_ack, 0, t0 + 3 * ms));
  shard->advance_clock(t0 + 60 * sec);
  EXPECT_TRUE(tracked(t0 + 60 * sec).empty());
  EXPECT_EQ(shard->stats().payload_bytes[0], 100u);
  EXPECT_EQ(shard->stats().payload_bytes[1], 720u);
}

TEST_F(ShardTest, MidstreamPickupMakesTheLowerPortTheServer) {
  auto s = conversation(1, 443, 51000);  // the "client" of the script is really the server
  feed(s.packet(false, flags::psh_ack, 100, t0));
  ConnView v = only(t0);
  EXPECT_EQ(v.state, TcpState::established);
  EXPECT_TRUE(v.flags & flow::view_flag::midstream);
  EXPECT_TRUE(v.flags & flow::view_flag::one_sided);
  EXPECT_EQ(v.server_port, 443);
  EXPECT_EQ(v.client_port, 51000);
  EXPECT_EQ(v.payload_bytes[0], 100u);  // 51000 -> 443 is client to server
  feed(s.packet(true, flags::ack, 0, t0 + 1 * ms));
  v = only(t0);
  EXPECT_FALSE(v.flags & flow::view_flag::one_sided);
  EXPECT_EQ(v.handshake_rtt_us, 0u);
}

TEST_F(ShardTest, SynAckFirstMakesItsReceiverTheClient) {
  auto s = conversation(1, 40000, 8080);
  feed(s.packet(false, flags::syn_ack, 0, t0));
  const ConnView v = only(t0);
  EXPECT_EQ(v.state, TcpState::syn_ack_ack);
  EXPECT_EQ(v.client_port, 40000);
  feed(s.packet(true, flags::ack, 0, t0 + 1 * ms));
  EXPECT_EQ(only(t0).state, TcpState::established);
}

TEST_F(ShardTest, MidstreamFirstPacketMayCloseOrReset) {
  auto s = conversation();
  feed(s.packet(true, flags::fin_ack, 0, t0));
  EXPECT_EQ(only(t0).state, TcpState::closing);
  auto r = conversation(2);
  feed(r.packet(false, flags::rst, 0, t0));
  EXPECT_EQ(tracked(t0).size(), 2u);
}

TEST_F(ShardTest, DetectOffTracksOnlyConnectionsWithTheirSyn) {
  config.track_midstream = false;
  make_shard();
  auto s = conversation();
  feed(s.packet(true, flags::psh_ack, 100, t0));
  feed(s.packet(false, flags::syn_ack, 0, t0));
  EXPECT_TRUE(tracked(t0).empty());
  EXPECT_EQ(shard->stats().untracked_packets, 2u);
  auto n = conversation(2);
  handshake(n, t0);
  EXPECT_EQ(tracked(t0).size(), 1u);
}

TEST_F(ShardTest, SpeedIsTheLastCompleteSecond) {
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 100 * ms));
  feed(s.packet(false, flags::psh_ack, 3000, t0 + 900 * ms));
  // During second 0 nothing is complete yet.
  EXPECT_EQ(only(t0 + 950 * ms).speed_total(), 0u);
  // In second 1, second 0 is the last complete one.
  ConnView v = only(t0 + 1500 * ms);
  EXPECT_EQ(v.speed_bytes_per_s[0], 1000u);
  EXPECT_EQ(v.speed_bytes_per_s[1], 3000u);
  feed(s.packet(true, flags::psh_ack, 7, t0 + 1200 * ms));
  EXPECT_EQ(only(t0 + 1500 * ms).speed_total(), 4000u);
  EXPECT_EQ(only(t0 + 2 * sec).speed_total(), 7u);
  // A quiet second brings it to zero, in both directions.
  EXPECT_EQ(only(t0 + 3 * sec).speed_total(), 0u);
}

TEST_F(ShardTest, ViewAskedAtAClockBehindTheShardIsAsOfItsNewestPacket) {
  // A live query carries the wall clock of when it was sent; the reader may apply newer
  // packets before it answers. The answer is then as of the shard's own clock: neither a
  // speed of 0 (the second asked for is gone from the two-second ring) nor a negative idle.
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 1500 * ms));
  feed(s.packet(false, flags::ack, 0, t0 + 2001 * ms));
  const ConnView v = only(t0 + 1998 * ms);
  EXPECT_EQ(v.as_of_ns, t0 + 2001 * ms);
  EXPECT_EQ(v.speed_total(), 1000u);
  EXPECT_EQ(v.idle_ns(), 0u);
}

TEST_F(ShardTest, QuietDirectionDoesNotKeepAnOldSecond) {
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::psh_ack, 500, t0 + 100 * ms));       // client in second 0
  feed(s.packet(false, flags::psh_ack, 10, t0 + 2100 * ms));      // server in second 2
  const ConnView v = only(t0 + 3500 * ms);                         // window: second 2
  EXPECT_EQ(v.speed_bytes_per_s[0], 0u);
  EXPECT_EQ(v.speed_bytes_per_s[1], 10u);
}

TEST_F(ShardTest, FastModeSlidesAOneSecondWindowInTenthSteps) {
  config.fast_rates = true;
  make_shard();
  auto s = conversation();
  handshake(s, t0);
  for (int i = 0; i < 20; ++i) feed(s.packet(true, flags::psh_ack, 100, t0 + uint64_t(i) * 100 * ms + 50 * ms));
  // At 2.0 s the window is [1.0, 2.0): ten packets.
  EXPECT_EQ(only(t0 + 2 * sec).speed_total(), 1000u);
  // At 2.35 s the window is [1.3, 2.3): packets at 1.35 .. 1.95 = seven.
  EXPECT_EQ(only(t0 + 2350 * ms).speed_total(), 700u);
  EXPECT_EQ(only(t0 + 3 * sec).speed_total(), 0u);
}

TEST_F(ShardTest, HalfOpenClosingAndIdleTimers) {
  config.idle_timeout_ns = 100 * sec;
  make_shard();
  auto half_open = conversation(1);
  feed(half_open.packet(true, flags::syn, 0, t0));
  auto closing = conversation(2);
  handshake(closing, t0);
  feed(closing.packet(true, flags::fin_ack, 0, t0 + 3 * ms));
  auto idle = conversation(3);
  handshake(idle, t0);
  auto one_sided = conversation(4, 40000, 22);
  feed(one_sided.packet(false, flags::psh_ack, 10, t0));

  shard->advance_clock(t0 + 29 * sec);
  EXPECT_EQ(tracked(t0).size(), 4u);
  shard->advance_clock(t0 + 32 * sec);
  EXPECT_EQ(tracked(t0).size(), 3u);  // SYN_SENT after 30 s
  shard->advance_clock(t0 + 59 * sec);
  EXPECT_EQ(tracked(t0).size(), 3u);
  shard->advance_clock(t0 + 62 * sec);
  EXPECT_EQ(tracked(t0).size(), 1u);  // CLOSING and the one-sided pickup after 60 s
  shard->advance_clock(t0 + 99 * sec);
  EXPECT_EQ(tracked(t0).size(), 1u);
  shard->advance_clock(t0 + 102 * sec);
  EXPECT_TRUE(tracked(t0).empty());  // ESTABLISHED after the idle timeout
  EXPECT_EQ(sink.removed.size(), 4u);
  EXPECT_EQ(shard->stats().expired, 4u);
}

// Each state has its own timer (all different here): a record is shown up to its state's
// timer and hidden a nanosecond after, whatever the shortest timer of all states is.
TEST_F(ShardTest, EachStateIsHiddenJustPastItsOwnTimer) {
  config.closed_linger_ns = 2 * sec;
  config.half_open_timeout_ns = 5 * sec;
  config.closing_timeout_ns = 7 * sec;
  config.one_sided_timeout_ns = 11 * sec;
  config.idle_timeout_ns = 13 * sec;
  make_shard();
  auto syn_sent = conversation(1);
  feed(syn_sent.packet(true, flags::syn, 0, t0));
  auto syn_ack_ack = conversation(2);
  feed(syn_ack_ack.packet(true, flags::syn, 0, t0));
  feed(syn_ack_ack.packet(false, flags::syn_ack, 0, t0 + 1 * ms));
  auto established = conversation(3);
  handshake(established, t0);
  auto one_sided = conversation(4, 40000, 22);
  feed(one_sided.packet(false, flags::psh_ack, 10, t0));
  auto closing = conversation(5);
  handshake(closing, t0);
  feed(closing.packet(true, flags::fin_ack, 0, t0 + 3 * ms));
  auto closed = conversation(6);
  handshake(closed, t0);
  close_both(closed, t0 + 3 * ms);
  auto reset = conversation(7);
  handshake(reset, t0);
  feed(reset.packet(true, flags::rst, 0, t0 + 3 * ms));

  struct Case {
    const char* client;
    TcpState state;
    uint64_t hidden_after;  // last packet + the state's timer
  };
  const Case cases[] = {
      {"10.0.0.1", TcpState::syn_sent, t0 + 5 * sec},
      {"10.0.0.2", TcpState::syn_ack_ack, t0 + 1 * ms + 5 * sec + 1 * ms},  // the attempt's age added
      {"10.0.0.3", TcpState::established, t0 + 2 * ms + 13 * sec},
      {"10.0.0.4", TcpState::established, t0 + 11 * sec},  // one-sided pickup
      {"10.0.0.5", TcpState::closing, t0 + 3 * ms + 7 * sec},
      {"10.0.0.6", TcpState::closed, t0 + 5 * ms + 2 * sec},
      {"10.0.0.7", TcpState::reset, t0 + 3 * ms + 2 * sec},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.client);
    std::vector<ConnView> rows;
    ASSERT_EQ(select(c.client, c.hidden_after, rows), 1u);
    EXPECT_EQ(rows[0].state, c.state);
    EXPECT_FALSE(shard->hidden_at(shard->find(flow::key_of(rows[0])), c.hidden_after));
    EXPECT_EQ(select(c.client, c.hidden_after + 1, rows), 0u);
    EXPECT_TRUE(rows.empty());
  }
}

// Linux's default tcp_syn_retries (6): SYN at 0, 1, 3, 7, 15, 31 and 63 s, giving up at
// 127 s. The clock ticks every 100 ms between packets, as a live shard's does.
TEST_F(ShardTest, HalfOpenTimerCoversTheKernelsSynBackOff) {
  auto s = conversation();
  auto syn = s.packet(true, flags::syn, 0, t0);
  auto tick_to = [&](uint64_t until_ns) {
    for (uint64_t t = std::max(shard->now_ns(), t0) + 100 * ms; t <= until_ns; t += 100 * ms)
      shard->advance_clock(t);
  };
  for (uint64_t at_s : {0, 1, 3, 7, 15, 31, 63}) {
    tick_to(t0 + at_s * sec);
    syn.ts_ns = t0 + at_s * sec;
    feed(syn);
  }
  feed(s.packet(false, flags::syn_ack, 0, t0 + 63 * sec + 1 * ms));
  feed(s.packet(true, flags::ack, 0, t0 + 63 * sec + 2 * ms));
  const ConnView v = only(t0 + 64 * sec);
  EXPECT_EQ(v.state, TcpState::established);
  EXPECT_EQ(v.packets[0], 8u);
  EXPECT_TRUE(sink.removed.empty());
  EXPECT_EQ(shard->stats().connections, 1u);
}

TEST_F(ShardTest, UnansweredSynRetriesLeaveWhenTheKernelWouldHaveGivenUp) {
  auto s = conversation();
  auto syn = s.packet(true, flags::syn, 0, t0);
  for (uint64_t at_s : {0, 1, 3, 7, 15, 31, 63}) {
    syn.ts_ns = t0 + at_s * sec;
    feed(syn);
  }
  shard->advance_clock(t0 + 127 * sec);  // Linux gives up on the attempt here
  EXPECT_EQ(tracked(t0).size(), 1u);
  shard->advance_clock(t0 + 200 * sec);  // and the record goes within a few timer lengths
  EXPECT_TRUE(tracked(t0).empty());
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].packets[0], 7u);
}

// A finished connection's identity is kept for a TIME_WAIT (60 s) after its removal: its
// stray segments are counted as stray packets, not made into a phantom mid-stream row.
TEST_F(ShardTest, FinRetransmittedAfterRemovalIsAStrayNotANewRow) {
  auto s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::fin_ack, 0, t0 + 9 * ms));
  auto server_fin = s.packet(false, flags::fin_ack, 0, t0 + 10 * ms);
  feed(server_fin);
  feed(s.packet(true, flags::ack, 0, t0 + 11 * ms));
  shard->advance_clock(t0 + 4 * sec);  // -r 2: removed
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].state, TcpState::closed);
  server_fin.ts_ns = t0 + 5 * sec;  // the server never saw the last ACK
  feed(server_fin);
  feed(s.packet(true, flags::ack, 0, t0 + 5 * sec + 1 * ms));
  EXPECT_TRUE(tracked(t0 + 5 * sec).empty());
  EXPECT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(shard->stats().stray_packets, 2u);
  EXPECT_EQ(shard->stats().connections, 1u);
  EXPECT_EQ(shard->stats().tcp_packets, 6u);  // strays are not applied to a connection
}

TEST_F(ShardTest, StrayOfAConnectionTheClosingTimerRemovedIsAbsorbed) {
  auto s = conversation();
  handshake(s, t0);
  auto fin = s.packet(true, flags::fin_ack, 0, t0 + 3 * ms);
  feed(fin);
  shard->advance_clock(t0 + 62 * sec);
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].state, TcpState::closing);
  fin.ts_ns = t0 + 70 * sec;
  feed(fin);
  EXPECT_TRUE(tracked(t0 + 70 * sec).empty());
  EXPECT_EQ(shard->stats().stray_packets, 1u);
}

TEST_F(ShardTest, StraysAfterTheTimeWaitMakeARowAgain) {
  auto s = conversation();
  handshake(s, t0);
  close_both(s, t0 + 10 * ms);
  shard->advance_clock(t0 + 4 * sec);  // removed at about t0 + 3 s
  ASSERT_EQ(sink.removed.size(), 1u);
  feed(s.packet(false, flags::psh_ack, 10, t0 + 65 * sec));
  EXPECT_EQ(tracked(t0 + 65 * sec).size(), 1u);
  EXPECT_EQ(shard->stats().stray_packets, 0u);
}

TEST_F(ShardTest, NewSynOnAFinishedFourTupleStartsAConnectionAndEndsItsTimeWait) {
  auto s = conversation();
  handshake(s, t0);
  close_both(s, t0 + 10 * ms);
  shard->advance_clock(t0 + 4 * sec);
  s.seq[0] += 100000;
  feed(s.packet(true, flags::syn, 0, t0 + 5 * sec));
  EXPECT_EQ(only(t0 + 5 * sec).state, TcpState::syn_sent);
  EXPECT_EQ(shard->stats().connections, 2u);
  // That attempt goes unanswered and expires; its late SYN+ACK is not the old one's stray.
  shard->advance_clock(t0 + 40 * sec);
  EXPECT_TRUE(tracked(t0).empty());
  feed(s.packet(false, flags::syn_ack, 0, t0 + 41 * sec));
  EXPECT_EQ(tracked(t0 + 41 * sec).size(), 1u);
  EXPECT_EQ(shard->stats().stray_packets, 0u);
}

TEST_F(ShardTest, AnIdleConnectionRemovedByItsTimerIsNotFinished) {
  config.idle_timeout_ns = 100 * sec;
  make_shard();
  auto s = conversation();
  handshake(s, t0);
  shard->advance_clock(t0 + 102 * sec);
  ASSERT_EQ(sink.removed.size(), 1u);
  feed(s.packet(true, flags::psh_ack, 10, t0 + 103 * sec));  // it was only quiet
  EXPECT_EQ(tracked(t0 + 103 * sec).size(), 1u);
  EXPECT_EQ(shard->stats().stray_packets, 0u);
}

TEST_F(ShardTest, DisabledTimersKeepEverything) {
  config.disable_timers();
  make_shard();
  auto s = conversation();
  handshake(s, t0);
  auto closed = conversation(2);
  handshake(closed, t0);
  close_both(closed, t0 + 1 * sec);
  auto half_open = conversation(3);
  feed(half_open.packet(true, flags::syn, 0, t0));
  shard->advance_clock(t0 + 86400 * sec * 30);
  EXPECT_EQ(tracked(t0).size(), 3u);
  EXPECT_TRUE(sink.removed.empty());
}

TEST_F(ShardTest, RecordsAreRemovedOnceAndStayAccountedWhenTimeJumps) {
  auto s = conversation();
  handshake(s, t0);
  close_both(s, t0 + 10 * ms);
  // A capture with a gap of years (zeek's smtp.pcap has one): one full sweep.
  shard->advance_clock(t0 + 183'109'000 * sec);
  EXPECT_TRUE(tracked(t0).empty());
  EXPECT_EQ(sink.removed.size(), 1u);
}

TEST_F(ShardTest, FullTableEvictsClosedThenHalfOpenThenLongestIdle) {
  make_shard(4);
  auto established_old = conversation(1);
  handshake(established_old, t0);
  auto established_new = conversation(2);
  handshake(established_new, t0 + 5 * sec);
  auto half_open = conversation(3);
  feed(half_open.packet(true, flags::syn, 0, t0 + 6 * sec));
  auto closed = conversation(4);
  handshake(closed, t0 + 7 * sec);
  close_both(closed, t0 + 7 * sec + 10 * ms);

  auto newcomer = [&](uint8_t octet) {
    auto n = conversation(octet, 50000);
    feed(n.packet(true, flags::syn, 0, t0 + 8 * sec + octet * ms));
    return n;
  };
  newcomer(10);
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed.back().state, TcpState::closed);
  EXPECT_EQ(sink.removed.back().end, EndReason::evicted);
  newcomer(11);
  ASSERT_EQ(sink.removed.size(), 2u);
  EXPECT_EQ(sink.removed.back().client_addr, ipv4(10, 0, 0, 3));  // the oldest half-open
  newcomer(12);
  ASSERT_EQ(sink.removed.size(), 3u);
  EXPECT_EQ(sink.removed.back().client_addr, ipv4(10, 0, 0, 10));  // half-open before ESTABLISHED
  feed(conversation(11, 50000).packet(false, flags::syn_ack, 0, t0 + 9 * sec));
  feed(conversation(11, 50000).packet(true, flags::ack, 0, t0 + 9 * sec));
  feed(conversation(12, 50000).packet(false, flags::syn_ack, 0, t0 + 9 * sec));
  feed(conversation(12, 50000).packet(true, flags::ack, 0, t0 + 9 * sec));
  newcomer(13);
  EXPECT_EQ(sink.removed.back().client_addr, ipv4(10, 0, 0, 1));  // the longest idle
  EXPECT_EQ(shard->stats().evictions, 4u);
  EXPECT_EQ(tracked(t0).size(), 4u);
}

// The connection a detail panel watches keeps its final view when it leaves the table, with
// why, for a query by its key; a record whose timer ran out answers as expired before the
// sweep removes it; a new watch (or none) forgets the last one's end.
// Two subscribers with the same inner address and port behind the same two GTP-U gateways:
// one key, two bearers (each direction its own TEID), interleaved handshakes answered out of
// order. Each is its own connection with its own packets and TEIDs, and stays whole after
// the other's record is removed (the arena moves a record into the hole).
TEST_F(ShardTest, GtpBearersOfOneInnerTupleAreTwoConnections) {
  auto s = conversation();
  s.meta = decode::FlowKey::tunnel_bit |
           (uint64_t(static_cast<uint8_t>(decode::TunnelKind::gtpu)) << decode::FlowKey::tunnel_kind_shift) | 0x5eedu;
  auto plain = conversation(7);  // a plain connection first: the GTP-U records are not at index 0
  handshake(plain, t0);
  struct Bearer {
    uint32_t up, down;  // TEIDs on packets to the core gateway (endpoint b) and back
    PacketScript* script;  // each subscriber's own sequence numbers
  };
  auto s2 = s;
  s2.seq[0] = 90'000;
  s2.seq[1] = 70'000;
  const Bearer one{0x1001, 0x2001, &s}, two{0x1002, 0x2002, &s2};
  auto on = [&](const Bearer& b, bool from_client, uint8_t f, uint32_t payload, uint64_t t) {
    decode::PacketRecord r = b.script->packet(from_client, f, payload, t);
    r.gtp_to_outer_b = from_client ? 1 : 0;
    r.gtp_teid = from_client ? b.up : b.down;
    feed(r);
  };
  // The two handshakes interleaved, the answers in the other order than their SYNs: each
  // answer goes to the SYN it acknowledges.
  on(one, true, flags::syn, 0, t0 + 1 * ms);
  on(two, true, flags::syn, 0, t0 + 2 * ms);
  on(two, false, flags::syn_ack, 0, t0 + 3 * ms);
  on(one, false, flags::syn_ack, 0, t0 + 4 * ms);
  on(one, true, flags::ack, 0, t0 + 5 * ms);
  on(two, true, flags::ack, 0, t0 + 6 * ms);
  on(one, true, flags::ack, 100, t0 + 7 * ms);
  for (int i = 0; i < 3; ++i) on(two, false, flags::ack, 500, t0 + (8 + i) * ms);

  auto gtp_rows = [&](uint64_t as_of) {
    std::vector<ConnView> rows;
    for (const ConnView& v : tracked(as_of))
      if (v.tunnel.kind == decode::TunnelKind::gtpu) rows.push_back(v);
    std::sort(rows.begin(), rows.end(), [](const ConnView& x, const ConnView& y) { return x.first_ts_ns < y.first_ts_ns; });
    return rows;
  };
  auto rows = gtp_rows(t0 + 20 * ms);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].state, TcpState::established);
  EXPECT_EQ(rows[1].state, TcpState::established);
  EXPECT_EQ(rows[0].packets[0], 3u);
  EXPECT_EQ(rows[0].packets[1], 1u);
  EXPECT_EQ(rows[0].payload_bytes[0], 100u);
  EXPECT_EQ(rows[1].packets[0], 2u);
  EXPECT_EQ(rows[1].packets[1], 4u);
  EXPECT_EQ(rows[1].payload_bytes[1], 1500u);
  // Each row lists its own bearer's TEIDs ([0]: to endpoint b, the core gateway here).
  EXPECT_EQ(rows[0].tunnel.teid_seen, 3u);
  EXPECT_EQ(rows[0].tunnel.teid, (std::array<uint32_t, 2>{one.up, one.down}));
  EXPECT_EQ(rows[1].tunnel.teid, (std::array<uint32_t, 2>{two.up, two.down}));

  // The first subscriber's connection is reset and removed: the second's record moves into
  // its place in the arena, and stays one connection with its own TEIDs.
  on(one, true, flags::rst, 0, t0 + 30 * ms);
  const uint64_t later = t0 + 30 * ms + config.closed_linger_ns + 1'000 * ms;
  shard->advance_clock(later);
  shard->sweep_all();
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].tunnel.teid, (std::array<uint32_t, 2>{one.up, one.down}));
  on(two, true, flags::ack, 40, later);
  on(two, false, flags::ack, 60, later + 1 * ms);
  rows = gtp_rows(later + 2 * ms);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].packets[0], 3u);
  EXPECT_EQ(rows[0].packets[1], 5u);
  EXPECT_EQ(rows[0].tunnel.teid, (std::array<uint32_t, 2>{two.up, two.down}));
}

TEST_F(ShardTest, WatchedConnectionIsAnsweredByKeyAfterItsRemoval) {
  make_shard(2);
  auto first = conversation(1);
  handshake(first, t0);
  feed(first.packet(true, flags::psh_ack, 100, t0 + 5 * ms));
  auto second = conversation(2);
  handshake(second, t0 + 1 * sec);
  const auto by_key = [&](const ConnView& v, uint64_t as_of) {
    flow::ViewQuery q;
    q.keys.push_back(flow::key_of(v));
    q.first_ts_ns.push_back(v.first_ts_ns);
    q.limit = 1;
    q.as_of_ns = as_of;
    std::vector<ConnView> rows;
    flow::select_rows(*shard, q, rows);
    return rows;
  };
  const auto view_of = [&](uint8_t octet) {
    for (const ConnView& v : tracked(t0))
      if (v.client_addr == ipv4(10, 0, 0, octet)) return v;
    ADD_FAILURE() << "10.0.0." << int(octet) << " not tracked";
    return ConnView{};
  };
  const ConnView first_view = view_of(1), second_view = view_of(2);
  shard->watch({true, flow::key_of(first_view), first_view.first_ts_ns});

  // A newcomer on the full table evicts the longest idle connection: the watched one.
  feed(conversation(3, 50000).packet(true, flags::syn, 0, t0 + 2 * sec));
  ASSERT_EQ(sink.removed.size(), 1u);
  ASSERT_EQ(sink.removed[0].client_addr, ipv4(10, 0, 0, 1));
  std::vector<ConnView> rows = by_key(first_view, t0 + 3 * sec);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].end, EndReason::evicted);
  EXPECT_EQ(rows[0].state, TcpState::established);
  EXPECT_EQ(rows[0].payload_bytes[0], 100u);
  EXPECT_EQ(rows[0].speed_bytes_per_s[0] + rows[0].speed_bytes_per_s[1], 0u);
  EXPECT_EQ(rows[0].idle_ns(), 3 * sec - 5 * ms);  // its idle time goes on

  // Watching another forgets it.
  shard->watch({true, flow::key_of(second_view), second_view.first_ts_ns});
  EXPECT_TRUE(by_key(first_view, t0 + 3 * sec).empty());
  close_both(second, t0 + 4 * sec);
  rows = by_key(second_view, t0 + 4 * sec + 10 * ms);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].end, EndReason::none);
  EXPECT_EQ(rows[0].state, TcpState::closed);
  // Past -r (2 s) it is hidden, and answers as expired while it waits for the sweep.
  rows = by_key(second_view, t0 + 7 * sec);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].end, EndReason::expired);
  // A new SYN (a new ISN) on its 4-tuple ends it as reused; the key then finds the new
  // connection, and the first packet's time tells the watched one apart.
  second.seq[0] += 100000;
  feed(second.packet(true, flags::syn, 0, t0 + 5 * sec));
  ASSERT_EQ(sink.removed.size(), 2u);
  rows = by_key(second_view, t0 + 5 * sec);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].end, EndReason::reused);
  EXPECT_EQ(rows[0].state, TcpState::closed);
  EXPECT_EQ(rows[0].first_ts_ns, second_view.first_ts_ns);

  // Without a watch, nothing is kept.
  shard->watch({});
  EXPECT_TRUE(by_key(second_view, t0 + 5 * sec).empty());
}

TEST_F(ShardTest, SynFloodOnAFullTableEvictsItsOwnHalfOpenEntries) {
  // A gateway's table full of real connections (several eviction windows' worth), then a
  // flood of SYNs from random sources: the flood must evict its own half-open entries,
  // wherever they sit in the arena, not the established connections.
  constexpr uint32_t capacity = 20000;
  make_shard(capacity);
  for (uint32_t i = 0; i < capacity; ++i) {
    PacketScript s{{ipv4(10, 1, uint8_t(i >> 8), uint8_t(i)), 40000}, {ipv4(10, 0, 1, 1), 443}};
    s.hasher = &hasher;
    handshake(s, t0 + i * 1000);
  }
  ASSERT_EQ(shard->table().size(), capacity);
  std::mt19937 random(5);
  for (uint32_t i = 0; i < 200000; ++i) {
    PacketScript syn{{ipv4(100, uint8_t(random()), uint8_t(random()), uint8_t(random())), uint16_t(random())},
                     {ipv4(10, 0, 1, 1), 443}};
    syn.hasher = &hasher;
    feed(syn.packet(true, flags::syn, 0, t0 + 1 * sec + i * 1000));
  }
  uint32_t established = 0;
  for (const ConnView& v : tracked(t0 + 2 * sec)) established += v.state == TcpState::established;
  // Only the first eviction, before any half-open entry existed, took established ones:
  // one batch, 1/64 of the two 4096-record windows it looked at (the longest idle).
  EXPECT_GE(established, capacity - 2 * 4096 / 64);
  EXPECT_GE(shard->stats().evictions, 200000u - capacity);
}

TEST_F(ShardTest, OneClosedRecordIsAllAFullTableGivesUpForOneNewcomer) {
  make_shard(1000);  // one eviction pass looks at all of it
  for (uint16_t i = 0; i < 999; ++i) {
    auto s = conversation(1, uint16_t(10000 + i));
    handshake(s, t0 + i * ms);
  }
  auto closed = conversation(2);
  handshake(closed, t0 + 1 * sec);
  close_both(closed, t0 + 1 * sec + 10 * ms);
  auto newcomer = conversation(3);
  feed(newcomer.packet(true, flags::syn, 0, t0 + 2 * sec));
  ASSERT_EQ(sink.removed.size(), 1u);
  EXPECT_EQ(sink.removed[0].state, TcpState::closed);
  EXPECT_EQ(tracked(t0 + 2 * sec).size(), 1000u);
}

TEST_F(ShardTest, VlanAndFamilyAreIdentity) {
  auto untagged = conversation();
  auto tagged = conversation();
  const uint16_t ids[] = {100, 7};
  tagged.meta = decode::pack_vlan_stack(ids, 2);
  handshake(untagged, t0);
  handshake(tagged, t0);
  const auto views = tracked(t0);
  ASSERT_EQ(views.size(), 2u);
  const ConnView& v = views[0].vlan_depth ? views[0] : views[1];
  EXPECT_EQ(v.vlan_depth, 2);
  EXPECT_EQ(v.vlan_ids[0], 100);
  EXPECT_EQ(v.vlan_ids[1], 7);
}

TEST_F(ShardTest, ThreeTagStacksAreIdentityAndListedInTheView) {
  // QinQinQ stacks that differ only in the third id are two connections, and the view
  // gives back every id of the key.
  auto first = conversation();
  auto second = conversation();
  const uint16_t ids_first[] = {4095, 200, 30};
  const uint16_t ids_second[] = {4095, 200, 31};
  first.meta = decode::pack_vlan_stack(ids_first, 3) | decode::FlowKey::ipv6_bit;
  second.meta = decode::pack_vlan_stack(ids_second, 3) | decode::FlowKey::ipv6_bit;
  handshake(first, t0);
  handshake(second, t0);
  const auto views = tracked(t0);
  ASSERT_EQ(views.size(), 2u);
  for (const ConnView& v : views) {
    EXPECT_EQ(v.vlan_depth, 3);
    EXPECT_EQ(v.vlan_ids[0], 4095);
    EXPECT_EQ(v.vlan_ids[1], 200);
    EXPECT_TRUE(v.ipv6());
    EXPECT_TRUE(flow::key_of(v) == (v.vlan_ids[2] == 30 ? first : second).packet(true, 0, 0, t0).key);
  }
  EXPECT_NE(views[0].vlan_ids[2], views[1].vlan_ids[2]);
}

// A stack deeper than the key's three: the key holds the outer three (identity), the
// connection keeps the deeper tags it started with, from the stacks the shard was told of,
// and its view lists every tag, also after a removal moved its record; the screen's VLAN
// term finds a deeper tag. A stack never told of lists the outer three alone.
TEST_F(ShardTest, DeepVlanStacksAreListedWholeBesideTheOuterThreeOfTheKey) {
  auto stack_of = [](std::initializer_list<uint16_t> ids) {
    decode::VlanStack stack{};
    for (uint16_t id : ids) stack.ids[stack.depth++] = id;
    stack.id = decode::vlan_stack_id(stack.ids.data(), stack.depth);
    return stack;
  };
  const decode::VlanStack five = stack_of({10, 20, 30, 40, 50});
  const decode::VlanStack eight = stack_of({10, 20, 30, 4095, 42, 43, 44, 45});
  const decode::VlanStack untold = stack_of({10, 20, 30, 99});
  const decode::VlanStack told[] = {five, eight};
  shard->learn_vlan_stacks(told);

  auto with_stack = [&](uint8_t octet, const decode::VlanStack& stack, bool deep) {
    PacketScript s = conversation(octet);
    s.meta = decode::pack_vlan_stack(stack.ids.data(), stack.depth);
    s.vlan_stack_id = deep ? stack.id : 0;
    return s;
  };
  auto first = conversation(1);  // removed below: the last record moves into its place
  auto a = with_stack(2, five, true);
  auto three = with_stack(3, five, false);
  auto lost = with_stack(4, untold, true);
  auto b = with_stack(5, eight, true);
  for (PacketScript* s : {&first, &a, &three, &lost, &b}) handshake(*s, t0);
  feed(first.packet(true, flags::rst, 0, t0 + 10 * ms));
  const uint64_t later = t0 + 10 * ms + config.closed_linger_ns + 1'000 * ms;
  shard->advance_clock(later);
  shard->sweep_all();
  ASSERT_EQ(sink.removed.size(), 1u);

  auto stacks = [&] {
    std::map<uint8_t, std::vector<uint16_t>> by_octet;
    for (const ConnView& v : tracked(later))
      by_octet[v.client_addr[15]] = std::vector<uint16_t>(v.vlan_ids, v.vlan_ids + v.vlan_depth);
    return by_octet;
  };
  const std::map<uint8_t, std::vector<uint16_t>> expected{
      {2, {10, 20, 30, 40, 50}}, {3, {10, 20, 30}}, {4, {10, 20, 30}}, {5, {10, 20, 30, 4095, 42, 43, 44, 45}}};
  EXPECT_EQ(stacks(), expected);
  EXPECT_EQ(shard->find(b.packet(true, flags::ack, 0, t0).key), 0u) << "the last record moved into the first's place";

  const std::pair<const char*, std::size_t> terms[] = {{"vlan=45", 1}, {"vlan=4095", 1}, {"vlan=50", 1},
                                                       {"vlan=30", 4}, {"vlan=99", 0}};
  for (const auto& [text, count] : terms) {
    std::vector<ConnView> rows;
    EXPECT_EQ(select(text, later, rows), count) << text;
  }
}

// Most packets take the shard's plain path (no division, no state step); this checks it
// against sums worked out here: 300 connections, 30k data packets over four seconds in
// both directions, timestamps up to 300 ms out of order, applied in batches of 1 to 300.
// Packets, bytes, first and last times must be the plain sums, and each speed the payload
// of the last complete second (with -f, the second up to the current tenth), asked at
// every 250 ms along the way.
TEST_F(ShardTest, CountersAndSpeedsEqualPlainSumsOverShuffledTimes) {
  for (const bool fast : {false, true}) {
    SCOPED_TRACE(fast ? "-f" : "default speed");
    config.fast_rates = fast;
    // The speed window ends where the current second begins, or with -f the current tenth.
    const uint64_t step = fast ? 100 * ms : sec;
    constexpr uint32_t connections = 300;
    make_shard(connections);
    std::mt19937_64 rng(7);
    std::vector<PacketScript> scripts;
    struct Expected {
      uint64_t packets[2] = {}, wire[2] = {}, payload[2] = {};
      uint64_t first_ts = 0, last_ts = 0;
      std::vector<std::pair<uint64_t, uint32_t>> sent[2];  // (ts, payload) applied so far
    };
    std::vector<Expected> expected(connections);
    std::vector<decode::PacketRecord> stream;
    // Beside each packet: its connection, and 0 when the client sent it, else 1.
    std::vector<std::pair<uint32_t, unsigned>> sender;
    auto send = [&](uint32_t c, bool from_client, uint8_t packet_flags, uint32_t payload, uint64_t ts) {
      stream.push_back(scripts[c].packet(from_client, packet_flags, payload, ts));
      sender.push_back({c, from_client ? 0u : 1u});
    };
    for (uint32_t c = 0; c < connections; ++c) {
      scripts.push_back(conversation(uint8_t(1 + c % 200), uint16_t(30000 + c)));
      const uint64_t t = t0 + c * 10'000;
      send(c, true, flags::syn, 0, t);
      send(c, false, flags::syn_ack, 0, t + 1000);
      send(c, true, flags::ack, 0, t + 2000);
    }
    const std::size_t handshake_packets = stream.size();
    const uint64_t data_start = t0 + 10 * ms;
    for (uint32_t i = 0; i < 30000; ++i) {
      const uint64_t base = data_start + uint64_t(i) * 133'000;  // about 4 s in all
      const uint64_t jitter = rng() % (300 * ms);
      const uint32_t payload = rng() % 4 == 0 ? 0 : uint32_t(rng() % 1449);
      const uint32_t c = uint32_t(rng() % connections);
      send(c, rng() & 1, flags::psh_ack, payload, std::max(base - jitter, data_start));
    }
    auto check = [&](uint64_t as_of) {
      const uint64_t window_end = as_of / step * step;
      uint32_t seen = 0;
      shard->for_each_view(as_of, [&](const ConnView& v) {
        ++seen;
        uint32_t c = 0;
        while (c < connections && scripts[c].client.port != v.client_port) ++c;
        ASSERT_LT(c, connections);
        const Expected& e = expected[c];
        EXPECT_EQ(v.first_ts_ns, e.first_ts);
        EXPECT_EQ(v.last_ts_ns, e.last_ts);
        for (unsigned d = 0; d < 2; ++d) {
          EXPECT_EQ(v.packets[d], e.packets[d]);
          EXPECT_EQ(v.wire_bytes[d], e.wire[d]);
          EXPECT_EQ(v.payload_bytes[d], e.payload[d]);
          uint64_t second = 0;
          for (const auto& [ts, bytes] : e.sent[d])
            if (ts >= window_end - sec && ts < window_end) second += bytes;
          EXPECT_EQ(v.speed_bytes_per_s[d], second)
              << "connection " << c << " direction " << d << " as of t0 + " << as_of - t0 << " ns";
        }
      });
      EXPECT_EQ(seen, connections);
    };
    uint64_t next_check = data_start + 250 * ms;
    for (std::size_t at = 0; at < stream.size();) {
      const std::size_t n = std::min<std::size_t>(stream.size() - at, 1 + rng() % 300);
      shard->apply(std::span(stream.data() + at, n));
      for (std::size_t i = at; i < at + n; ++i) {
        const auto& r = stream[i];
        const auto [c, d] = sender[i];
        Expected& e = expected[c];
        if (e.packets[0] + e.packets[1] == 0) e.first_ts = e.last_ts = r.ts_ns;
        e.first_ts = std::min(e.first_ts, r.ts_ns);
        e.last_ts = std::max(e.last_ts, r.ts_ns);
        ++e.packets[d];
        e.wire[d] += r.wire_bytes;
        e.payload[d] += r.payload_bytes;
        e.sent[d].push_back({r.ts_ns, r.payload_bytes});
      }
      at += n;
      if (at > handshake_packets && shard->now_ns() >= next_check) {
        check(shard->now_ns());
        next_check += 250 * ms;
      }
    }
    check(shard->now_ns());
    check(shard->now_ns() + 700 * ms);
    EXPECT_EQ(shard->stats().tcp_packets, stream.size());
  }
}

// iftop's averages (the screen's a key): over the 10 s and 40 s of whole 2 s buckets before
// the bucket being filled, equal to plain sums of the packets sent then, through the
// query path, with packets out of time order (late across a second's fold), connections
// that pause for longer than the ring, and the speed sort and TOTAL reading the average.
TEST_F(ShardTest, AveragesEqualPlainSumsOverTheirWindows) {
  config.averages = true;
  constexpr uint32_t connections = 40;
  make_shard(connections);
  std::mt19937_64 rng(11);
  std::vector<PacketScript> scripts;
  std::vector<std::vector<std::pair<uint64_t, uint32_t>>> sent(connections * 2);  // [c * 2 + dir]
  for (uint32_t c = 0; c < connections; ++c) {
    scripts.push_back(conversation(uint8_t(1 + c), uint16_t(30000 + c)));
    handshake(scripts[c], t0 + c * 1000);
  }
  auto check = [&](uint64_t as_of) {
    for (const flow::SpeedWindow window : {flow::SpeedWindow::average_10s, flow::SpeedWindow::average_40s}) {
      const uint64_t k = window == flow::SpeedWindow::average_10s ? 5 : 20;
      const uint64_t current = as_of / (2 * sec);
      const uint64_t from = (current - k) * 2 * sec, to = current * 2 * sec;
      flow::ViewQuery q;
      q.as_of_ns = as_of;
      q.limit = connections;
      q.sort = flow::SortKey::rate;
      q.speed_window = window;
      std::vector<ConnView> rows;
      const flow::ViewTotals totals = flow::select_rows(*shard, q, rows);
      ASSERT_EQ(rows.size(), connections);
      uint64_t sum = 0;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const ConnView& v = rows[i];
        const uint32_t c = v.client_port - 30000u;
        for (unsigned d = 0; d < 2; ++d) {
          uint64_t bytes = 0;
          for (const auto& [ts, n] : sent[c * 2 + d])
            if (ts >= from && ts < to) bytes += n;
          EXPECT_EQ(v.speed_bytes_per_s[d], bytes / (2 * k))
              << "connection " << c << " direction " << d << " window " << k * 2 << " s as of t0 + "
              << (as_of - t0) / ms << " ms";
          sum += v.speed_bytes_per_s[d];
        }
        if (i > 0) {
          EXPECT_GE(rows[i - 1].speed_total(), v.speed_total());  // sorted by the average
        }
      }
      EXPECT_EQ(totals.speed_sum, sum);
    }
  };
  // 120 s: each connection sends in bursts, some silent for 50 s (longer than the ring).
  uint64_t next_check = t0 + 3 * sec;
  for (uint64_t t = t0 + 10 * ms; t < t0 + 120 * sec; t += 37 * ms) {
    const uint32_t c = uint32_t(rng() % connections);
    if (c % 5 == 0 && (t - t0) / sec % 60 < 50 && (t - t0) > 5 * sec) continue;  // the long pause
    const bool from_client = rng() & 1;
    const uint32_t payload = uint32_t(rng() % 1449);
    // Up to 400 ms late: a packet may belong to a second already folded into the ring.
    const uint64_t ts = t - rng() % (400 * ms);
    feed(scripts[c].packet(from_client, flags::psh_ack, payload, ts));
    sent[c * 2 + (from_client ? 0 : 1)].push_back({ts, payload});
    if (t >= next_check) {
      check(shard->now_ns());
      next_check += 1700 * ms;
    }
  }
  check(shard->now_ns() + 3 * sec);
  check(shard->now_ns() + 39 * sec);
  check(shard->now_ns() + 45 * sec);
}

TEST_F(ShardTest, ClockTicksAgeAShardWithoutPackets) {
  auto s = conversation();
  feed(s.packet(true, flags::syn, 0, t0));
  // Clock ticks (a driver's clock markers) without packets.
  for (uint64_t t = t0; t <= t0 + 32 * sec; t += 100 * ms) shard->advance_clock(t);
  EXPECT_TRUE(tracked(t0).empty());
  EXPECT_EQ(shard->stats().tcp_packets, 1u);
}

// A text term searches "client:port server:port" with the addresses as flow::write_address
// writes them (IPv6 without brackets), and a view gives back the key its shard holds.
// A view of client:40000 -> server:80 for the filter tests.
ConnView filter_view(std::array<uint8_t, 16> client, std::array<uint8_t, 16> server) {
  ConnView v{};
  v.client_addr = client;
  v.server_addr = server;
  v.client_port = 40000;
  v.server_port = 80;
  return v;
}

bool filter_matches(const char* text, const ConnView& v) {
  return flow::filter_matches(flow::DisplayFilter::parse(text), v);
}

TEST(ShardViewText, TextTermsSearchEndpointsAndViewsGiveTheirKeys) {
  ConnView v = filter_view(ipv4(10, 0, 0, 1), ipv4(192, 168, 100, 2));
  const auto matches = [&v](const char* text) { return filter_matches(text, v); };
  EXPECT_TRUE(matches("0.1:40000"));
  EXPECT_TRUE(matches("40000 168.100.2:8"));
  EXPECT_FALSE(matches("0.1:80"));
  v.flags = flow::view_flag::ipv6;
  v.client_addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
  v.server_addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd};
  EXPECT_TRUE(matches("1:40000"));
  EXPECT_TRUE(matches("ABCD:80"));  // terms are lowercased, addresses written lowercase
  EXPECT_FALSE(matches("1]:40000"));

  v.vlan_depth = 2;
  v.vlan_ids[0] = 10;
  v.vlan_ids[1] = 20;
  decode::FlowKey key{};
  const uint16_t vlans[2] = {10, 20};
  decode::make_flow_key(key, v.server_addr, v.server_port, v.client_addr, v.client_port,
                        decode::pack_vlan_stack(vlans, 2) | decode::FlowKey::ipv6_bit);
  EXPECT_TRUE(flow::key_of(v) == key);
  EXPECT_TRUE(flow::key_of(v, key.meta()) == key);
  EXPECT_FALSE(flow::key_of(v, 0) == key);
}

// Tunnel terms: any tunnel, a kind, a kind with its GRE key / VNI, a GTP-U TEID either way.
TEST(ShardViewText, TunnelTermsMatchKindKeyAndTeid) {
  ConnView v{};
  v.client_addr = ipv4(10, 0, 0, 5);
  v.server_addr = ipv4(10, 0, 0, 6);
  v.client_port = 40000;
  v.server_port = 80;
  const auto matches = [&v](const char* text) {
    return flow::filter_matches(flow::DisplayFilter::parse(text), v);
  };
  EXPECT_FALSE(matches("tunnel"));
  EXPECT_FALSE(matches("vxlan"));
  v.tunnel.kind = decode::TunnelKind::vxlan;
  v.tunnel.key_kind = decode::TunnelKeyKind::vni;
  v.tunnel.key = 5000;
  EXPECT_TRUE(matches("tunnel"));
  EXPECT_TRUE(matches("tunnel=vxlan"));
  EXPECT_TRUE(matches("VXLAN"));
  EXPECT_TRUE(matches("vxlan=5000 80"));
  EXPECT_TRUE(matches("vxlan=0x1388"));
  EXPECT_FALSE(matches("vxlan=5001"));
  EXPECT_FALSE(matches("tunnel=gre"));
  EXPECT_FALSE(matches("geneve=5000"));
  EXPECT_FALSE(matches("teid=5000"));
  v.tunnel.kind = decode::TunnelKind::gtpu;
  v.tunnel.key_kind = decode::TunnelKeyKind::teid;
  v.tunnel.teid = {0x9e40ba4f, 0xbf2e};
  v.tunnel.teid_seen = 2;  // only the second direction's TEID seen so far
  EXPECT_TRUE(matches("teid=0xbf2e"));
  EXPECT_TRUE(matches("gtpu=48942"));
  EXPECT_FALSE(matches("teid=0x9e40ba4f"));
  v.tunnel.teid_seen = 3;
  EXPECT_TRUE(matches("teid=0x9e40ba4f gtpu"));
  EXPECT_FALSE(matches("gtpu=0x9e40ba4f vxlan"));
}

// Health terms: rtt> and rtt< bound the end-to-end RTT (us, ms, s; ms without a unit;
// decimals), a connection without one matches neither; retrans: any retransmission. What
// is not a bound stays a text term.
TEST(ShardViewText, HealthTermsBoundRttAndFindRetransmissions) {
  ConnView v = filter_view(ipv4(10, 0, 0, 5), ipv4(10, 0, 0, 6));
  const auto matches = [&v](const char* text) { return filter_matches(text, v); };
  EXPECT_FALSE(matches("rtt>0us"));
  EXPECT_FALSE(matches("rtt<1s"));
  EXPECT_FALSE(matches("retrans"));
  v.rtt_us[0] = 20'000;  // one side only: no end-to-end RTT yet
  EXPECT_FALSE(matches("rtt>1ms"));
  v.rtt_us[1] = 30'500;  // 50.5 ms end to end
  for (const char* yes : {"rtt>50ms", "rtt>50", "rtt>50499us", "rtt>0.05s", "rtt>50.4ms", "RTT<1S", "rtt<50.6ms",
                          "rtt<50501us", "rtt>50ms rtt<51ms 80"})
    EXPECT_TRUE(matches(yes)) << yes;
  for (const char* no : {"rtt>50.5ms", "rtt<50.5ms", "rtt>51", "rtt<0.0505s", "rtt>50ms 443"})
    EXPECT_FALSE(matches(no)) << no;
  // Not bounds: text terms, found in no endpoint.
  for (const char* text : {"rtt>", "rtt>ms", "rtt>5.ms", "rtt>5xs", "rtt=5ms", "rtt>-5ms", "rtt>200s", "retransmits"}) {
    const flow::DisplayFilter f = flow::DisplayFilter::parse(text);
    ASSERT_EQ(f.terms.size(), 1u) << text;
    EXPECT_EQ(f.terms[0].kind, flow::DisplayFilter::Term::Kind::text) << text;
  }
  v.retrans[1] = 1;
  EXPECT_TRUE(matches("retrans"));
  EXPECT_TRUE(matches("RETRANS 40000 rtt>50ms"));
  EXPECT_FALSE(matches("retrans 443"));
}

// The screen's top rows for every order, forwards and reversed, are the first of all
// connections' views sorted by view_before (the order the merge across shards uses): 3000
// connections of different ages, rates, byte counts, RTTs and retransmissions, of which the
// query keeps 17 after skipping 5, or 22 after skipping 500 (the scan cuts what it gathers
// back to the best every thousand or so records, so both pages see several cuts). Ten more
// retransmit 40 down to 31 segments, the fewest last (a record counts its retransmissions
// up to 30 on its Connection line, beyond that on its health line: ranked by the first
// alone, the newest would come first).
TEST_F(ShardTest, TopRowsOfEveryOrderAreTheFirstOfAllSorted) {
  constexpr uint32_t connections = 3000;
  make_shard(connections);
  std::vector<PacketScript> scripts = busy_conversations(connections, 17);
  for (uint32_t k = 0; k < 10; ++k) {
    const uint64_t t = t0 + 2850 * ms + k * ms;
    decode::PacketRecord r = scripts[100 + 7 * k].packet(true, flags::psh_ack, 500, t);
    feed(r);
    for (uint32_t again = 0; again < 40 - k; ++again) {
      r.ts_ns = t + 1 + again;
      feed(r);
    }
  }
  const uint64_t as_of = t0 + 3 * sec;
  std::vector<ConnView> all = tracked(as_of);
  ASSERT_EQ(all.size(), connections);
  for (unsigned sort = 0; sort < flow::sort_key_count; ++sort) {
    for (const bool reverse : {false, true}) {
      for (const uint32_t offset : {5u, 500u}) {
        flow::ViewQuery q;
        q.sort = flow::SortKey(sort);
        q.reverse = reverse;
        q.limit = offset == 5 ? 17 : 22;
        q.offset = offset;
        q.as_of_ns = as_of;
        std::vector<ConnView> rows;
        EXPECT_EQ(flow::select_rows(*shard, q, rows).matching, connections);
        std::sort(all.begin(), all.end(), [&](const ConnView& x, const ConnView& y) { return flow::view_before(x, y, q); });
        ASSERT_EQ(rows.size(), offset + q.limit) << "the shard answers offset + limit rows; the merge skips";
        for (std::size_t i = 0; i < rows.size(); ++i)
          EXPECT_EQ(rows[i].client_port, all[i].client_port)
              << "order " << sort << (reverse ? " reversed" : "") << " offset " << offset << " row " << i;
      }
    }
  }
}

// A shard owner asks the same query frame after frame; in the order by bytes its last
// answer's rows (RowsMemo) spare reading the counters of records with no packet since. Frame
// after frame, with every kind of change between them, the rows and totals must be those
// of the same query answered from scratch: records growing past the top in order, by a
// packet older than their last (it changes their bytes but not their last packet time), or
// by a packet in order but older than the shard's clock when the frame was asked (a reader
// behind the others), new connections, top rows reset, closed and hidden, records moved by
// removals, the filter and the mid-stream rule changed (one-sided mid-stream pickups at the top).
TEST_F(ShardTest, OrderByBytesFromTheLastFrameIsTheOrderFromScratch) {
  constexpr uint32_t connections = 1500;
  make_shard(connections + 200);
  std::vector<PacketScript> scripts = busy_conversations(connections, 23);
  std::mt19937_64 rng(5);
  flow::RowsMemo memo;
  flow::ViewQuery q;
  q.sort = flow::SortKey::bytes;
  q.limit = 12;
  uint64_t t = t0 + 3 * sec;
  uint16_t next_port = 60000;
  std::optional<decode::PacketRecord> late;
  for (unsigned frame = 0; frame < 60; ++frame) {
    if (late) feed(*late);
    for (unsigned event = 0; event < 40; ++event) {
      PacketScript& s = scripts[rng() % scripts.size()];
      t += rng() % (20 * ms);
      // Odd frames apply the even ones' late packet, and no other packet older than the
      // clock was at the frame before.
      switch (rng() % 8) {
        case 0:
          if (frame % 2) break;
          feed(s.packet(rng() & 1, flags::psh_ack, 1000, t - (1 + rng() % 4) * sec, uint32_t(150000 + rng() % 150000)));
          break;
        case 1:
          feed(s.packet(true, flags::rst, 0, t));
          break;
        case 2:
          close_both(s, t);
          break;
        case 3: {
          scripts.push_back(conversation(uint8_t(1 + rng() % 250), next_port++, 443));
          handshake(scripts.back(), t);
          feed(scripts.back().packet(false, flags::psh_ack, 1448, t + 3 * ms, uint32_t(rng() % 90000)));
          break;
        }
        default:
          feed(s.packet(rng() & 1, flags::psh_ack, uint32_t(rng() % 1449), t, uint32_t(60 + rng() % 30000)));
      }
    }
    // Then, in even frames, one that goes to the top with a packet older than its last, and
    // one with a late packet after the frame: it was last seen just after a whole second,
    // the clock then went 500 ms on, and its packet is applied after the frame, in order and
    // in the same second (the plain path).
    const uint32_t to_the_top = 20'000'000 + frame * 1000;
    t = (t / sec + 1) * sec;
    PacketScript& behind = scripts[rng() % scripts.size()];
    feed(behind.packet(true, flags::psh_ack, 100, t + 100 * ms));
    feed(scripts[rng() % scripts.size()].packet(false, flags::ack, 0, t + 600 * ms));
    late.reset();
    if (frame % 2 == 0) {
      feed(scripts[rng() % scripts.size()].packet(true, flags::psh_ack, 100, t - 10 * sec, to_the_top));
      late = behind.packet(true, flags::psh_ack, 100, t + 300 * ms, to_the_top + 500);
    }
    t += 600 * ms;
    if (frame % 5 == 0) {  // picked up mid-stream, one-sided: hidden while hide_one_sided
      scripts.push_back(conversation(uint8_t(1 + rng() % 250), next_port++, 443));
      feed(scripts.back().packet(true, flags::psh_ack, 1448, t, 30'000'000));
    }
    if (frame % 9 == 4) q.filter = flow::DisplayFilter::parse(q.filter.empty() ? "443" : "");
    if (frame % 13 == 6) q.hide_one_sided = !q.hide_one_sided;
    q.offset = frame % 17 == 8 ? 3 : 0;
    std::vector<ConnView> from_memo, from_scratch;
    const auto ask = [&](uint64_t as_of) {
      q.as_of_ns = as_of;
      const flow::ViewTotals memo_totals = flow::select_rows(*shard, q, from_memo, memo);
      const flow::ViewTotals scratch_totals = flow::select_rows(std::as_const(*shard), q, from_scratch);
      EXPECT_EQ(memo_totals.matching, scratch_totals.matching) << "frame " << frame;
      ASSERT_EQ(from_memo.size(), from_scratch.size()) << "frame " << frame;
      for (std::size_t i = 0; i < from_memo.size(); ++i) {
        EXPECT_EQ(from_memo[i].client_port, from_scratch[i].client_port) << "frame " << frame << " row " << i;
        EXPECT_EQ(from_memo[i].first_ts_ns, from_scratch[i].first_ts_ns) << "frame " << frame << " row " << i;
      }
    };
    ask(t + rng() % (3 * sec));
    t = std::max(t, q.as_of_ns);
    if (frame % 11 == 10 && !from_scratch.empty()) {
      // The top row reset, a packet of another a second later, then a later question (the
      // reset one hidden past its linger) and an earlier one (shown again, and unchanged
      // since the question before).
      const uint16_t top_port = from_scratch[0].client_port;
      const auto top = std::find_if(scripts.begin(), scripts.end(), [&](const PacketScript& x) { return x.client.port == top_port; });
      ASSERT_NE(top, scripts.end());
      feed(top->packet(true, flags::rst, 0, t));
      feed(scripts[rng() % scripts.size()].packet(false, flags::ack, 0, t + 1100 * ms));
      ask(t + 1100 * ms);
      ask(t + 5 * sec);
      ask(t + 1500 * ms);
      t += 1100 * ms;
    }
  }
}

// The screen's query judges most terms from the record's Connection line (key, state,
// smoothed RTTs, retransmissions seen) before it builds a view: for every kind of term it
// must choose exactly the connections filter_matches chooses from their views.
TEST_F(ShardTest, QueryFiltersChooseWhatViewFiltersChoose) {
  std::vector<PacketScript> scripts;
  for (uint8_t i = 1; i <= 4; ++i) scripts.push_back(conversation(i, uint16_t(40000 + i), i % 2 ? 80 : 443));
  std::array<uint8_t, 16> v6_client{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  std::array<uint8_t, 16> v6_server = v6_client;
  v6_server[15] = 2;
  scripts.push_back(PacketScript{{v6_client, 40005}, {v6_server, 443}});
  scripts.back().meta = decode::FlowKey::ipv6_bit;
  const uint16_t vlans[2] = {10, 20};
  scripts.push_back(conversation(6, 40006, 80));
  scripts.back().meta = decode::pack_vlan_stack(vlans, 2);
  for (PacketScript& s : scripts) {
    s.hasher = &hasher;
    handshake(s, t0);
    feed(s.packet(true, flags::psh_ack, 100, t0 + 10 * ms));
    feed(s.packet(false, flags::psh_ack, 200, t0 + 30 * ms));
    feed(s.packet(true, flags::ack, 0, t0 + 40 * ms));
  }
  // The second connection retransmits a segment; the third closes.
  auto again = scripts[1].packet(true, flags::psh_ack, 100, t0 + 50 * ms);
  feed(again);
  again.ts_ns = t0 + 300 * ms;
  feed(again);
  close_both(scripts[2], t0 + 400 * ms);

  const uint64_t as_of = t0 + 1 * sec + 1;
  std::vector<ConnView> views = tracked(as_of);
  ASSERT_EQ(views.size(), scripts.size());
  // Each term with how many of the six it chooses: none of the checks is empty-handed.
  const std::pair<const char*, std::size_t> terms[] = {
      {"80", 3}, {"443", 3}, {"40002", 1}, {"10.0.0.1", 1}, {"10.0.0.0/24", 5}, {"10.0.1.0/24", 5},
      {"10.0.0.2:40002", 1}, {"10.0.1.1:80", 3}, {"10.0.1.1:443", 2}, {"fd00::2", 1}, {"[fd00::2]:443", 1},
      {"[fd00::1]", 1}, {"fd00::/16", 1}, {"vlan=10", 1}, {"vlan=20", 1}, {"vlan=30", 0}, {"est", 5},
      {"closed", 1}, {"retrans", 1}, {"rtt>0us", 6}, {"rtt<1s", 6}, {"rtt>1s", 0}, {"80 10.0.0.3", 1},
      {"443 retrans", 1}, {"0.0.1:4000", 1}, {"fd00", 1}};
  for (const auto& [text, count] : terms) {
    std::vector<ConnView> rows;
    const uint64_t matching = select(text, as_of, rows);
    const flow::DisplayFilter filter = flow::DisplayFilter::parse(text);
    std::vector<uint16_t> chosen, expected;
    for (const ConnView& v : rows) chosen.push_back(v.client_port);
    for (const ConnView& v : views)
      if (flow::filter_matches(filter, v)) expected.push_back(v.client_port);
    std::sort(chosen.begin(), chosen.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(chosen, expected) << text;
    EXPECT_EQ(matching, expected.size()) << text;
    EXPECT_EQ(expected.size(), count) << text;
  }
}

// A filter that passes more than one record in 16 is judged a block of records at a time
// (shard_view's scan), one that passes fewer a record at a time: over thousands of
// connections, for terms passing few, many and most, in runs and scattered, and for terms
// only a view decides, the query's rows are exactly those filter_matches chooses, in order.
TEST_F(ShardTest, FiltersPassingManyChooseWhatViewFiltersChoose) {
  constexpr uint32_t connections = 3000;
  make_shard(connections);
  std::vector<PacketScript> scripts = busy_conversations(connections, 23);
  for (uint32_t c = 0; c < connections; c += 11) close_both(scripts[c], t0 + 2900 * ms + c);
  const uint64_t as_of = t0 + 3 * sec;
  const std::vector<ConnView> views = tracked(as_of);
  ASSERT_EQ(views.size(), connections);
  // Each filter with bounds on how many it passes: every one passes more than a block of
  // records, and all but "10.0" fewer than all; "0.0.2" and "10.0" are text terms (a view decides).
  const std::tuple<const char*, std::size_t, std::size_t> filters[] = {
      {"80", 1000, 1000},        {"443", 2000, 2000},      {"est", 2500, 2800},     {"closed", 250, 300},
      {"retrans", 65, 1500},     {"rtt>2500us", 65, 2900}, {"rtt<2500us", 65, 2900}, {"10.0.0.7", 12, 12},
      {"10.0", 3000, 3000},      {"0.0.2", 65, 2000},      {"443 est", 1000, 1999},  {"80 retrans rtt>1ms", 1, 999}};
  for (const auto& [text, at_least, at_most] : filters) {
    flow::ViewQuery q;
    q.filter = flow::DisplayFilter::parse(text);
    q.sort = flow::SortKey::rate;
    q.limit = connections;
    q.as_of_ns = as_of;
    std::vector<ConnView> rows;
    const uint64_t matching = flow::select_rows(*shard, q, rows).matching;
    std::vector<ConnView> expected;
    for (const ConnView& v : views)
      if (flow::filter_matches(q.filter, v)) expected.push_back(v);
    std::sort(expected.begin(), expected.end(), [&](const ConnView& x, const ConnView& y) { return flow::view_before(x, y, q); });
    EXPECT_GE(expected.size(), at_least) << text;
    EXPECT_LE(expected.size(), at_most) << text;
    EXPECT_EQ(matching, expected.size()) << text;
    ASSERT_EQ(rows.size(), expected.size()) << text;
    for (std::size_t i = 0; i < rows.size(); ++i)
      EXPECT_EQ(rows[i].client_port, expected[i].client_port) << text << " row " << i;
  }
}

// The screen hides a connection picked up mid-stream and seen one way only (hide_one_sided):
// not one seen both ways, nor an unanswered SYN. Enough of each that a filter passing them
// all is judged by block (shard_view's scan), with and without a filter.
TEST_F(ShardTest, ScreenHidesMidstreamPickupsSeenOneWayOnly) {
  constexpr uint32_t each = 100;
  make_shard(3 * each);
  for (uint32_t c = 0; c < each; ++c) {
    auto one_way = conversation(1, uint16_t(20000 + c), 443);
    feed(one_way.packet(true, flags::psh_ack, 100, t0 + c));
    auto both_ways = conversation(2, uint16_t(20000 + c), 443);
    feed(both_ways.packet(true, flags::psh_ack, 100, t0 + c));
    feed(both_ways.packet(false, flags::ack, 0, t0 + c + 1));
    auto syn_only = conversation(3, uint16_t(20000 + c), 443);
    feed(syn_only.packet(true, flags::syn, 0, t0 + c));
  }
  for (const char* filter : {"", "443", "10.0.0.0/8"}) {
    for (const bool hide : {true, false}) {
      flow::ViewQuery q;
      q.filter = flow::DisplayFilter::parse(filter);
      q.hide_one_sided = hide;
      q.limit = 3 * each;
      q.as_of_ns = t0 + 1 * sec;
      std::vector<ConnView> rows;
      EXPECT_EQ(flow::select_rows(*shard, q, rows).matching, hide ? 2 * each : 3 * each) << filter;
      const auto picked_up_one_way = [](const ConnView& v) {
        return (v.flags & flow::view_flag::midstream) && (v.flags & flow::view_flag::one_sided);
      };
      EXPECT_EQ(std::size_t(std::count_if(rows.begin(), rows.end(), picked_up_one_way)), hide ? 0 : each) << filter;
    }
  }
}

}  // namespace
}  // namespace ringtrack::testing
