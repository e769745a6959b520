// Tests the frame decoder: every link type, VLAN stacks, PPPoE, MPLS, IPv4 options and
// fragments, IPv6 extension chains and jumbograms, TSO lengths, snap-length truncation,
// canonical keys, and malformed input of every kind (never a read past the capture).
#include "decode/frame_decoder.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <numeric>
#include <random>

#include "frame_bytes.hpp"

namespace ringtrack::testing {
namespace {

using decode::DecodeOutcome;
using decode::LinkType;

constexpr uint64_t ts = 1'700'000'000'123'456'789ull;

struct Decoded {
  DecodeOutcome outcome;
  decode::PacketRecord record;
};

// Decodes bytes with captured_bytes = captured (default: all) and wire = wire (default:
// size). The bytes are copied into an exactly sized buffer so ASan catches over-reads.
Decoded decode_bytes(LinkType link, const Bytes& bytes, int captured = -1, int wire = -1, int32_t stripped = -1) {
  const std::size_t n = captured >= 0 ? std::min(std::size_t(captured), bytes.size()) : bytes.size();
  std::vector<uint8_t> exact(bytes.begin(), bytes.begin() + std::ptrdiff_t(n));
  decode::FrameView frame{exact.data(), uint32_t(n), uint32_t(wire >= 0 ? wire : int(bytes.size())), ts, stripped};
  Decoded d{};
  d.outcome = decode::decode_frame(link, frame, d.record);
  return d;
}

Bytes v4_syn(uint32_t payload = 0, uint8_t option_words = 0) {
  return ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, tcp({.payload = payload}), 6, option_words);
}

TEST(FrameDecoder, EthernetIpv4TcpFillsTheRecord) {
  const Bytes frame = ethernet(0x0800) + ipv4({10, 0, 0, 9}, {10, 0, 0, 2},
                                              tcp({.src_port = 40000, .dst_port = 80, .seq = 7, .ack = 9,
                                                   .flags = 0x18, .header_words = 8, .payload = 100}));
  const Decoded d = decode_bytes(LinkType::ethernet, frame);
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  const auto& r = d.record;
  EXPECT_EQ(r.payload_bytes, 100u);
  EXPECT_EQ(r.wire_bytes, frame.size());
  EXPECT_EQ(r.seq, 7u);
  EXPECT_EQ(r.ack, 9u);
  EXPECT_EQ(r.tcp_flags, 0x18);
  EXPECT_EQ(r.ts_ns, ts);
  // 10.0.0.2 < 10.0.0.9: the receiver is endpoint a.
  EXPECT_EQ(r.from_a, 0);
  EXPECT_EQ(r.key.port_a, 80);
  EXPECT_EQ(r.key.port_b, 40000);
  EXPECT_EQ(r.key.addr_a[15], 2);
  EXPECT_EQ(r.key.addr_a[10], 0xff);  // IPv4-mapped
  EXPECT_FALSE(r.key.is_ipv6());
  EXPECT_EQ(r.key.vlan_depth(), 0u);
}

// A TCP segment (IPv4 in Ethernet) whose header's options are `options` (a multiple of 4).
Bytes with_tcp_options(const Bytes& options, uint32_t payload = 10, uint16_t window = 512) {
  Bytes segment = tcp({.flags = 0x10, .header_words = uint8_t(5 + options.size() / 4), .payload = payload});
  std::copy(options.begin(), options.end(), segment.begin() + 20);
  set16(segment, 14, window);
  return ethernet(0x0800) + ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, segment);
}

TEST(FrameDecoder, TimestampsWindowAndIpBytesAreRead) {
  // Linux's layout: NOP, NOP, timestamps (one compare finds it).
  const Bytes linux_layout = {1, 1, 8, 10, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xfe};
  Decoded d = decode_bytes(LinkType::ethernet, with_tcp_options(linux_layout, 10, 0));
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.tcp_options, decode::tcp_option::timestamps);
  EXPECT_EQ(d.record.tsval, 7u);
  EXPECT_EQ(d.record.tsecr, 0xfffffffeu);
  EXPECT_EQ(d.record.window, 0u);
  EXPECT_EQ(d.record.ip_bytes, 20u + 32 + 10);
  // A SYN's: MSS, SACK permitted, timestamps, NOP, window scale (the list is walked).
  const Bytes syn_layout = {2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 1, 0, 0, 0, 0, 0, 1, 3, 3, 7};
  d = decode_bytes(LinkType::ethernet, with_tcp_options(syn_layout));
  EXPECT_EQ(d.record.tcp_options, decode::tcp_option::timestamps);
  EXPECT_EQ(d.record.tsval, 256u);
  EXPECT_EQ(d.record.window, 512u);
  // No timestamps; a malformed length ends the walk without reading past the header.
  for (const Bytes& options : {Bytes{2, 4, 5, 0xb4}, Bytes{1, 1, 8, 0, 0, 0, 0, 0}, Bytes{0, 8, 10, 0}}) {
    d = decode_bytes(LinkType::ethernet, with_tcp_options(options));
    EXPECT_EQ(d.outcome, DecodeOutcome::tcp);
    EXPECT_EQ(d.record.tcp_options, 0);
  }
  // The header cut by the snap length: left out of the health analysis, still counted.
  const Bytes frame = with_tcp_options(linux_layout);
  d = decode_bytes(LinkType::ethernet, frame, 14 + 20 + 24);
  EXPECT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.tcp_options, decode::tcp_option::header_cut);
  EXPECT_EQ(d.record.ip_bytes, 20u + 32 + 10);
}

