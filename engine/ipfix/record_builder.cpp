// Owns: the mapping from a connection row to IPFIX values.
// Does not own: the record's layout (flow_record) or the delta bookkeeping (ipfix_writer).
#include "ipfix/record_builder.hpp"

#include <algorithm>
#include <cstring>

namespace ringtrack::ipfix {
namespace {

constexpr uint8_t tcp_protocol = 6;
// layer2SegmentId's top byte names the overlay (IANA IE 351): 0x01 is VXLAN.
constexpr uint64_t layer2_segment_vxlan = uint64_t(0x01) << 56;

uint32_t ipv4_of(const std::array<uint8_t, 16>& mapped) noexcept {
  return uint32_t(mapped[12]) << 24 | uint32_t(mapped[13]) << 16 | uint32_t(mapped[14]) << 8 | mapped[15];
}

uint64_t ms_of(uint64_t ns) noexcept { return ns / 1'000'000; }

uint64_t less_floored(uint64_t now, uint64_t before) noexcept { return now > before ? now - before : 0; }

}  // namespace

uint64_t ip_octets(const flow::ConnView& view, unsigned direction) noexcept {
  return view.ip_bytes[direction];
}

FlowEndReason end_reason_of(const flow::ConnView& view, runtime::RowKind kind) noexcept {
  const bool ended_by_tcp = view.state == flow::TcpState::closed || view.state == flow::TcpState::reset;
  switch (kind) {
    case runtime::RowKind::interim:
    case runtime::RowKind::active_timeout:
      return FlowEndReason::active_timeout;
    case runtime::RowKind::final:
    case runtime::RowKind::stopped:
      return ended_by_tcp ? FlowEndReason::end_of_flow : FlowEndReason::forced_end;
    case runtime::RowKind::removed:
      break;
  }
  switch (view.end) {
    case flow::EndReason::evicted: return FlowEndReason::lack_of_resources;
    case flow::EndReason::reused: return FlowEndReason::end_of_flow;
    case flow::EndReason::expired:
    case flow::EndReason::none: break;
  }
  return ended_by_tcp ? FlowEndReason::end_of_flow : FlowEndReason::idle_timeout;
}

FlowRecord make_biflow_record(const flow::ConnView& v, FlowEndReason reason, const ExportedSoFar& before) noexcept {
  FlowRecord r{};
  // A continuing record starts where the last one ended: its first packet came after.
  r.start_ms = ms_of(before.last_ts_ns != 0 ? std::max(before.last_ts_ns, v.first_ts_ns) : v.first_ts_ns);
  r.end_ms = ms_of(v.last_ts_ns);
  r.packets = less_floored(v.packets[0], before.packets[0]);
  r.reverse_packets = less_floored(v.packets[1], before.packets[1]);
  r.octets = less_floored(ip_octets(v, 0), before.octets[0]);
  r.reverse_octets = less_floored(ip_octets(v, 1), before.octets[1]);
  r.ipv6 = v.ipv6();
  if (r.ipv6) {
    std::memcpy(r.source_ipv6, v.client_addr.data(), 16);
    std::memcpy(r.destination_ipv6, v.server_addr.data(), 16);
  } else {
    r.source_ipv4 = ipv4_of(v.client_addr);
    r.destination_ipv4 = ipv4_of(v.server_addr);
  }
  r.source_port = v.client_port;
  r.destination_port = v.server_port;
  if (v.vlan_depth > 0) r.vlan_id = r.dot1q_vlan_id = v.vlan_ids[0];
  if (v.vlan_depth > 1) r.dot1q_customer_vlan_id = v.vlan_ids[1];
  if (v.tunnel.kind == decode::TunnelKind::vxlan && v.tunnel.key_kind == decode::TunnelKeyKind::vni)
    r.layer2_segment_id = layer2_segment_vxlan | (v.tunnel.key & 0xffffffu);
  r.tcp_flags = v.tcp_flags[0];
  r.reverse_tcp_flags = v.tcp_flags[1];
  r.protocol = tcp_protocol;
  r.end_reason = uint8_t(reason);
  return r;
}

void split_into_uniflows(const FlowRecord& biflow, FlowRecord (&out)[2]) noexcept {
  out[0] = biflow;
  out[0].reverse_octets = out[0].reverse_packets = 0;
  out[0].reverse_tcp_flags = 0;
  out[1] = out[0];
  out[1].octets = biflow.reverse_octets;
  out[1].packets = biflow.reverse_packets;
  out[1].tcp_flags = biflow.reverse_tcp_flags;
  std::memcpy(out[1].source_ipv6, biflow.destination_ipv6, 16);
  std::memcpy(out[1].destination_ipv6, biflow.source_ipv6, 16);
  out[1].source_ipv4 = biflow.destination_ipv4;
  out[1].destination_ipv4 = biflow.source_ipv4;
  out[1].source_port = biflow.destination_port;
  out[1].destination_port = biflow.source_port;
}

}  // namespace ringtrack::ipfix
