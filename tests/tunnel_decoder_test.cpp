// Tests tunnels in the frame decoder: each kind carries its inner TCP segment to a record
// keyed by the inner endpoints and the tunnel, counted with the outer frame's length; both
// directions share a key, different tunnels do not; nesting stops at four; malformed and
// cut-short tunnel headers are undecodable by reason, never read past the capture.
#include "decode/frame_decoder.hpp"

#include <gtest/gtest.h>

#include <random>

#include "frame_bytes.hpp"

namespace ringtrack::testing {
namespace {

using decode::DecodeOutcome;
using decode::LinkType;
using decode::TunnelKind;

struct Decoded {
  DecodeOutcome outcome;
  decode::KeyDetail detail;
  decode::TunnelIdentity& tunnel = detail.tunnel;
  decode::PacketRecord record;
};

// Decodes an Ethernet frame from an exactly sized copy (ASan catches over-reads).
Decoded decode_ethernet(const Bytes& bytes, int captured = -1) {
  const std::size_t n = captured >= 0 ? std::min(std::size_t(captured), bytes.size()) : bytes.size();
  std::vector<uint8_t> exact(bytes.begin(), bytes.begin() + std::ptrdiff_t(n));
  const decode::FrameView frame{exact.data(), uint32_t(n), uint32_t(bytes.size()), 1, -1};
  Decoded d{};
  d.outcome = decode::decode_frame(LinkType::ethernet, frame, d.record, d.detail);
  return d;
}

// The inner segment every test carries: 10.0.0.5:40000 -> 10.9.9.9:80 with 100 bytes of payload.
Bytes inner_v4(bool reply = false) {
  return reply ? ipv4({10, 9, 9, 9}, {10, 0, 0, 5}, tcp({.src_port = 80, .dst_port = 40000, .payload = 100}))
               : ipv4({10, 0, 0, 5}, {10, 9, 9, 9}, tcp({.src_port = 40000, .dst_port = 80, .payload = 100}));
}
Bytes inner_v6() { return ipv6(5, 9, 6, tcp({.src_port = 40000, .dst_port = 80, .payload = 100})); }

// Outer IPv4 between 192.0.2.1 and 192.0.2.2 (reply: the other way) around body.
Bytes outer_v4(const Bytes& body, uint8_t protocol, bool reply = false) {
  return reply ? ipv4({192, 0, 2, 2}, {192, 0, 2, 1}, body, protocol) : ipv4({192, 0, 2, 1}, {192, 0, 2, 2}, body, protocol);
}
Bytes vxlan_frame(uint32_t vni, const Bytes& inner_ip, bool reply = false) {
  return ethernet(0x0800) +
         outer_v4(udp(reply ? 4789 : 51000, reply ? 51001 : 4789, vxlan(vni) + ethernet(0x0800) + inner_ip), 17, reply);
}

void expect_inner_segment(const Decoded& d, TunnelKind kind, std::size_t wire_bytes) {
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.tunnel.kind, kind);
  EXPECT_EQ(d.tunnel.id, d.record.key.tunnel_id());
  EXPECT_EQ(d.record.payload_bytes, 100u);
  EXPECT_EQ(d.record.wire_bytes, wire_bytes);
  EXPECT_TRUE(d.record.key.tunnelled());
  EXPECT_EQ(d.record.key.tunnel_kind(), unsigned(kind));
  EXPECT_EQ(d.record.key.vlan_depth(), 0u);
  EXPECT_EQ(d.record.key.port_a, 40000);  // the inner endpoints: 10.0.0.5 (or 2001:db8::5) is a
}

TEST(TunnelDecoder, EveryKindCarriesItsInnerSegment) {
  struct Case {
    const char* name;
    Bytes frame;
    TunnelKind kind;
  };
  const Case cases[] = {
      {"ipip", ethernet(0x0800) + outer_v4(inner_v4(), 4), TunnelKind::ipip},
      {"6in4", ethernet(0x0800) + outer_v4(inner_v6(), 41), TunnelKind::ipip},
      {"4in6", ethernet(0x86dd) + ipv6(1, 2, 4, inner_v4()), TunnelKind::ipip},
      {"6in6 after an extension", ethernet(0x86dd) + ipv6(1, 2, 60, ipv6_extension(41) + inner_v6()), TunnelKind::ipip},
      {"gre", ethernet(0x0800) + outer_v4(gre({}) + inner_v4(), 47), TunnelKind::gre},
      {"gre csum key seq", ethernet(0x0800) + outer_v4(gre({.protocol = 0x86dd, .checksum = true, .key = 7, .sequence = 1}) + inner_v6(), 47),
       TunnelKind::gre},
      {"gre ethernet", ethernet(0x0800) + outer_v4(gre({.protocol = 0x6558}) + ethernet(0x0800) + inner_v4(), 47), TunnelKind::gre},
      {"erspan I", ethernet(0x0800) + outer_v4(gre({.protocol = 0x88be}) + ethernet(0x0800) + inner_v4(), 47), TunnelKind::erspan},
      {"erspan II", ethernet(0x0800) + outer_v4(gre({.protocol = 0x88be, .sequence = 3}) + erspan({.type = 2, .session = 9}) +
                                                    ethernet(0x0800) + inner_v4(), 47), TunnelKind::erspan},
      {"erspan III + subheader", ethernet(0x0800) + outer_v4(gre({.protocol = 0x22eb, .sequence = 3}) +
                                                  erspan({.type = 3, .session = 9, .platform_subheader = true}) +
                                                  ethernet(0x0800, {{0x8100, 5}}) + inner_v4(), 47), TunnelKind::erspan},
      {"wccp v2", ethernet(0x0800) + outer_v4(gre({.protocol = 0x883e}) + Bytes{0, 0, 0, 0} + inner_v4(), 47), TunnelKind::wccp},
      {"wccp v1", ethernet(0x0800) + outer_v4(gre({.protocol = 0x883e}) + inner_v4(), 47), TunnelKind::wccp},
      {"vxlan", vxlan_frame(42, inner_v4()), TunnelKind::vxlan},
      {"vxlan inner vlan", ethernet(0x0800) + outer_v4(udp(5000, 4789, vxlan(1) + ethernet(0x0800, {{0x8100, 7}}) + inner_v4()), 17),
       TunnelKind::vxlan},
      {"geneve options", ethernet(0x0800) + outer_v4(udp(5000, 6081, geneve({.vni = 3, .option_words = 5}) + ethernet(0x86dd) + inner_v6()), 17),
       TunnelKind::geneve},
      {"geneve ip", ethernet(0x0800) + outer_v4(udp(5000, 6081, geneve({.vni = 3, .protocol = 0x0800}) + inner_v4()), 17), TunnelKind::geneve},
      {"gtpu", ethernet(0x0800) + outer_v4(udp(2152, 2152, gtpu({.teid = 1, .inner_bytes = 140}) + inner_v4()), 17), TunnelKind::gtpu},
      {"gtpu extension src port", ethernet(0x0800) + outer_v4(udp(2152, 9999, gtpu({.teid = 1, .inner_bytes = 160, .extension_words = 2}) + inner_v6()), 17),
       TunnelKind::gtpu},
      {"teredo", ethernet(0x0800) + outer_v4(udp(3544, 50000, inner_v6()), 17), TunnelKind::teredo},
      {"teredo indicators", ethernet(0x0800) + outer_v4(udp(50000, 3544, teredo({.authentication = true, .origin = true}) + inner_v6()), 17),
       TunnelKind::teredo},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    expect_inner_segment(decode_ethernet(c.frame), c.kind, c.frame.size());
  }
}

TEST(TunnelDecoder, BothDirectionsShareOneKeyAndTunnelsDoNot) {
  const Decoded out = decode_ethernet(vxlan_frame(42, inner_v4()));
  const Decoded back = decode_ethernet(vxlan_frame(42, inner_v4(true), true));
  EXPECT_EQ(out.record.key, back.record.key);  // outer endpoints and UDP ports swapped
  EXPECT_NE(out.record.from_a, back.record.from_a);
  // Another VNI, other outer endpoints, another kind, no tunnel: four other connections.
  const Decoded other_vni = decode_ethernet(vxlan_frame(43, inner_v4()));
  const Decoded other_outer = decode_ethernet(
      ethernet(0x0800) + ipv4({192, 0, 2, 1}, {192, 0, 2, 3}, udp(51000, 4789, vxlan(42) + ethernet(0x0800) + inner_v4()), 17));
  const Decoded geneve_same = decode_ethernet(
      ethernet(0x0800) + outer_v4(udp(51000, 6081, geneve({.vni = 42}) + ethernet(0x0800) + inner_v4()), 17));
  const Decoded plain = decode_ethernet(ethernet(0x0800) + inner_v4());
  for (const Decoded* d : {&other_vni, &other_outer, &geneve_same, &plain}) {
    ASSERT_EQ(d->outcome, DecodeOutcome::tcp);
    EXPECT_NE(d->record.key, out.record.key);
    EXPECT_EQ(d->record.key.addr_a, out.record.key.addr_a);
  }
  // GTP-U: each end picks the TEID it receives on, so the two directions differ in TEID
  // and still make one connection.
  const Decoded up = decode_ethernet(ethernet(0x0800) + outer_v4(udp(2152, 2152, gtpu({.teid = 0x100, .inner_bytes = 140}) + inner_v4()), 17));
  const Decoded down = decode_ethernet(
      ethernet(0x0800) + outer_v4(udp(2152, 2152, gtpu({.teid = 0x200, .inner_bytes = 140}) + inner_v4(true)), 17, true));
  EXPECT_EQ(up.record.key, down.record.key);
}

TEST(TunnelDecoder, TheIdentityShownNamesTheInnermostTunnel) {
  // VXLAN in GRE: the VXLAN tunnel's endpoints (canonical order) and VNI.
  const Bytes vx = ipv4({172, 16, 0, 9}, {172, 16, 0, 2}, udp(7, 4789, vxlan(5000) + ethernet(0x0800) + inner_v4()), 17);
  const Decoded d = decode_ethernet(ethernet(0x0800) + outer_v4(gre({.key = 1}) + vx, 47));
  ASSERT_EQ(d.outcome, DecodeOutcome::tcp);
  EXPECT_EQ(d.tunnel.kind, TunnelKind::vxlan);
  EXPECT_EQ(d.tunnel.key_kind, decode::TunnelKeyKind::vni);
  EXPECT_EQ(d.tunnel.key, 5000u);
  EXPECT_EQ(d.tunnel.outer_family, 4);
  EXPECT_EQ(d.tunnel.outer_a[15], 2);  // 172.16.0.2 < 172.16.0.9
  EXPECT_EQ(d.tunnel.outer_b[15], 9);
  EXPECT_EQ(d.tunnel.outer_a[10], 0xff);
  // GTP-U: the TEID goes with its direction (toward outer_b: teid[0]).
  const Decoded up = decode_ethernet(ethernet(0x0800) + outer_v4(udp(2152, 2152, gtpu({.teid = 0x100, .inner_bytes = 140}) + inner_v4()), 17));
  EXPECT_EQ(up.tunnel.key_kind, decode::TunnelKeyKind::teid);
  EXPECT_EQ(up.tunnel.teid_seen, 1);
  EXPECT_EQ(up.tunnel.teid[0], 0x100u);
  const Decoded down = decode_ethernet(
      ethernet(0x0800) + outer_v4(udp(2152, 2152, gtpu({.teid = 0x200, .inner_bytes = 140}) + inner_v4(true)), 17, true));
  EXPECT_EQ(down.tunnel.teid_seen, 2);
  EXPECT_EQ(down.tunnel.teid[1], 0x200u);
  // The record carries it too, for the shard to tell bearers of one key apart.
  EXPECT_EQ(up.record.gtp_teid, 0x100u);
  EXPECT_EQ(up.record.gtp_to_outer_b, 1);
  EXPECT_EQ(down.record.gtp_teid, 0x200u);
  EXPECT_EQ(down.record.gtp_to_outer_b, 0);
  EXPECT_EQ(up.record.key, down.record.key);
  // A tunnel inside GTP-U is the innermost one: the record has no TEID.
  const Bytes inner_vx = ipv4({192, 168, 0, 1}, {192, 168, 0, 2}, udp(7, 4789, vxlan(5) + ethernet(0x0800) + inner_v4()), 17);
  const Bytes vx_in_gtp = gtpu({.teid = 0x300, .inner_bytes = uint16_t(inner_vx.size())}) + inner_vx;
  const Decoded nested = decode_ethernet(ethernet(0x0800) + outer_v4(udp(2152, 2152, vx_in_gtp), 17));
  EXPECT_EQ(nested.tunnel.kind, TunnelKind::vxlan);
  EXPECT_EQ(nested.record.gtp_teid, 0u);
  // GRE keys and ERSPAN sessions.
  EXPECT_EQ(decode_ethernet(ethernet(0x0800) + outer_v4(gre({.key = 77}) + inner_v4(), 47)).tunnel.key, 77u);
  const Decoded span = decode_ethernet(ethernet(0x0800) + outer_v4(gre({.protocol = 0x88be, .sequence = 3}) +
                                                                     erspan({.type = 2, .session = 9}) + ethernet(0x0800) + inner_v4(), 47));
  EXPECT_EQ(span.tunnel.key_kind, decode::TunnelKeyKind::erspan_session);
  EXPECT_EQ(span.tunnel.key, 9u);
}

TEST(TunnelDecoder, VlanTagsAroundATunnelAreFoldedIntoItsId) {
  const Bytes body = outer_v4(udp(5000, 4789, vxlan(1) + ethernet(0x0800) + inner_v4()), 17);
  const Decoded untagged = decode_ethernet(ethernet(0x0800) + body);
  const Decoded tagged = decode_ethernet(ethernet(0x0800, {{0x8100, 10}}) + body);
  const Decoded other_tag = decode_ethernet(ethernet(0x0800, {{0x8100, 11}}) + body);
  EXPECT_NE(untagged.record.key, tagged.record.key);
  EXPECT_NE(tagged.record.key, other_tag.record.key);
  EXPECT_EQ(tagged.record.key.vlan_depth(), 0u);
}

// depth tunnels of IP in IP around the inner segment.
Bytes nested_ipip(unsigned depth) {
  Bytes packet = inner_v4();
  for (unsigned i = 0; i < depth; ++i) packet = ipv4({192, 0, 2, uint8_t(i)}, {198, 51, 100, uint8_t(i)}, packet, 4);
  return ethernet(0x0800) + packet;
}

TEST(TunnelDecoder, TunnelsNestFourDeep) {
  for (unsigned depth = 1; depth <= 4; ++depth) {
    SCOPED_TRACE(depth);
    const Bytes frame = nested_ipip(depth);
    expect_inner_segment(decode_ethernet(frame), TunnelKind::ipip, frame.size());
  }
  EXPECT_EQ(decode_ethernet(nested_ipip(5)).outcome, DecodeOutcome::tunnel_too_deep);
  // Mixed: GTP-U in VXLAN in GRE; the innermost kind is the key's.
  const Bytes gtp = ipv4({172, 16, 0, 1}, {172, 16, 0, 2}, udp(2152, 2152, gtpu({.inner_bytes = 140}) + inner_v4()), 17);
  const Bytes vx = ipv4({192, 168, 0, 1}, {192, 168, 0, 2}, udp(7, 4789, vxlan(5) + ethernet(0x0800) + gtp), 17);
  const Bytes frame = ethernet(0x0800) + outer_v4(gre({.key = 1}) + vx, 47);
  expect_inner_segment(decode_ethernet(frame), TunnelKind::gtpu, frame.size());
  // Plain UDP four tunnels deep is still just UDP.
  Bytes udp_inside = ipv4({10, 0, 0, 5}, {10, 9, 9, 9}, udp(53, 53, Bytes(20, 0)), 17);
  for (unsigned i = 0; i < 4; ++i) udp_inside = ipv4({192, 0, 2, uint8_t(i)}, {198, 51, 100, 1}, udp_inside, 4);
  const Decoded deep_udp = decode_ethernet(ethernet(0x0800) + udp_inside);
  EXPECT_EQ(deep_udp.outcome, DecodeOutcome::not_tcp);
  EXPECT_EQ(deep_udp.tunnel.kind, TunnelKind::ipip);
}

Bytes first_bytes(const Bytes& b, std::size_t n) { return Bytes(b.begin(), b.begin() + std::ptrdiff_t(n)); }

TEST(TunnelDecoder, MalformedTunnelHeadersAreUndecodableByReason) {
  struct Case {
    const char* name;
    Bytes frame;
    DecodeOutcome outcome;
  };
  const Case cases[] = {
      {"gre version 3", ethernet(0x0800) + outer_v4(gre({.version = 3}) + inner_v4(), 47), DecodeOutcome::bad_tunnel_header},
      {"gre shorter than its flags say", ethernet(0x0800) + outer_v4(first_bytes(gre({.key = 1}), 6), 47) + Bytes(20, 0),
       DecodeOutcome::bad_tunnel_header},
      {"erspan II version 2", ethernet(0x0800) + outer_v4(gre({.protocol = 0x88be, .sequence = 1}) +
                                                              erspan({.type = 2, .version_override = 2}) + ethernet(0x0800) + inner_v4(), 47),
       DecodeOutcome::bad_tunnel_header},
      {"udp length below 8", ethernet(0x0800) + outer_v4(udp(5000, 4789, vxlan(1) + ethernet(0x0800) + inner_v4(), 7), 17),
       DecodeOutcome::bad_tunnel_header},
      {"vxlan cut by udp length", ethernet(0x0800) + outer_v4(udp(5000, 4789, vxlan(1), 12), 17), DecodeOutcome::bad_tunnel_header},
      {"geneve version 1", ethernet(0x0800) + outer_v4(udp(5000, 6081, geneve({.version = 1}) + ethernet(0x0800) + inner_v4()), 17),
       DecodeOutcome::bad_tunnel_header},
      {"geneve options past the datagram", ethernet(0x0800) + outer_v4(udp(5000, 6081, geneve({.option_words = 63}), 28), 17),
       DecodeOutcome::bad_tunnel_header},
      {"gtp version 2", ethernet(0x0800) + outer_v4(udp(2152, 2152, gtpu({.inner_bytes = 140, .flags_override = 0x48}) + inner_v4()), 17),
       DecodeOutcome::bad_tunnel_header},
      {"gtp extension length 0", ethernet(0x0800) + outer_v4(udp(2152, 2152, gtpu({.inner_bytes = 140, .extension_words = 0, .flags_override = 0x34}) +
                                                                             Bytes{0, 0, 0, 0x85, 0, 0, 0, 0} + inner_v4()), 17),
       DecodeOutcome::bad_tunnel_header},
      {"teredo auth past the datagram", ethernet(0x0800) + outer_v4(udp(3544, 3544, Bytes{0, 1, 200, 200, 0, 0}), 17),
       DecodeOutcome::bad_tunnel_header},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(decode_ethernet(c.frame).outcome, c.outcome);
  }
  // Not tunnels: GTP-U signalling, PPTP's GRE, UDP on other ports, Teredo's port with IPv4.
  EXPECT_EQ(decode_ethernet(ethernet(0x0800) + outer_v4(udp(2152, 2152, gtpu({.message_type = 1})), 17)).outcome, DecodeOutcome::not_tcp);
  EXPECT_EQ(decode_ethernet(ethernet(0x0800) + outer_v4(gre({.protocol = 0x880b, .version = 1}) + inner_v4(), 47)).outcome,
            DecodeOutcome::not_ip);
  EXPECT_EQ(decode_ethernet(ethernet(0x0800) + outer_v4(udp(53, 5353, vxlan(1) + ethernet(0x0800) + inner_v4()), 17)).outcome,
            DecodeOutcome::not_tcp);
  EXPECT_EQ(decode_ethernet(ethernet(0x0800) + outer_v4(udp(3544, 3544, inner_v4()), 17)).outcome, DecodeOutcome::not_ip);
}

TEST(TunnelDecoder, EveryPrefixIsSafeAndCutTunnelsAreTruncated) {
  const Bytes frame = ethernet(0x0800) + outer_v4(gre({.protocol = 0x6558, .key = 3}) + ethernet(0x0800) +
                                                      ipv4({172, 16, 0, 1}, {172, 16, 0, 2},
                                                           udp(9, 2152, gtpu({.inner_bytes = 160, .extension_words = 1}) + inner_v6()), 17), 47);
  const std::size_t tcp_at = frame.size() - 100 - 20;
  for (std::size_t n = 0; n <= frame.size(); ++n) {
    const Decoded d = decode_ethernet(frame, int(n));
    EXPECT_EQ(d.outcome == DecodeOutcome::tcp, n >= tcp_at + 16) << n;
  }
  // Cut inside the GRE key and inside the GTP-U header.
  EXPECT_EQ(decode_ethernet(frame, 14 + 20 + 6).outcome, DecodeOutcome::truncated_tunnel);
  EXPECT_EQ(decode_ethernet(frame, 14 + 20 + 8 + 14 + 20 + 8 + 4).outcome, DecodeOutcome::truncated_tunnel);
  EXPECT_EQ(decode_ethernet(frame).outcome, DecodeOutcome::tcp);
}

TEST(TunnelDecoder, RandomTunnelBytesNeverCrash) {
  // Valid outer headers around random tunnel payloads, on every tunnel protocol and port.
  std::mt19937 rng(5);
  const uint16_t ports[] = {2152, 3544, 4789, 6081};
  for (int i = 0; i < 100000; ++i) {
    Bytes body(rng() % 120);
    for (auto& x : body) x = uint8_t(rng());
    const unsigned pick = rng() % 4;
    Bytes ip = pick == 0   ? outer_v4(udp(1, ports[rng() % 4], body, int(rng() % 2 ? body.size() + 8 : rng() % 200)), 17)
               : pick == 1 ? outer_v4(body, 47)
               : pick == 2 ? outer_v4(body, rng() % 2 ? 4 : 41)
                           : ipv6(1, 2, 17, udp(ports[rng() % 4], 1, body));
    const Decoded d = decode_ethernet(ethernet(pick == 3 ? 0x86dd : 0x0800) + ip);
    EXPECT_LT(unsigned(d.outcome), decode::decode_outcome_count);
  }
}

}  // namespace
}  // namespace ringtrack::testing