TEST(FrameDecoder, IpBytesAreTheHeadersLength) {
  // IPv6 with an extension header: 40 + payload length. IPv4 claiming more than the frame
  // carries (a cut datagram): the header's length, as an exporter reports it.
  Decoded d = decode_bytes(LinkType::ethernet,
                           ethernet(0x86dd) + ipv6(1, 2, 60, ipv6_extension(6) + tcp({.payload = 30})));
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.ip_bytes, 40u + 8 + 20 + 30);
  d = decode_bytes(LinkType::ethernet,
                   ethernet(0x0800) + ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, tcp({.payload = 30}), 6, 0, 0x4000, 1000));
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.ip_bytes, 1000u);
  EXPECT_EQ(d.record.payload_bytes, 30u);
}

TEST(FrameDecoder, BothDirectionsGiveOneKey) {
  const Bytes out = ethernet(0x0800) + ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, tcp({.src_port = 5, .dst_port = 6}));
  const Bytes back = ethernet(0x0800) + ipv4({10, 0, 0, 2}, {10, 0, 0, 1}, tcp({.src_port = 6, .dst_port = 5}));
  const Decoded a = decode_bytes(LinkType::ethernet, out), b = decode_bytes(LinkType::ethernet, back);
  EXPECT_EQ(a.record.key, b.record.key);
  EXPECT_NE(a.record.from_a, b.record.from_a);
  // Same host, both ends on one address: ports tell the ends apart.
  const Bytes self1 = ethernet(0x0800) + ipv4({127, 0, 0, 1}, {127, 0, 0, 1}, tcp({.src_port = 9000, .dst_port = 80}));
  const Bytes self2 = ethernet(0x0800) + ipv4({127, 0, 0, 1}, {127, 0, 0, 1}, tcp({.src_port = 80, .dst_port = 9000}));
  const Decoded s1 = decode_bytes(LinkType::ethernet, self1), s2 = decode_bytes(LinkType::ethernet, self2);
  EXPECT_EQ(s1.record.key, s2.record.key);
  EXPECT_EQ(s1.record.from_a, 0);
  EXPECT_EQ(s2.record.from_a, 1);
}

TEST(FrameDecoder, Ipv4OptionsAreSkipped) {
  const Decoded d = decode_bytes(LinkType::ethernet, ethernet(0x0800) + v4_syn(30, 4));
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.payload_bytes, 30u);
  EXPECT_EQ(d.record.key.port_a, 40000);  // 10.0.0.1 is endpoint a
}

// Client 10.0.0.1:40000 to server 10.0.0.2:80 as a plain frame, or the reply.
decode::PacketRecord plain_v4(bool reply = false) {
  const Bytes frame = reply ? ethernet(0x0800) + ipv4({10, 0, 0, 2}, {10, 0, 0, 1}, tcp({.src_port = 80, .dst_port = 40000}))
                            : ethernet(0x0800) + v4_syn();
  return decode_bytes(LinkType::ethernet, frame).record;
}

Decoded routed(std::initializer_list<uint8_t> src, std::initializer_list<uint8_t> header_dst, const Bytes& options,
               bool reply = false) {
  const TcpSpec spec = reply ? TcpSpec{.src_port = 80, .dst_port = 40000, .flags = 0x12} : TcpSpec{};
  return decode_bytes(LinkType::ethernet, ethernet(0x0800) + ipv4_with_options(src, header_dst, options, tcp(spec)));
}

