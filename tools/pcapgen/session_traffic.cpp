// Owns: mapping a TcpOp to TCP header fields and frames for one session.
// Does not own: header encoding (frame_builder) or frame accounting (packet_sink).
#include "session_traffic.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace ringtrack::pcapgen {
namespace {

constexpr uint16_t syn_window = 64240;  // Linux initial window, unscaled
constexpr uint16_t syn_ack_window = 65160;
constexpr uint32_t ethernet_min_frame_bytes = 60;  // without FCS: what a NIC hands up

bool is_fragmented(TcpOp op) noexcept {
  return op == TcpOp::data_fragmented || op == TcpOp::data_fragmented_reversed || op == TcpOp::data_atomic_fragment;
}

}  // namespace

uint32_t mss_payload_bytes(bool ipv6) noexcept { return ipv6 ? 1500U - 40U - 32U : 1500U - 20U - 32U; }

void send_segment(TrafficContext& file_traffic, TcpSession& session, TcpOp op, Direction from,
                  uint32_t payload_bytes, uint32_t fragments) {
  const uint8_t capture_interface = session.capture_interface[index_of(from)];
  if (capture_interface != 0 && file_traffic.second_interface == nullptr) [[unlikely]] {
    throw std::logic_error("a session on pcapng interface 1 in a file with one interface");
  }
  TrafficContext& traffic = capture_interface == 0 ? file_traffic : *file_traffic.second_interface;
  TcpEndpoint& self = session.sender(from);
  TcpEndpoint& peer = session.receiver(from);
  const bool flood = session.style == SessionStyle::flood_syn;

  TcpFields tcp;
  tcp.src_port = self.port;
  tcp.dst_port = peer.port;
  tcp.window = self.window;
  tcp.options = TcpOptions::timestamps;
  tcp.mss = self.ip.is_v6 ? 1440 : 1460;
  tcp.tsval = self.ts_base + static_cast<uint32_t>(traffic.sink.next_ts_ns() / 1'000'000U);
  tcp.tsecr = peer.last_tsval;
  tcp.seq = self.snd_nxt;
  tcp.ack = peer.snd_nxt;
  uint32_t payload = 0;

  switch (op) {
    case TcpOp::syn:
      tcp.flags = tcp_flag::syn;
      tcp.seq = self.isn;
      tcp.ack = 0;
      tcp.tsecr = 0;
      tcp.options = flood ? TcpOptions::none : TcpOptions::syn;
      tcp.window = flood ? self.window : syn_window;
      self.snd_nxt = self.isn + 1;
      break;
    case TcpOp::syn_ack:
      tcp.flags = tcp_flag::syn | tcp_flag::ack;
      tcp.seq = self.isn;
      tcp.options = TcpOptions::syn;
      tcp.window = syn_ack_window;
      self.snd_nxt = self.isn + 1;
      break;
    case TcpOp::ack: tcp.flags = tcp_flag::ack; break;
    case TcpOp::ack_short:
      tcp.flags = tcp_flag::ack;
      tcp.ack = peer.snd_nxt - payload_bytes;
      break;
    case TcpOp::data:
    case TcpOp::data_fragmented:
    case TcpOp::data_fragmented_reversed:
    case TcpOp::data_atomic_fragment:
      tcp.flags = tcp_flag::psh | tcp_flag::ack;
      payload = payload_bytes;
      self.snd_nxt += payload;
      break;
    case TcpOp::fin:
    case TcpOp::fin_crossing:
      tcp.flags = static_cast<uint8_t>(tcp_flag::fin | tcp_flag::ack | (payload_bytes != 0 ? tcp_flag::psh : 0));
      if (op == TcpOp::fin_crossing && peer.fin_sent) {
        tcp.ack = peer.snd_nxt - 1;
      }
      payload = payload_bytes;
      self.snd_nxt += payload + 1;
      self.fin_sent = true;
      break;
    case TcpOp::fin_ack_short:
      tcp.flags = tcp_flag::fin | tcp_flag::ack;
      tcp.ack = peer.snd_nxt - payload_bytes;
      self.snd_nxt += 1;
      self.fin_sent = true;
      break;
    case TcpOp::rst:
      tcp.flags = tcp_flag::rst | tcp_flag::ack;
      tcp.options = TcpOptions::none;
      break;
    case TcpOp::rst_bare:
      tcp.flags = tcp_flag::rst;
      tcp.options = TcpOptions::none;
      tcp.ack = 0;
      tcp.window = 0;
      break;
    case TcpOp::rst_refuse:
      tcp.flags = tcp_flag::rst | tcp_flag::ack;
      tcp.options = TcpOptions::none;
      tcp.seq = 0;
      tcp.window = 0;
      break;
  }
  if (tcp.options != TcpOptions::none) {
    self.last_tsval = tcp.tsval;
  }

  IpFields ip;
  ip.src = self.ip;
  ip.dst = peer.ip;
  ip.ttl = self.ttl;
  ip.ipv4_id = self.ipv4_id++;
  ip.ipv6_flow_label = self.flow_label;
  // type, length 7, pointer, one address, then End of Options to the 4-byte boundary.
  std::array<uint8_t, 8> route_option{};
  if (session.source_route.option_type != 0 && !self.ip.is_v6) {
    const SourceRoute& route = session.source_route;
    const frames::IpAddress& hop = route.hop[from == Direction::c2s ? 0 : 1];
    route_option[0] = route.option_type;
    route_option[1] = 7;
    route_option[2] = route.done ? 8 : 4;
    std::copy_n((route.done ? hop : peer.ip).bytes.begin(), 4, route_option.begin() + 3);
    ip.ipv4_options = route_option;
    if (!route.done) ip.ipv4_header_dst = hop;
  }

  frames::LinkHeaderSpec link;
  link.src_mac = self.mac;
  link.dst_mac = peer.mac;
  link.outbound = from == Direction::c2s;
  link.tags = session.vlans.span();

  SegmentFacts facts;
  facts.flags = tcp.flags;
  facts.seq = tcp.seq;
  facts.ack = tcp.ack;

  if (session.tunnels.depth != 0) {
    // Tags go on the outermost link header; fragments are not sent through tunnels.
    frames::LinkHeaderSpec inner_link = link;
    inner_link.tags = {};
    const BuiltFrame inner = traffic.builder.tcp_frame(inner_link, ip, tcp, payload, 0);
    const BuiltFrame frame = traffic.tunnels.wrap(inner, self.ip.is_v6, link, session.tunnels, from);
    facts.payload_bytes = frame.tcp_payload_bytes;
    traffic.sink.emit_tcp(session, from, frame, facts);
    return;
  }
  if (!is_fragmented(op)) {
    const uint32_t min_wire_bytes = (flood && traffic.link == frames::LinkType::ether) ? ethernet_min_frame_bytes : 0;
    const BuiltFrame frame = traffic.builder.tcp_frame(link, ip, tcp, payload, min_wire_bytes);
    facts.payload_bytes = frame.tcp_payload_bytes;
    traffic.sink.emit_tcp(session, from, frame, facts);
    return;
  }
  const uint32_t wanted = op == TcpOp::data_atomic_fragment ? 1U : fragments;
  const StagedSegment staged = traffic.builder.stage_tcp(ip, tcp, payload, wanted);
  const uint32_t fragment_id = self.ip.is_v6 ? self.fragment_id++ : ip.ipv4_id;
  for (uint32_t sent = 0; sent < staged.fragment_count; ++sent) {
    const uint32_t index = op == TcpOp::data_fragmented_reversed ? staged.fragment_count - 1 - sent : sent;
    const BuiltFrame frame = traffic.builder.fragment_frame(link, ip, staged, index, fragment_id);
    if (index == 0) {
      facts.payload_bytes = frame.tcp_payload_bytes;
      traffic.sink.emit_tcp(session, from, frame, facts);
    } else {
      traffic.sink.emit_untracked_fragment(frame);
    }
  }
}

}  // namespace ringtrack::pcapgen
