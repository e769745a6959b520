// Tests TCP health through a shard, record by record: IP bytes, retransmissions, out-of-order
// segments, keep-alives, zero windows and their probes (Wireshark's rules), sequence-number
// wraparound, mid-stream pickup, a reused 4-tuple, and RTT from timestamps (TSval
// wraparound, a missed echo) and from acknowledgements (Karn's rule).
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "flow/flow_shard.hpp"
#include "flow/rtt_code.hpp"
#include "packet_script.hpp"

namespace ringtrack::testing {
namespace {

using flow::ConnView;

// An RTT as the record keeps it (rtt_code: exact below 4.096 ms, 1/2048 above).
uint32_t kept(uint32_t us) { return flow::rtt_code::decode(flow::rtt_code::encode(us)); }

class HealthTest : public ::testing::Test {
 protected:
  void SetUp() override { shard = std::make_unique<flow::FlowShard>(config, 64, hasher, 0); }
  PacketScript conversation(uint16_t client_port = 40000) {
    PacketScript s{{ipv4(10, 0, 0, 1), client_port}, {ipv4(10, 0, 1, 1), 443}};
    s.hasher = &hasher;
    return s;
  }
  void feed(const decode::PacketRecord& r) { shard->apply({&r, 1}); }
  // Handshake at t, +10 ms, +20 ms: an RTT of 20 ms, the out-of-order window.
  void handshake(PacketScript& s, uint64_t t) {
    feed(s.packet(true, flags::syn, 0, t));
    feed(s.packet(false, flags::syn_ack, 0, t + 10 * ms));
    feed(s.packet(true, flags::ack, 0, t + 20 * ms));
  }
  ConnView view() {
    std::vector<ConnView> views;
    shard->for_each_view(shard->now_ns(), [&](const ConnView& v) { views.push_back(v); });
    EXPECT_EQ(views.size(), 1u);
    return views.empty() ? ConnView{} : views.back();
  }
  // A segment sent again: the script's sequence number set back to seq first.
  decode::PacketRecord resend(PacketScript& s, bool from_client, uint32_t seq, uint32_t payload, uint64_t t) {
    const unsigned me = from_client ? 0 : 1;
    const uint32_t next = s.seq[me];
    s.seq[me] = seq;
    decode::PacketRecord r = s.packet(from_client, flags::psh_ack, payload, t);
    s.seq[me] = next;
    return r;
  }

  flow::FlowConfig config{};
  flow::FlowHasher hasher{7};
  std::unique_ptr<flow::FlowShard> shard;
};

TEST_F(HealthTest, CleanTransferCountsIpBytesAndNothingElse) {
  PacketScript s = conversation();
  handshake(s, t0);
  for (int i = 0; i < 5; ++i) feed(s.packet(true, flags::psh_ack, 1000, t0 + (30 + i) * ms));
  feed(s.packet(false, flags::ack, 0, t0 + 40 * ms));
  const ConnView v = view();
  EXPECT_EQ(v.ip_bytes[0], 2 * 40 + 5 * 1040u);  // SYN, ACK, five segments
  EXPECT_EQ(v.ip_bytes[1], 2 * 40u);
  EXPECT_EQ(v.retrans[0] + v.retrans[1] + v.out_of_order[0] + v.out_of_order[1], 0u);
  EXPECT_EQ(v.zero_window[0] + v.zero_window[1], 0u);
  EXPECT_EQ(v.handshake_rtt_us, 20'000u);
}

TEST_F(HealthTest, ResentSegmentAfterTheHandshakeRttIsARetransmission) {
  PacketScript s = conversation();
  handshake(s, t0);
  const uint32_t first = s.seq[0];
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 30 * ms));
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 31 * ms));
  feed(resend(s, true, first, 1000, t0 + 300 * ms));  // RTO
  feed(resend(s, true, first + 500, 200, t0 + 600 * ms));  // part of the data, again
  const ConnView v = view();
  EXPECT_EQ(v.retrans[0], 2u);
  EXPECT_EQ(v.retrans_bytes[0], 1200u);
  EXPECT_EQ(v.out_of_order[0], 0u);
  EXPECT_EQ(v.payload_bytes[0], 3200u);  // retransmissions still count as sent
}