TEST(FrameDecoder, SourceRouteInProgressKeysOnTheFinalDestination) {
  // Sent to router 192.0.2.1 with a loose route whose one entry ahead is the server: the
  // connection is 10.0.0.1 <-> 10.0.0.2, as the end hosts' TCP and Wireshark see it.
  const Decoded loose = routed({10, 0, 0, 1}, {192, 0, 2, 1}, {131, 7, 4, 10, 0, 0, 2, 0});
  ASSERT_EQ(loose.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(loose.record.key, plain_v4().key);
  EXPECT_EQ(loose.record.from_a, plain_v4().from_a);
  // Strict, two hops still ahead, after a NOP and a record-route option: the last entry.
  const Decoded strict = routed({10, 0, 0, 1}, {192, 0, 2, 1},
                                {1, 7, 7, 4, 0, 0, 0, 0, 137, 11, 4, 192, 0, 2, 9, 10, 0, 0, 2, 0});
  ASSERT_EQ(strict.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(strict.record.key, plain_v4().key);
  // Half way: the pointer at the second entry, the last one still the destination.
  const Decoded half = routed({10, 0, 0, 1}, {192, 0, 2, 9}, {131, 11, 8, 192, 0, 2, 1, 10, 0, 0, 2, 0});
  EXPECT_EQ(half.record.key, plain_v4().key);
  // The server's reply on the reversed route: the same connection, the other direction.
  const Decoded reply = routed({10, 0, 0, 2}, {198, 18, 0, 1}, {131, 7, 4, 10, 0, 0, 1, 0}, true);
  ASSERT_EQ(reply.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(reply.record.key, plain_v4().key);
  EXPECT_EQ(reply.record.from_a, plain_v4(true).from_a);
}

TEST(FrameDecoder, SourceRouteDoneOrMalformedKeepsTheHeaderDestination) {
  const decode::FlowKey header_key = plain_v4().key;
  // Done: the pointer is past the end, the header names the host, the entry is a recorded hop.
  EXPECT_EQ(routed({10, 0, 0, 1}, {10, 0, 0, 2}, {131, 7, 8, 192, 0, 2, 1, 0}).record.key, header_key);
  // Malformed pointers (below 4, not a multiple of 4) and an option running past the header.
  EXPECT_EQ(routed({10, 0, 0, 1}, {10, 0, 0, 2}, {131, 7, 3, 192, 0, 2, 1, 0}).record.key, header_key);
  EXPECT_EQ(routed({10, 0, 0, 1}, {10, 0, 0, 2}, {137, 7, 5, 192, 0, 2, 1, 0}).record.key, header_key);
  EXPECT_EQ(routed({10, 0, 0, 1}, {10, 0, 0, 2}, {131, 9, 4, 192, 0, 2, 1, 0}).record.key, header_key);
  // Options after End of Options are not read, nor after a malformed length.
  EXPECT_EQ(routed({10, 0, 0, 1}, {10, 0, 0, 2}, {0, 0, 0, 0, 131, 7, 4, 192, 0, 2, 1, 0}).record.key, header_key);
  EXPECT_EQ(routed({10, 0, 0, 1}, {10, 0, 0, 2}, {7, 1, 0, 0, 131, 7, 4, 192, 0, 2, 1, 0}).record.key, header_key);
  // Other options alone change nothing, and every one of these still counts its payload.
  const Decoded other = routed({10, 0, 0, 1}, {10, 0, 0, 2}, {7, 7, 4, 192, 0, 2, 1, 0});
  ASSERT_EQ(other.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(other.record.key, header_key);
}

TEST(FrameDecoder, VlanStacksAreIdentity) {
  const Decoded one = decode_bytes(LinkType::ethernet, ethernet(0x0800, {{0x8100, 100}}) + v4_syn());
  ASSERT_EQ(one.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(one.record.key.vlan_depth(), 1u);
  EXPECT_EQ(one.record.key.vlan_id(0), 100);
  const Decoded qinq = decode_bytes(LinkType::ethernet, ethernet(0x0800, {{0x88a8, 10}, {0x8100, 0x2000 | 20}}) + v4_syn());
  ASSERT_EQ(qinq.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(qinq.record.key.vlan_depth(), 2u);
  EXPECT_EQ(qinq.record.key.vlan_id(0), 10);
  EXPECT_EQ(qinq.record.key.vlan_id(1), 20);  // priority bits are not identity
  const Decoded legacy = decode_bytes(LinkType::ethernet, ethernet(0x0800, {{0x9100, 7}, {0x8100, 8}}) + v4_syn());
  EXPECT_EQ(legacy.record.key.vlan_id(0), 7);
  EXPECT_NE(one.record.key, qinq.record.key);
}

TEST(FrameDecoder, ThreeTagStackIsIdentity) {
  // QinQinQ: an 802.1ad S-tag over two C-tags. Every id is identity, as Suricata keys it.
  const Bytes syn = ethernet(0x0800, {{0x88a8, 1}, {0x8100, 2}, {0x8100, 3}}) + v4_syn(25);
  const Decoded d = decode_bytes(LinkType::ethernet, syn);
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.payload_bytes, 25u);
  EXPECT_EQ(d.record.key.vlan_depth(), 3u);
  EXPECT_EQ(d.record.key.vlan_id(0), 1);
  EXPECT_EQ(d.record.key.vlan_id(1), 2);
  EXPECT_EQ(d.record.key.vlan_id(2), 3);
  EXPECT_FALSE(d.record.key.is_ipv6());
  const Decoded other = decode_bytes(LinkType::ethernet, ethernet(0x0800, {{0x88a8, 1}, {0x8100, 2}, {0x8100, 4}}) + v4_syn());
  ASSERT_EQ(other.outcome, DecodeOutcome::tcp);
  EXPECT_NE(d.record.key, other.record.key);  // the third id alone tells them apart
  const Decoded two = decode_bytes(LinkType::ethernet, ethernet(0x0800, {{0x88a8, 1}, {0x8100, 2}}) + v4_syn());
  EXPECT_NE(d.record.key, two.record.key);
  // The largest ids and IPv6 keep their bits apart.
  Bytes sll2(20, 0);
  set16(sll2, 0, 0x88a8);
  const Bytes v6 = Bytes{0x0f, 0xff, 0x81, 0x00, 0x0f, 0xfe, 0x81, 0x00, 0x0f, 0xfd, 0x86, 0xdd} + ipv6(1, 2, 6, tcp({}));
  const Decoded six = decode_bytes(LinkType::linux_sll2, sll2 + v6);
  ASSERT_EQ(six.outcome, DecodeOutcome::tcp);
  EXPECT_TRUE(six.record.key.is_ipv6());
  EXPECT_EQ(six.record.key.vlan_depth(), 3u);
  EXPECT_EQ(six.record.key.vlan_id(0), 4095);
  EXPECT_EQ(six.record.key.vlan_id(1), 4094);
  EXPECT_EQ(six.record.key.vlan_id(2), 4093);
}

TEST(FrameDecoder, StacksUpToEightTagsDecodeKeyedByTheOuterThree) {
  std::vector<frames::VlanTag> tags;
  for (uint16_t id = 1; id <= 8; ++id) tags.push_back(vlan_tag(id == 1 ? 0x88a8 : 0x8100, id));
  const Decoded eight = decode_bytes(LinkType::ethernet, ethernet(0x0800, tags) + v4_syn(7));
  ASSERT_EQ(eight.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(eight.record.payload_bytes, 7u);
  EXPECT_EQ(eight.record.key.vlan_depth(), 3u);
  EXPECT_EQ(eight.record.key.vlan_id(2), 3);
  // Tags below the third are not identity (Suricata's depth).
  tags[5] = vlan_tag(0x8100, 600);
  const Decoded inner_differs = decode_bytes(LinkType::ethernet, ethernet(0x0800, tags) + v4_syn(7));
  ASSERT_EQ(inner_differs.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(eight.record.key, inner_differs.record.key);
  // A kernel-stripped tag counts toward the eight.
  const std::span<const frames::VlanTag> seven(tags.data(), 7);
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x0800, seven) + v4_syn(), -1, -1, 99).outcome,
            DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x0800, tags) + v4_syn(), -1, -1, 99).outcome,
            DecodeOutcome::vlan_too_deep);
  tags.push_back(vlan_tag(0x8100, 9));
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x0800, tags) + v4_syn()).outcome, DecodeOutcome::vlan_too_deep);
  // Priority tags (id 0) take no place in the key.
  const Decoded priority = decode_bytes(LinkType::ethernet,
                                        ethernet(0x0800, {{0x8100, 0x2000}, {0x88a8, 1}, {0x8100, 2}, {0x8100, 3}}) + v4_syn(25));
  ASSERT_EQ(priority.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(priority.record.key.vlan_id(2), 3);
}

