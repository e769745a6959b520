// Owns: the `malformed` scenario: N undecodable frames between the frames of six valid connections.
// Does not own: the malformed frame layouts (malformed_frames).
//
// Every malformed_kind the link type can express is used in turn; the valid connections end in
// different states and are listed in --expect.
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "malformed_frames.hpp"
#include "scenarios.hpp"

namespace pcapgen {
namespace {

constexpr std::uint32_t valid_connections = 6;

void write_script(script_book& book, std::uint32_t index, std::uint32_t mss, rng& random) {
    switch (index) {
    case 0:
        book.handshake();
        book.exchange(random, 2, 6000, mss);
        book.close_four_way(direction::c2s);
        break;
    case 1:
        book.handshake();
        book.exchange(random, 1, 6000, mss);
        book.add(tcp_op::rst, direction::s2c);
        break;
    case 2:
        book.handshake();
        book.exchange(random, 2, 6000, mss);
        break;
    case 3:
        book.handshake();
        book.exchange(random, 1, 6000, mss);
        book.close_three_way(direction::s2c);
        break;
    case 4:
        book.add(tcp_op::syn, direction::c2s);
        book.add(tcp_op::syn_ack, direction::s2c);
        break;
    default:
        book.handshake();
        book.exchange(random, 1, 6000, mss);
        book.add(tcp_op::fin, direction::c2s);
        book.add(tcp_op::ack, direction::s2c);
        break;
    }
}

}  // namespace

void run_malformed(scenario_context& context) {
    const std::uint64_t malformed_count = context.options.count.value_or(10000);
    rng random = context.random.fork(20);
    std::vector<tcp_session> sessions;
    script_book book;
    for (std::uint32_t index = 0; index < valid_connections; ++index) {
        const bool ipv6 = index % 2 == 1;
        const client_endpoint client = unique_client_endpoint(700 + index);
        sessions.push_back(make_session(client_host(ipv6, client.host_index + 70), client.port,
                                        server_host(ipv6, index + 20), server_port(index), random));
        book.open(sessions.back());
        write_script(book, index, mss_payload_bytes(ipv6), random);
        book.close(sessions.back());
    }
    const std::vector<malformed_kind> kinds = malformed_kinds_for(context.options.link);
    malformed_builder builder(link_writer(context.options.link, context.options.big_endian), context.random.fork(21));
    interleaver runner(sessions, book, valid_connections, context.random.fork(22));

    const std::uint64_t valid_steps = book.size();
    std::uint64_t steps = 0;
    std::uint64_t sent = 0;
    const auto send_until = [&](std::uint64_t target) {
        for (; sent < target; ++sent) {
            context.traffic.sink.emit_undecodable(builder.build(kinds[sent % kinds.size()]));
        }
    };
    while (runner.step(context.traffic)) {
        ++steps;
        send_until(malformed_count * steps / valid_steps);
    }
    send_until(malformed_count);
}

}  // namespace pcapgen
