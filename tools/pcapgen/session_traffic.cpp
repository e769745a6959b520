// Owns: mapping a tcp_op to TCP header fields and frames for one session.
// Does not own: header encoding (frame_builder) or frame accounting (packet_sink).
#include "session_traffic.hpp"

namespace pcapgen {
namespace {

constexpr std::uint16_t syn_window = 64240;      // Linux initial window, unscaled
constexpr std::uint16_t syn_ack_window = 65160;
constexpr std::uint32_t ethernet_min_frame_bytes = 60;  // without FCS: what a NIC hands up

bool is_fragmented(tcp_op op) noexcept {
    return op == tcp_op::data_fragmented || op == tcp_op::data_fragmented_reversed ||
           op == tcp_op::data_atomic_fragment;
}

}  // namespace

std::uint32_t mss_payload_bytes(bool ipv6) noexcept {
    return ipv6 ? 1500U - 40U - 32U : 1500U - 20U - 32U;
}

void send_segment(traffic_context& traffic, tcp_session& session, tcp_op op, direction from,
                  std::uint32_t payload_bytes, std::uint32_t fragments) {
    tcp_endpoint& self = session.sender(from);
    tcp_endpoint& peer = session.receiver(from);
    const bool flood = session.style == session_style::flood_syn;

    tcp_fields tcp;
    tcp.src_port = self.port;
    tcp.dst_port = peer.port;
    tcp.window = self.window;
    tcp.options = tcp_options::timestamps;
    tcp.mss = self.ip.is_v6 ? 1440 : 1460;
    tcp.tsval = self.ts_base + static_cast<std::uint32_t>(traffic.sink.next_ts_ns() / 1'000'000U);
    tcp.tsecr = peer.last_tsval;
    tcp.seq = self.snd_nxt;
    tcp.ack = peer.snd_nxt;
    std::uint32_t payload = 0;

    switch (op) {
    case tcp_op::syn:
        tcp.flags = tcp_flag::syn;
        tcp.seq = self.isn;
        tcp.ack = 0;
        tcp.tsecr = 0;
        tcp.options = flood ? tcp_options::none : tcp_options::syn;
        tcp.window = flood ? self.window : syn_window;
        self.snd_nxt = self.isn + 1;
        break;
    case tcp_op::syn_ack:
        tcp.flags = tcp_flag::syn | tcp_flag::ack;
        tcp.seq = self.isn;
        tcp.options = tcp_options::syn;
        tcp.window = syn_ack_window;
        self.snd_nxt = self.isn + 1;
        break;
    case tcp_op::ack:
        tcp.flags = tcp_flag::ack;
        break;
    case tcp_op::ack_short:
        tcp.flags = tcp_flag::ack;
        tcp.ack = peer.snd_nxt - payload_bytes;
        break;
    case tcp_op::data:
    case tcp_op::data_fragmented:
    case tcp_op::data_fragmented_reversed:
    case tcp_op::data_atomic_fragment:
        tcp.flags = tcp_flag::psh | tcp_flag::ack;
        payload = payload_bytes;
        self.snd_nxt += payload;
        break;
    case tcp_op::fin:
    case tcp_op::fin_crossing:
        tcp.flags = static_cast<std::uint8_t>(tcp_flag::fin | tcp_flag::ack | (payload_bytes != 0 ? tcp_flag::psh : 0));
        if (op == tcp_op::fin_crossing && peer.fin_sent) {
            tcp.ack = peer.snd_nxt - 1;
        }
        payload = payload_bytes;
        self.snd_nxt += payload + 1;
        self.fin_sent = true;
        break;
    case tcp_op::fin_ack_short:
        tcp.flags = tcp_flag::fin | tcp_flag::ack;
        tcp.ack = peer.snd_nxt - payload_bytes;
        self.snd_nxt += 1;
        self.fin_sent = true;
        break;
    case tcp_op::rst:
        tcp.flags = tcp_flag::rst | tcp_flag::ack;
        tcp.options = tcp_options::none;
        break;
    case tcp_op::rst_bare:
        tcp.flags = tcp_flag::rst;
        tcp.options = tcp_options::none;
        tcp.ack = 0;
        tcp.window = 0;
        break;
    case tcp_op::rst_refuse:
        tcp.flags = tcp_flag::rst | tcp_flag::ack;
        tcp.options = tcp_options::none;
        tcp.seq = 0;
        tcp.window = 0;
        break;
    }
    if (tcp.options != tcp_options::none) {
        self.last_tsval = tcp.tsval;
    }

    ip_fields ip;
    ip.src = self.ip;
    ip.dst = peer.ip;
    ip.ttl = self.ttl;
    ip.ipv4_id = self.ipv4_id++;
    ip.ipv6_flow_label = self.flow_label;

    link_header_spec link;
    link.src_mac = self.mac;
    link.dst_mac = peer.mac;
    link.outbound = from == direction::c2s;
    link.tags = session.vlans.span();

    segment_facts facts;
    facts.flags = tcp.flags;
    facts.seq = tcp.seq;
    facts.ack = tcp.ack;

    if (!is_fragmented(op)) {
        const std::uint32_t min_wire_bytes = (flood && traffic.link == link_type::ether) ? ethernet_min_frame_bytes : 0;
        const built_frame frame = traffic.builder.tcp_frame(link, ip, tcp, payload, min_wire_bytes);
        facts.payload_bytes = frame.tcp_payload_bytes;
        traffic.sink.emit_tcp(session, from, frame, facts);
        return;
    }
    const std::uint32_t wanted = op == tcp_op::data_atomic_fragment ? 1U : fragments;
    const staged_segment staged = traffic.builder.stage_tcp(ip, tcp, payload, wanted);
    const std::uint32_t fragment_id = self.ip.is_v6 ? self.fragment_id++ : ip.ipv4_id;
    for (std::uint32_t sent = 0; sent < staged.fragment_count; ++sent) {
        const std::uint32_t index =
            op == tcp_op::data_fragmented_reversed ? staged.fragment_count - 1 - sent : sent;
        const built_frame frame = traffic.builder.fragment_frame(link, ip, staged, index, fragment_id);
        if (index == 0) {
            facts.payload_bytes = frame.tcp_payload_bytes;
            traffic.sink.emit_tcp(session, from, frame, facts);
        } else {
            traffic.sink.emit_untracked_fragment(frame);
        }
    }
}

}  // namespace pcapgen