// A stack deeper than the key's three: the record names it by id, and the decoder tells it
// whole beside the record, for output (a shard keeps the deeper tags with the connection).
TEST(FrameDecoder, StacksDeeperThanTheKeyAreToldWhole) {
  auto decode_told = [](const Bytes& bytes, int32_t stripped = -1) {
    std::vector<uint8_t> exact(bytes.begin(), bytes.end());
    const decode::FrameView frame{exact.data(), uint32_t(exact.size()), uint32_t(exact.size()), ts, stripped};
    std::pair<decode::PacketRecord, decode::KeyDetail> told{};
    EXPECT_EQ(decode::decode_frame(LinkType::ethernet, frame, told.first, told.second), DecodeOutcome::tcp);
    return told;
  };
  std::vector<frames::VlanTag> tags;
  for (int id : {4095, 2, 3, 4, 5, 6, 7, 4094}) tags.push_back(vlan_tag(tags.empty() ? 0x88a8 : 0x8100, uint16_t(id)));
  const auto [eight, eight_detail] = decode_told(ethernet(0x0800, tags) + v4_syn());
  EXPECT_EQ(eight.key.vlan_depth(), 3u);
  ASSERT_NE(eight.vlan_stack_id, 0u);
  EXPECT_EQ(eight_detail.tunnel.kind, decode::TunnelKind::none);
  EXPECT_EQ(eight_detail.vlans.id, eight.vlan_stack_id);
  ASSERT_EQ(eight_detail.vlans.depth, 8u);
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(eight_detail.vlans.ids[i], tags[i].vid) << "tag " << i;
  // One tag below the third differs: the same key, another stack.
  tags[5] = vlan_tag(0x8100, 600);
  const auto [other, other_detail] = decode_told(ethernet(0x0800, tags) + v4_syn());
  EXPECT_EQ(other.key, eight.key);
  EXPECT_NE(other.vlan_stack_id, eight.vlan_stack_id);
  EXPECT_EQ(other_detail.vlans.ids[5], 600);
  // Four tags, the kernel's stripped one the outermost.
  const std::span<const frames::VlanTag> three(tags.data() + 1, 3);
  const auto [four, four_detail] = decode_told(ethernet(0x0800, three) + v4_syn(), 77);
  ASSERT_EQ(four_detail.vlans.depth, 4u);
  EXPECT_EQ(four_detail.vlans.ids[0], 77);
  EXPECT_EQ(four_detail.vlans.ids[3], 4);
  EXPECT_EQ(four.key.vlan_id(0), 77);
  // Three tags: the key holds the whole stack.
  const auto [whole, whole_detail] = decode_told(ethernet(0x0800, three) + v4_syn());
  EXPECT_EQ(whole.key.vlan_depth(), 3u);
  EXPECT_EQ(whole.vlan_stack_id, 0u);
}