TEST_F(HealthTest, RetransmittedSynAndFinCount) {
  PacketScript s = conversation();
  feed(s.packet(true, flags::syn, 0, t0));
  s.seq[0] -= 1;
  feed(s.packet(true, flags::syn, 0, t0 + 1 * sec));  // the kernel's first back-off
  feed(s.packet(false, flags::syn_ack, 0, t0 + 1 * sec + 10 * ms));
  feed(s.packet(true, flags::ack, 0, t0 + 1 * sec + 20 * ms));
  // The handshake's RTT runs from the SYN that was answered.
  EXPECT_EQ(view().handshake_rtt_us, 20'000u);
  feed(s.packet(false, flags::fin_ack, 0, t0 + 2 * sec));
  s.seq[1] -= 1;
  feed(s.packet(false, flags::fin_ack, 0, t0 + 3 * sec));
  const ConnView v = view();
  EXPECT_EQ(v.retrans[0], 1u);
  EXPECT_EQ(v.retrans[1], 1u);
  EXPECT_EQ(v.retrans_bytes[0] + v.retrans_bytes[1], 0u);
}

TEST_F(HealthTest, HoleFilledWithinTheHandshakeRttIsOutOfOrder) {
  PacketScript s = conversation();
  handshake(s, t0);
  const uint32_t hole = s.seq[0];
  s.seq[0] += 1000;                                          // the segment at `hole` comes later
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 30 * ms));  // opens the hole
  feed(resend(s, true, hole, 1000, t0 + 31 * ms));           // fills it 1 ms later
  ConnView v = view();
  EXPECT_EQ(v.out_of_order[0], 1u);
  EXPECT_EQ(v.retrans[0], 0u);
  // The same fill after the handshake's RTT (20 ms) is a retransmission, as a SACK-driven
  // one is: the SACK blocks do not matter, the timing does.
  s.seq[0] += 1000;
  const uint32_t hole2 = s.seq[0] - 1000;
  feed(s.packet(true, flags::psh_ack, 500, t0 + 40 * ms));
  feed(resend(s, true, hole2, 1000, t0 + 100 * ms));
  v = view();
  EXPECT_EQ(v.out_of_order[0], 1u);
  EXPECT_EQ(v.retrans[0], 1u);
}

TEST_F(HealthTest, FastAndSpuriousRetransmissionsComeBeforeTheOutOfOrderWindow) {
  PacketScript s = conversation();
  handshake(s, t0);  // RTT 20 ms: the out-of-order window
  const uint32_t lost = s.seq[0];
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 30 * ms));  // lost beyond the capture point
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 31 * ms));
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 32 * ms));
  // The receiver asks for `lost` three times: the first ACK and two duplicates.
  s.seq[0] = lost;
  for (int i = 0; i < 3; ++i) feed(s.packet(false, flags::ack, 0, t0 + (33 + i) * ms));
  s.seq[0] = lost + 3000;
  // 5 ms after the highest segment, within 20 ms of the last duplicate: fast, not out of order.
  feed(resend(s, true, lost, 1000, t0 + 37 * ms));
  ConnView v = view();
  EXPECT_EQ(v.retrans[0], 1u);
  EXPECT_EQ(v.out_of_order[0], 0u);
  // Data the receiver has already acknowledged, sent again soon: spurious, a retransmission.
  feed(s.packet(false, flags::ack, 0, t0 + 38 * ms));  // acknowledges everything
  feed(resend(s, true, lost + 1000, 1000, t0 + 39 * ms));
  v = view();
  EXPECT_EQ(v.retrans[0], 2u);
  EXPECT_EQ(v.out_of_order[0], 0u);
}

TEST_F(HealthTest, KeepAlivesAreNotRetransmissions) {
  PacketScript s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::psh_ack, 100, t0 + 30 * ms));
  for (int i = 1; i <= 3; ++i) {
    // Linux: no data, one before the next sequence number; some stacks send one byte.
    feed(resend(s, true, s.seq[0] - 1, i == 3 ? 1 : 0, t0 + i * 75 * sec));
    feed(s.packet(false, flags::ack, 0, t0 + i * 75 * sec + 10 * ms));
  }
  const ConnView v = view();
  EXPECT_EQ(v.retrans[0], 0u);
  EXPECT_EQ(v.out_of_order[0], 0u);
}

