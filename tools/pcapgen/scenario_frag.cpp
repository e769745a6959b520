// Owns: the `frag` scenario: IPv4/IPv6 TCP fragments (in order, reversed, atomic), IPv4 UDP fragments.
// Does not own: fragment slicing (frame_builder) or scheduling (interleaver).
//
// IPv6 fragments use a Fragment extension header; atomic fragments have offset 0 and M=0. The
// same connections also send unfragmented segments.
//
// Only a first fragment carries the TCP header, so only it counts for its connection (payload =
// its IP payload minus the TCP header); later fragments are "untracked_fragments". A UDP first
// fragment is well-formed non-TCP traffic and counts nowhere.
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace pcapgen {
namespace {

constexpr std::uint32_t udp_datagrams = 6;
constexpr std::uint32_t steps_per_udp_datagram = 7;
constexpr std::uint32_t udp_fragments = 3;

void emit_udp_datagram(scenario_context& context, std::uint32_t index, rng& random) {
    // A large DNS answer from a resolver: 192.0.2.53:53 -> client, cut into three fragments.
    ip_fields ip;
    ip.src = ip_address::v4(192, 0, 2, 53);
    ip.dst = client_host(false, 60 + index);
    ip.ttl = 57;
    ip.ipv4_id = static_cast<std::uint16_t>(random.next32());
    link_header_spec link;
    link.src_mac = mac_for(ip.src, 1);
    link.dst_mac = mac_for(ip.dst, 0);
    const auto client_port = static_cast<std::uint16_t>(33000 + index * 11);
    frame_builder& builder = context.traffic.builder;
    const staged_segment staged = builder.stage_udp(ip, 53, client_port, random.between(2500, 4000), udp_fragments);
    for (std::uint32_t fragment = 0; fragment < staged.fragment_count; ++fragment) {
        const built_frame frame = builder.fragment_frame(link, ip, staged, fragment, ip.ipv4_id);
        if (fragment == 0) {
            context.traffic.sink.emit_other(frame);
        } else {
            context.traffic.sink.emit_untracked_fragment(frame);
        }
    }
}

}  // namespace

void run_frag(scenario_context& context) {
    rng random = context.random.fork(7);
    std::vector<tcp_session> sessions;
    script_book book;
    const auto add = [&](bool ipv6, std::uint32_t index) -> tcp_session& {
        const client_endpoint client = unique_client_endpoint(400 + index);
        sessions.push_back(make_session(client_host(ipv6, client.host_index + 40), client.port,
                                        server_host(ipv6, index + 8), server_port(index), random));
        return sessions.back();
    };
    // Fragment sizes stay under a 1500-byte MTU: (TCP header 32 + payload) / count <= 1448.
    {
        tcp_session& session = add(false, 0);  // IPv4 download, fragments in and out of order
        book.open(session);
        book.handshake();
        book.transfer(direction::c2s, 300, mss_payload_bytes(false));
        book.add(tcp_op::data_fragmented, direction::s2c, 2400, 2);
        book.add(tcp_op::data_fragmented, direction::s2c, 4000, 3);
        book.add(tcp_op::ack, direction::c2s);
        book.add(tcp_op::data_fragmented_reversed, direction::s2c, 2600, 2);
        book.add(tcp_op::ack, direction::c2s);
        book.add(tcp_op::data, direction::s2c, 1000);
        book.add(tcp_op::ack, direction::c2s);
        book.close_three_way(direction::c2s);
        book.close(session);
    }
    {
        tcp_session& session = add(false, 1);  // IPv4 upload, left open
        book.open(session);
        book.handshake();
        book.add(tcp_op::data_fragmented, direction::c2s, 1800, 2);
        book.add(tcp_op::ack, direction::s2c);
        book.add(tcp_op::data_fragmented, direction::c2s, 5000, 4);
        book.add(tcp_op::ack, direction::s2c);
        book.exchange(random, 1, 3000, mss_payload_bytes(false));
        book.close(session);
    }
    {
        tcp_session& session = add(true, 2);  // IPv6 download with an atomic fragment
        book.open(session);
        book.handshake();
        book.transfer(direction::c2s, 200, mss_payload_bytes(true));
        book.add(tcp_op::data_fragmented, direction::s2c, 2600, 2);
        book.add(tcp_op::data_fragmented, direction::s2c, 3900, 3);
        book.add(tcp_op::ack, direction::c2s);
        book.add(tcp_op::data_atomic_fragment, direction::s2c, 1000);
        book.add(tcp_op::ack, direction::c2s);
        book.close_four_way(direction::s2c);
        book.close(session);
    }
    {
        tcp_session& session = add(true, 3);  // IPv6, reversed fragments, then reset
        book.open(session);
        book.handshake();
        book.add(tcp_op::data_atomic_fragment, direction::c2s, 500);
        book.add(tcp_op::ack, direction::s2c);
        book.add(tcp_op::data_fragmented_reversed, direction::s2c, 4000, 3);
        book.add(tcp_op::ack, direction::c2s);
        book.add(tcp_op::data, direction::s2c, 700);
        book.add(tcp_op::rst, direction::c2s);
        book.close(session);
    }
    interleaver runner(sessions, book, static_cast<std::uint32_t>(sessions.size()), context.random.fork(8));
    std::uint32_t steps = 0;
    std::uint32_t udp_sent = 0;
    while (runner.step(context.traffic)) {
        if (++steps % steps_per_udp_datagram == 0 && udp_sent < udp_datagrams) {
            emit_udp_datagram(context, udp_sent++, random);
        }
    }
    while (udp_sent < udp_datagrams) {
        emit_udp_datagram(context, udp_sent++, random);
    }
}

}  // namespace pcapgen