TEST(FrameDecoder, KernelStrippedTagIsTheOutermostAndCountsOnTheWire) {
  const Bytes frame = ethernet(0x0800, {{0x8100, 20}}) + v4_syn();
  const Decoded d = decode_bytes(LinkType::ethernet, frame, -1, -1, 10);
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.key.vlan_depth(), 2u);
  EXPECT_EQ(d.record.key.vlan_id(0), 10);
  EXPECT_EQ(d.record.key.vlan_id(1), 20);
  EXPECT_EQ(d.record.wire_bytes, frame.size() + 4);
}

TEST(FrameDecoder, PriorityTagIsNotAVlan) {
  // 802.1p priority tags (VLAN id 0) in the frame or stripped by the kernel: the same
  // connection as the untagged replies, and the tag still counts on the wire.
  const Decoded untagged = decode_bytes(LinkType::ethernet, ethernet(0x0800) + v4_syn());
  const Bytes tagged = ethernet(0x0800, {{0x8100, 0x6000}}) + v4_syn();
  const Decoded in_frame = decode_bytes(LinkType::ethernet, tagged);
  ASSERT_EQ(in_frame.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(in_frame.record.key, untagged.record.key);
  const Bytes stripped = ethernet(0x0800) + v4_syn();
  const Decoded by_kernel = decode_bytes(LinkType::ethernet, stripped, -1, -1, 0);
  ASSERT_EQ(by_kernel.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(by_kernel.record.key, untagged.record.key);
  EXPECT_EQ(by_kernel.record.wire_bytes, stripped.size() + 4);
  const Decoded inner = decode_bytes(LinkType::ethernet, ethernet(0x0800, {{0x8100, 0x2000}, {0x8100, 30}}) + v4_syn());
  EXPECT_EQ(inner.record.key.vlan_depth(), 1u);
  EXPECT_EQ(inner.record.key.vlan_id(0), 30);
}

TEST(FrameDecoder, CookedAndRawLinkTypes) {
  Bytes sll(16, 0);
  set16(sll, 14, 0x0800);
  EXPECT_EQ(decode_bytes(LinkType::linux_sll, sll + v4_syn()).outcome, DecodeOutcome::tcp);
  Bytes sll2(20, 0);
  set16(sll2, 0, 0x86dd);
  const Bytes v6 = ipv6(1, 2, 6, tcp({.payload = 10}));
  const Decoded d2 = decode_bytes(LinkType::linux_sll2, sll2 + v6);
  ASSERT_EQ(d2.outcome, DecodeOutcome::tcp);
  EXPECT_TRUE(d2.record.key.is_ipv6());
  EXPECT_EQ(d2.record.payload_bytes, 10u);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, v4_syn()).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, v6).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::ipv4, v4_syn()).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::ipv6, v6).outcome, DecodeOutcome::tcp);
  const Bytes null_le{2, 0, 0, 0}, null_be{0, 0, 0, 2}, null_v6{30, 0, 0, 0}, loop_v6{0, 0, 0, 24};
  EXPECT_EQ(decode_bytes(LinkType::bsd_null, null_le + v4_syn()).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::bsd_null, null_be + v4_syn()).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::bsd_null, null_v6 + v6).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::bsd_loop, loop_v6 + v6).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::bsd_null, Bytes{7, 0, 0, 0} + v4_syn()).outcome, DecodeOutcome::not_ip);
}

