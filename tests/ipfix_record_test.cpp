// Tests a connection row's IPFIX values: end reasons, the TCP flags each side sent, the
// record's fields and deltas, and the uniflow split.
#include <gtest/gtest.h>

#include "ipfix/record_builder.hpp"

namespace ringtrack::testing {
namespace {

using flow::TcpState;
using ipfix::FlowEndReason;
using runtime::RowKind;
namespace tcp = decode::tcp_flag;

flow::ConnView ipv4_view() {
  flow::ConnView v{};
  v.client_addr = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1};
  v.server_addr = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 80};
  v.client_port = 40000;
  v.server_port = 80;
  v.state = TcpState::closed;
  v.first_ts_ns = 1'700'000'000'123'456'789ull;
  v.last_ts_ns = 1'700'000'005'000'999'999ull;
  v.packets[0] = 12;
  v.packets[1] = 10;
  v.ip_bytes[0] = 1200;
  v.ip_bytes[1] = 90000;
  v.wire_bytes[0] = 1368;  // frame bytes: never the octets
  v.wire_bytes[1] = 90140;
  v.handshake_rtt_us = 500;
  return v;
}

TEST(IpfixEndReason, FollowsHowTheConnectionEnded) {
  flow::ConnView v = ipv4_view();
  v.end = flow::EndReason::expired;
  EXPECT_EQ(ipfix::end_reason_of(v, RowKind::removed), FlowEndReason::end_of_flow);
  v.state = TcpState::established;
  EXPECT_EQ(ipfix::end_reason_of(v, RowKind::removed), FlowEndReason::idle_timeout);
  v.end = flow::EndReason::evicted;
  EXPECT_EQ(ipfix::end_reason_of(v, RowKind::removed), FlowEndReason::lack_of_resources);
  v.end = flow::EndReason::reused;
  EXPECT_EQ(ipfix::end_reason_of(v, RowKind::removed), FlowEndReason::end_of_flow);
  v.end = flow::EndReason::none;
  EXPECT_EQ(ipfix::end_reason_of(v, RowKind::stopped), FlowEndReason::forced_end);
  EXPECT_EQ(ipfix::end_reason_of(v, RowKind::final), FlowEndReason::forced_end);
  EXPECT_EQ(ipfix::end_reason_of(v, RowKind::active_timeout), FlowEndReason::active_timeout);
  v.state = TcpState::reset;
  EXPECT_EQ(ipfix::end_reason_of(v, RowKind::stopped), FlowEndReason::end_of_flow);
}

TEST(IpfixTcpFlags, AreTheUnionsEachSideSent) {
  flow::ConnView v = ipv4_view();
  v.tcp_flags[0] = tcp::syn | tcp::ack | tcp::fin;
  v.tcp_flags[1] = tcp::syn | tcp::ack | tcp::psh | tcp::rst;
  const ipfix::FlowRecord r = ipfix::make_biflow_record(v, FlowEndReason::end_of_flow, {});
  EXPECT_EQ(r.tcp_flags, v.tcp_flags[0]);
  EXPECT_EQ(r.reverse_tcp_flags, v.tcp_flags[1]);
}

TEST(IpfixRecord, ClientIsSourceAndOctetsAreIpBytes) {
  const flow::ConnView v = ipv4_view();
  const ipfix::FlowRecord r = ipfix::make_biflow_record(v, FlowEndReason::end_of_flow, {});
  EXPECT_FALSE(r.ipv6);
  EXPECT_EQ(r.source_ipv4, 0x0a000001u);
  EXPECT_EQ(r.destination_ipv4, 0xc0000250u);
  EXPECT_EQ(r.source_port, 40000);
  EXPECT_EQ(r.destination_port, 80);
  EXPECT_EQ(r.protocol, 6);
  EXPECT_EQ(r.start_ms, 1'700'000'000'123ull);
  EXPECT_EQ(r.end_ms, 1'700'000'005'000ull);
  EXPECT_EQ(r.packets, 12u);
  EXPECT_EQ(r.reverse_packets, 10u);
  EXPECT_EQ(r.octets, 1200u);
  EXPECT_EQ(r.reverse_octets, 90000u);
  EXPECT_EQ(r.end_reason, uint8_t(FlowEndReason::end_of_flow));
  EXPECT_EQ(r.vlan_id, 0);
  EXPECT_EQ(r.layer2_segment_id, 0u);
}