TEST_F(HealthTest, ZeroWindowsAreCountedAndTheirProbesAreNotRetransmissions) {
  PacketScript s = conversation();
  handshake(s, t0);
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 30 * ms));
  s.window[1] = 0;
  feed(s.packet(false, flags::ack, 0, t0 + 40 * ms));   // full: zero window
  feed(s.packet(true, flags::ack, 1, t0 + 300 * ms));   // probe: one byte at next_seq
  s.seq[0] -= 1;                                         // the probe's byte is not taken
  feed(s.packet(false, flags::ack, 0, t0 + 310 * ms));  // still zero
  feed(s.packet(true, flags::ack, 1, t0 + 900 * ms));   // the same probe again
  s.seq[0] -= 1;
  s.window[1] = 8192;
  feed(s.packet(false, flags::ack, 0, t0 + 1 * sec));   // window opens
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 1 * sec + 5 * ms));  // the data goes on
  const ConnView v = view();
  EXPECT_EQ(v.zero_window[1], 2u);
  EXPECT_EQ(v.zero_window[0], 0u);
  EXPECT_EQ(v.retrans[0], 0u);
  EXPECT_EQ(v.out_of_order[0], 0u);
}

TEST_F(HealthTest, SequenceNumbersWrapAround) {
  PacketScript s = conversation();
  s.seq[0] = 0xffffff00u;  // the ISN: 255 bytes of data later the sequence wraps
  handshake(s, t0);
  const uint32_t before_wrap = s.seq[0];
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 30 * ms));  // 0xffffff01 .. 0x2e9
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 31 * ms));
  ConnView v = view();
  EXPECT_EQ(v.retrans[0], 0u);  // past the wrap is ahead, not behind
  feed(resend(s, true, before_wrap, 1000, t0 + 400 * ms));
  v = view();
  EXPECT_EQ(v.retrans[0], 1u);
}

TEST_F(HealthTest, MidStreamPickupStartsFromTheFirstSegment) {
  PacketScript s = conversation();
  feed(s.packet(true, flags::psh_ack, 1000, t0));  // no handshake: the baseline
  feed(s.packet(false, flags::ack, 0, t0 + 1 * ms));
  feed(resend(s, true, s.seq[0] - 1000, 1000, t0 + 2 * ms));  // within 3 ms, ends at next: retransmission
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 10 * ms));
  const ConnView v = view();
  EXPECT_EQ(v.retrans[0], 1u);
  EXPECT_EQ(v.out_of_order[0], 0u);
  EXPECT_TRUE(v.flags & flow::view_flag::midstream);
}

TEST_F(HealthTest, AReusedFourTupleStartsAfresh) {
  PacketScript s = conversation();
  handshake(s, t0);
  const uint32_t first = s.seq[0];
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 30 * ms));
  feed(resend(s, true, first, 1000, t0 + 400 * ms));
  feed(s.packet(true, flags::fin_ack, 0, t0 + 500 * ms));
  feed(s.packet(false, flags::fin_ack, 0, t0 + 510 * ms));
  feed(s.packet(true, flags::ack, 0, t0 + 520 * ms));
  s.seq[0] += 100000;  // a new ISN
  handshake(s, t0 + 1 * sec);
  const ConnView v = view();
  EXPECT_EQ(v.retrans[0], 0u);
  EXPECT_EQ(v.ip_bytes[0], 2 * 40u);
  EXPECT_EQ(v.rtt_samples, 2u);  // the new handshake's two
}