// Link types seen in public captures beyond Ethernet and Linux's own: PPP (both protocol
// field widths, with and without HDLC address and control), Cisco HDLC (alone and inside
// DLT_PPP_SERIAL), IP over InfiniBand, and NFLOG's payload attribute.
TEST(FrameDecoder, PppHdlcIpoibAndNflogLinkTypes) {
  const Bytes v6 = ipv6(1, 2, 6, tcp({.payload = 10}));
  EXPECT_EQ(decode_bytes(LinkType::ppp, Bytes{0x21} + v4_syn()).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::ppp, Bytes{0xff, 0x03, 0x00, 0x57} + v6).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::ppp, Bytes{0xc0, 0x21} + Bytes(20, 0)).outcome, DecodeOutcome::not_ip);  // LCP
  EXPECT_EQ(decode_bytes(LinkType::ppp, Bytes{0xff, 0x03, 0x00}).outcome, DecodeOutcome::truncated_link);
  EXPECT_EQ(decode_bytes(LinkType::ppp_serial, Bytes{0xff, 0x03, 0x00, 0x21} + v4_syn()).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::ppp_serial, Bytes{0x8f, 0x00, 0x86, 0xdd} + v6).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::cisco_hdlc, Bytes{0x0f, 0x00, 0x08, 0x00} + v4_syn()).outcome, DecodeOutcome::tcp);
  EXPECT_EQ(decode_bytes(LinkType::cisco_hdlc, Bytes{0x0f, 0x00, 0x08}).outcome, DecodeOutcome::truncated_link);

  Bytes ipoib(44, 0);
  set16(ipoib, 40, 0x86dd);
  const Decoded ib = decode_bytes(LinkType::ipoib, ipoib + v6);
  ASSERT_EQ(ib.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(ib.record.payload_bytes, 10u);
  EXPECT_EQ(decode_bytes(LinkType::ipoib, Bytes(43, 0)).outcome, DecodeOutcome::truncated_link);

  // NFLOG: family AF_INET, version 0, resource id; a prefix attribute (type 10, 5 bytes of
  // text, padded to 8), then the payload attribute. Attribute fields in host order.
  auto attribute = [](uint16_t type, const Bytes& value) {
    Bytes a(4);
    const uint16_t length = uint16_t(4 + value.size());
    std::memcpy(a.data(), &length, 2);
    std::memcpy(a.data() + 2, &type, 2);
    a = a + value;
    while (a.size() % 4) a.push_back(0);
    return a;
  };
  const Bytes ip = v4_syn(12);
  const Bytes nflog = Bytes{2, 0, 0, 1} + attribute(10, Bytes{'d', 'r', 'o', 'p', 0}) + attribute(9, ip);
  const Decoded nf = decode_bytes(LinkType::nflog, nflog);
  ASSERT_EQ(nf.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(nf.record.payload_bytes, 12u);
  const Bytes no_payload = Bytes{2, 0, 0, 1} + attribute(10, Bytes{'x'});
  EXPECT_EQ(decode_bytes(LinkType::nflog, no_payload).outcome, DecodeOutcome::truncated_link);
  Bytes zero_length = Bytes{2, 0, 0, 1} + Bytes(8, 0);
  EXPECT_EQ(decode_bytes(LinkType::nflog, zero_length).outcome, DecodeOutcome::truncated_link);
  EXPECT_EQ(decode_bytes(LinkType::unsupported, v4_syn()).outcome, DecodeOutcome::unsupported_link);
}

TEST(FrameDecoder, PppoeSessionAndItsLengthCap) {
  Bytes pppoe{0x11, 0x00, 0x12, 0x34};
  const Bytes ip = v4_syn(20);
  put16(pppoe, uint16_t(ip.size() + 2 - 6));  // the session says 6 bytes fewer than IP does
  put16(pppoe, 0x0021);
  const Decoded d = decode_bytes(LinkType::ethernet, ethernet(0x8864, {{0x8100, 5}}) + pppoe + ip);
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.payload_bytes, 14u);
  Bytes lcp{0x11, 0x00, 0x12, 0x34, 0x00, 0x04, 0xc0, 0x21};
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x8864) + lcp + Bytes(20, 0)).outcome, DecodeOutcome::not_ip);
}

TEST(FrameDecoder, MplsLabelStack) {
  const Bytes labels{0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40};  // two labels, bottom set on the second
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x8847) + labels + v4_syn()).outcome, DecodeOutcome::tcp);
}

TEST(FrameDecoder, NonIpAndNonTcp) {
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x0806) + Bytes(28, 0)).outcome, DecodeOutcome::not_ip);
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x0800) + ipv4({1, 1, 1, 1}, {2, 2, 2, 2}, Bytes(8, 0), 17)).outcome,
            DecodeOutcome::not_tcp);
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x86dd) + ipv6(1, 2, 59, {})).outcome, DecodeOutcome::not_tcp);
}

TEST(FrameDecoder, Ipv4FragmentsCountTheFirstOnly) {
  const Bytes first = ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, tcp({.payload = 100}), 6, 0, 0x2000);
  const Decoded d = decode_bytes(LinkType::ethernet, ethernet(0x0800) + first);
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.payload_bytes, 0u);  // the segment's rest is in fragments of no connection
  // The first fragment may end inside the TCP header (options continue in the next one).
  Bytes header_only = tcp({.header_words = 10});
  header_only.resize(24);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, header_only, 6, 0, 0x2000)).outcome,
            DecodeOutcome::tcp);
  // A first fragment of 8 TCP bytes in a frame padded to Ethernet's minimum: what follows
  // the datagram is padding, not the TCP header's flags (here 0x04, RST).
  Bytes ports_only = tcp({});
  ports_only.resize(8);
  Bytes tiny = ethernet(0x0800) + ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, ports_only, 6, 0, 0x2000);
  tiny.resize(60, 0x04);
  EXPECT_EQ(decode_bytes(LinkType::ethernet, tiny).outcome, DecodeOutcome::truncated_tcp);
  const Bytes later = ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, Bytes(80, 0), 6, 0, 0x0010);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, later).outcome, DecodeOutcome::fragment_tail);
  const Bytes later_udp = ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, Bytes(80, 0), 17, 0, 0x0010);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, later_udp).outcome, DecodeOutcome::fragment_tail);
}