TEST(IpfixRecord, VlanStackAndVxlanSegment) {
  flow::ConnView v = ipv4_view();
  v.vlan_depth = 3;
  v.vlan_ids[0] = 100;
  v.vlan_ids[1] = 200;
  v.vlan_ids[2] = 300;
  ipfix::FlowRecord r = ipfix::make_biflow_record(v, FlowEndReason::end_of_flow, {});
  EXPECT_EQ(r.vlan_id, 100);
  EXPECT_EQ(r.dot1q_vlan_id, 100);
  EXPECT_EQ(r.dot1q_customer_vlan_id, 200);
  v.vlan_depth = 0;
  v.tunnel.kind = decode::TunnelKind::vxlan;
  v.tunnel.key_kind = decode::TunnelKeyKind::vni;
  v.tunnel.key = 0x123456;
  r = ipfix::make_biflow_record(v, FlowEndReason::end_of_flow, {});
  EXPECT_EQ(r.layer2_segment_id, 0x0100000000123456ull);
  v.tunnel.kind = decode::TunnelKind::geneve;  // no standard element for Geneve's VNI
  r = ipfix::make_biflow_record(v, FlowEndReason::end_of_flow, {});
  EXPECT_EQ(r.layer2_segment_id, 0u);
}

TEST(IpfixRecord, DeltaSinceTheLastRecordStartsWhereItEnded) {
  const flow::ConnView v = ipv4_view();
  ipfix::ExportedSoFar before;
  before.packets[0] = 5;
  before.packets[1] = 4;
  before.octets[0] = 500;
  before.octets[1] = 40000;
  before.last_ts_ns = 1'700'000'002'500'000'000ull;
  const ipfix::FlowRecord r = ipfix::make_biflow_record(v, FlowEndReason::end_of_flow, before);
  EXPECT_EQ(r.packets, 7u);
  EXPECT_EQ(r.reverse_packets, 6u);
  EXPECT_EQ(r.octets, 700u);
  EXPECT_EQ(r.reverse_octets, 50000u);
  EXPECT_EQ(r.start_ms, 1'700'000'002'500ull);
  EXPECT_EQ(r.end_ms, 1'700'000'005'000ull);
}

TEST(IpfixRecord, UniflowPairHasEachDirectionForward) {
  flow::ConnView v = ipv4_view();
  v.flags = flow::view_flag::ipv6;
  v.client_addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  v.server_addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80};
  const ipfix::FlowRecord bi = ipfix::make_biflow_record(v, FlowEndReason::end_of_flow, {});
  ipfix::FlowRecord pair[2];
  ipfix::split_into_uniflows(bi, pair);
  EXPECT_TRUE(pair[0].ipv6 && pair[1].ipv6);
  EXPECT_EQ(pair[0].source_ipv6[15], 1);
  EXPECT_EQ(pair[1].source_ipv6[15], 0x80);
  EXPECT_EQ(pair[1].destination_ipv6[15], 1);
  EXPECT_EQ(pair[1].source_port, 80);
  EXPECT_EQ(pair[1].destination_port, 40000);
  EXPECT_EQ(pair[0].packets, 12u);
  EXPECT_EQ(pair[1].packets, 10u);
  EXPECT_EQ(pair[1].octets, 90000u);
  EXPECT_EQ(pair[0].reverse_packets + pair[1].reverse_packets + pair[0].reverse_octets + pair[1].reverse_octets, 0u);
  EXPECT_EQ(pair[0].tcp_flags, bi.tcp_flags);
  EXPECT_EQ(pair[1].tcp_flags, bi.reverse_tcp_flags);
}

}  // namespace
}  // namespace ringtrack::testing