TEST_F(HealthTest, TimestampsGiveBothSidesRtt) {
  PacketScript s = conversation();
  s.timestamps = true;
  handshake(s, t0);  // SYN (TSval 100) echoed by the SYN+ACK 10 ms later; its TSval by the ACK
  ConnView v = view();
  EXPECT_EQ(v.rtt_us[1], 10'000u);  // capture point -> server -> capture point
  EXPECT_EQ(v.rtt_us[0], 10'000u);  // capture point -> client -> capture point
  EXPECT_EQ(v.rtt_min_us, 20'000u);
  EXPECT_EQ(v.rtt_samples, 2u);
  // Data with a new TSval, echoed 4 ms later: the server side's smoothed RTT moves 1/8 of
  // the way. Repeats of an answered TSval start nothing.
  s.tsval[0] = 101;
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 30 * ms));
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 31 * ms));  // same TSval: not a new sample
  feed(s.packet(false, flags::ack, 0, t0 + 34 * ms));        // echoes 101
  v = view();
  EXPECT_EQ(v.rtt_us[1], kept(10'000u - (10'000u - 4'000u) / 8));
  EXPECT_EQ(v.rtt_samples, 3u);
  EXPECT_EQ(v.rtt_min_us, 14'000u);  // 4 ms plus the client side's 10
}

TEST_F(HealthTest, TimestampEchoesWrapAroundAndAMissedEchoStartsOver) {
  PacketScript s = conversation();
  s.timestamps = true;
  s.tsval[0] = 0xfffffff0u;
  handshake(s, t0);
  s.tsval[0] = 0x10;  // wrapped: newer
  feed(s.packet(true, flags::psh_ack, 100, t0 + 30 * ms));
  feed(s.packet(false, flags::ack, 0, t0 + 35 * ms));
  ConnView v = view();
  EXPECT_EQ(v.rtt_samples, 3u);
  // The server echoes a TSval newer than the one waiting (the segment that carried it was
  // not captured): no sample from it, and the next new TSval starts over.
  s.tsval[0] = 0x20;
  feed(s.packet(true, flags::psh_ack, 100, t0 + 40 * ms));  // learns the current TSval
  s.tsval[0] = 0x30;
  feed(s.packet(true, flags::psh_ack, 100, t0 + 41 * ms));  // new: a sample starts
  s.tsval[0] = 0x40;                                         // the echo will be of 0x40
  feed(s.packet(false, flags::ack, 0, t0 + 90 * ms));
  v = view();
  EXPECT_EQ(v.rtt_samples, 3u);
  s.tsval[0] = 0x50;
  feed(s.packet(true, flags::psh_ack, 100, t0 + 100 * ms));  // learns
  s.tsval[0] = 0x60;
  feed(s.packet(true, flags::psh_ack, 100, t0 + 101 * ms));  // starts
  feed(s.packet(false, flags::ack, 0, t0 + 107 * ms));       // echoes 0x60: 6 ms
  v = view();
  EXPECT_EQ(v.rtt_samples, 4u);
}

TEST_F(HealthTest, WithoutTimestampsAcknowledgementsGiveRttButNotAfterARetransmission) {
  PacketScript s = conversation();
  handshake(s, t0);  // SYN acked by the SYN+ACK, SYN+ACK by the ACK: 10 ms each
  ConnView v = view();
  EXPECT_EQ(v.rtt_us[1], 10'000u);
  EXPECT_EQ(v.rtt_us[0], 10'000u);
  const uint32_t first = s.seq[0];
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 30 * ms));  // starts a sample
  feed(resend(s, true, first, 1000, t0 + 300 * ms));         // Karn: the sample is void
  feed(s.packet(false, flags::ack, 0, t0 + 302 * ms));       // acknowledges it
  v = view();
  EXPECT_EQ(v.rtt_samples, 2u);
  EXPECT_EQ(v.retrans[0], 1u);
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 400 * ms));
  feed(s.packet(false, flags::ack, 0, t0 + 402 * ms));
  v = view();
  EXPECT_EQ(v.rtt_samples, 3u);
  EXPECT_EQ(v.rtt_us[1], kept(10'000u - (10'000u - 2'000u) / 8));
}

TEST_F(HealthTest, ASegmentWithItsHeaderCutIsLeftOutOfTheAnalysis) {
  PacketScript s = conversation();
  handshake(s, t0);
  const uint32_t first = s.seq[0];
  feed(s.packet(true, flags::psh_ack, 1000, t0 + 30 * ms));
  decode::PacketRecord cut = resend(s, true, first, 1000, t0 + 300 * ms);
  cut.tcp_options = decode::tcp_option::header_cut;
  feed(cut);
  const ConnView v = view();
  EXPECT_EQ(v.retrans[0], 0u);
  EXPECT_EQ(v.ip_bytes[0], 2 * 40 + 2 * 1040u);  // still counted
}

TEST(RttCode, ExactBelowFourMillisecondsAndWithinOnePart2048Above) {
  EXPECT_EQ(flow::rtt_code::decode(flow::rtt_code::encode(0)), 1u);  // a sample is never "none"
  for (uint32_t us : {1u, 52u, 4095u}) EXPECT_EQ(flow::rtt_code::decode(flow::rtt_code::encode(us)), us);
  for (uint32_t us : {4096u, 4097u, 20'000u, 1'234'567u, 100'000'000u}) {
    const uint32_t back = flow::rtt_code::decode(flow::rtt_code::encode(us));
    EXPECT_LE(back, us);
    EXPECT_LT(us - back, us / 2048 + 1) << us;
  }
  EXPECT_EQ(flow::rtt_code::decode(flow::rtt_code::encode(UINT32_MAX)), flow::rtt_code::max_us);
}

}  // namespace
}  // namespace ringtrack::testing