TEST(FrameDecoder, Ipv6ExtensionChain) {
  // hop-by-hop -> routing -> destination options -> AH -> TCP
  Bytes ah{6, 1, 0, 0};
  ah.resize(12, 0);  // (1 + 2) * 4
  const Bytes chain = ipv6_extension(43) + ipv6_extension(60, 1) + ipv6_extension(51) + ah + tcp({.payload = 33});
  const Decoded d = decode_bytes(LinkType::raw_ip, ipv6(1, 2, 0, chain));
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.payload_bytes, 33u);
}

TEST(FrameDecoder, Ipv6Fragments) {
  const Decoded first = decode_bytes(LinkType::raw_ip, ipv6(1, 2, 44, ipv6_fragment(0x0001) + tcp({.payload = 50})));
  ASSERT_EQ(first.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(first.record.payload_bytes, 0u);
  const Decoded atomic = decode_bytes(LinkType::raw_ip, ipv6(1, 2, 44, ipv6_fragment(0x0000) + tcp({.payload = 50})));
  ASSERT_EQ(atomic.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(atomic.record.payload_bytes, 50u);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, ipv6(1, 2, 44, ipv6_fragment(0x0100) + Bytes(40, 0))).outcome,
            DecodeOutcome::fragment_tail);
}

TEST(FrameDecoder, Ipv6JumbogramAndBigTcp) {
  // Hop-by-hop with a Jumbo Payload option; IPv6 payload length 0.
  Bytes hbh{6, 0, 0xc2, 4};
  put32(hbh, 8 + 20 + 70000);
  const Bytes seg = tcp({.payload = 70000});
  const Decoded jumbo = decode_bytes(LinkType::raw_ip, ipv6(1, 2, 0, hbh + seg, 0), 200);
  ASSERT_EQ(jumbo.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(jumbo.record.payload_bytes, 70000u);
  // BIG TCP after GRO without the option: the frame's length is the only length.
  const Decoded big = decode_bytes(LinkType::raw_ip, ipv6(1, 2, 6, tcp({.payload = 90000}), 0), 100);
  ASSERT_EQ(big.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(big.record.payload_bytes, 90000u);
}

TEST(FrameDecoder, TsoTotalLengthZeroUsesTheFrame) {
  const Bytes ip = ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, tcp({.payload = 30000}), 6, 0, 0x4000, 0);
  const Decoded d = decode_bytes(LinkType::ethernet, ethernet(0x0800) + ip, 100);
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.payload_bytes, 30000u);
}

TEST(FrameDecoder, SnapLengthCutsDoNotChangeCounts) {
  const Bytes frame = ethernet(0x0800) + v4_syn(1400);
  const Decoded d = decode_bytes(LinkType::ethernet, frame, 14 + 20 + 16);
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.record.payload_bytes, 1400u);
  EXPECT_EQ(d.record.wire_bytes, frame.size());
  EXPECT_EQ(decode_bytes(LinkType::ethernet, frame, 14 + 20 + 15).outcome, DecodeOutcome::truncated_tcp);
  // An IP length beyond the frame counts what the frame carried (Wireshark does the same).
  const Bytes short_frame = ethernet(0x0800) + ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, tcp({.payload = 10}), 6, 0, 0x4000, 500);
  const Decoded capped = decode_bytes(LinkType::ethernet, short_frame);
  ASSERT_EQ(capped.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(capped.record.payload_bytes, 10u);
  // Ethernet padding after a short packet is not payload.
  Bytes padded = ethernet(0x0800) + v4_syn();
  padded.resize(60, 0);
  EXPECT_EQ(decode_bytes(LinkType::ethernet, padded).record.payload_bytes, 0u);
}

TEST(FrameDecoder, MalformedHeadersAreUndecodable) {
  Bytes ihl4 = v4_syn();
  ihl4[0] = 0x44;
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, ihl4).outcome, DecodeOutcome::bad_ip_header_length);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, ipv4({1, 1, 1, 1}, {2, 2, 2, 2}, tcp({}), 6, 0, 0x4000, 12)).outcome,
            DecodeOutcome::bad_ip_header_length);
  Bytes wrong_version = ethernet(0x0800) + v4_syn();
  wrong_version[14] = 0x65;
  EXPECT_EQ(decode_bytes(LinkType::ethernet, wrong_version).outcome, DecodeOutcome::bad_ip_version);
  Bytes raw_garbage = v4_syn();
  raw_garbage[0] = 0x95;
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, raw_garbage).outcome, DecodeOutcome::bad_ip_version);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, ipv4({1, 1, 1, 1}, {2, 2, 2, 2}, tcp({.header_words = 4}))).outcome,
            DecodeOutcome::bad_tcp_header_length);
  Bytes offset_past_end = tcp({.header_words = 5});
  offset_past_end[12] = 0xf0;  // 60-byte header in a 20-byte segment
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, ipv4({1, 1, 1, 1}, {2, 2, 2, 2}, offset_past_end)).outcome,
            DecodeOutcome::bad_tcp_header_length);
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x0800), 10).outcome, DecodeOutcome::truncated_link);
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x0800, {{0x8100, 1}}), 16).outcome, DecodeOutcome::truncated_link);
  EXPECT_EQ(decode_bytes(LinkType::ethernet, ethernet(0x0800) + v4_syn(), 14 + 19).outcome, DecodeOutcome::truncated_ip);
  EXPECT_EQ(decode_bytes(LinkType::linux_sll2, Bytes(19, 0)).outcome, DecodeOutcome::truncated_link);
  EXPECT_EQ(decode_bytes(LinkType::bsd_null, Bytes{2, 0}).outcome, DecodeOutcome::truncated_link);
}

TEST(FrameDecoder, Ipv6ChainsThatRunOffOrLoop) {
  // Destination options claiming 2 KiB in a short frame.
  const Bytes off_end = ipv6(1, 2, 60, ipv6_extension(6, 255), 40);
  const Bytes cut(off_end.begin(), off_end.begin() + 40 + 24);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, cut).outcome, DecodeOutcome::truncated_ip);
  // A chain longer than the payload length says.
  const Bytes too_long_for_payload = ipv6(1, 2, 60, ipv6_extension(60) + ipv6_extension(6) + tcp({}), 12);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, too_long_for_payload).outcome, DecodeOutcome::bad_extension_chain);
  // A hundred destination-options headers.
  Bytes chain;
  for (int i = 0; i < 100; ++i) chain = chain + ipv6_extension(60);
  EXPECT_EQ(decode_bytes(LinkType::raw_ip, ipv6(1, 2, 60, chain)).outcome, DecodeOutcome::bad_extension_chain);
}

TEST(FrameDecoder, EveryPrefixOfAValidFrameIsSafe) {
  // Cut a valid frame at every length: each prefix yields an outcome; never tcp before the
  // 16th TCP byte.
  const Bytes frame = ethernet(0x86dd, {{0x88a8, 1}, {0x8100, 2}}) +
                      ipv6(1, 2, 0, ipv6_extension(60) + ipv6_extension(6) + tcp({.payload = 40}));
  const std::size_t tcp_at = 14 + 8 + 40 + 16;
  for (std::size_t n = 0; n <= frame.size(); ++n) {
    const Decoded d = decode_bytes(LinkType::ethernet, frame, int(n));
    EXPECT_EQ(d.outcome == DecodeOutcome::tcp, n >= tcp_at + 16) << n;
  }
}

TEST(FrameDecoder, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  decode::DecodeCounters counters;
  for (int i = 0; i < 200000; ++i) {
    Bytes b(rng() % 200);
    for (auto& x : b) x = uint8_t(rng());
    if (b.size() > 14 && rng() % 2) set16(b, 12, rng() % 2 ? 0x0800 : 0x86dd);
    const LinkType link = LinkType(rng() % decode::link_type_count);
    counters.count(decode_bytes(link, b, -1, int(b.size() + rng() % 3000)).outcome);
  }
  EXPECT_EQ(std::accumulate(counters.frames.begin(), counters.frames.end(), uint64_t(0)), 200000u);
}

}  // namespace
}  // namespace ringtrack::testing

namespace ringtrack::testing {
namespace {

TEST(FrameDecoder, CommonShapeFastPathAgreesWithTheGeneralPath) {
  // The same IPv4/TCP bytes behind Ethernet (fast path) and behind a cooked header (the
  // general walk) must decode to the same record, but for the link header's length.
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    TcpSpec t{};
    t.src_port = uint16_t(rng());
    t.dst_port = uint16_t(rng());
    t.seq = uint32_t(rng());
    t.ack = uint32_t(rng());
    t.flags = uint8_t(rng());
    t.header_words = uint8_t(5 + rng() % 11);
    t.payload = uint32_t(rng() % 300);
    const uint8_t a = uint8_t(rng() % 3), b = uint8_t(rng() % 3);
    const Bytes ip = ipv4({10, 0, 0, a}, {10, 0, 0, b}, tcp(t));
    Bytes cooked(16, 0);
    set16(cooked, 14, 0x0800);
    const int cut = int(rng() % 2 ? 14 + ip.size() : 14 + 20 + 16 + rng() % 20);
    const Decoded fast = decode_bytes(LinkType::ethernet, ethernet(0x0800) + ip, cut);
    const Decoded general = decode_bytes(LinkType::linux_sll, cooked + ip, cut + 2);
    ASSERT_EQ(fast.outcome, general.outcome) << i;
    if (fast.outcome != DecodeOutcome::tcp) continue;
    decode::PacketRecord expected = general.record;
    expected.wire_bytes -= 2;
    EXPECT_EQ(std::memcmp(&fast.record, &expected, sizeof expected), 0) << i;
  }
}

}  // namespace
}  // namespace ringtrack::testing
