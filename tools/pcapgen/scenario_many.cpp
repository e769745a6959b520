// Owns: the `many` scenario: N short request/response connections overlapping in time, all closed.
// Does not own: TCP mechanics (session_traffic) or scheduling (interleaver).
//
// Closes are client- or server-initiated, 3- or 4-way; every connection ends CLOSED.
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace pcapgen {
namespace {

// Up to 256 connections open at once: enough overlap that a flow table sees thousands of
// insertions and removals interleaved, small enough that each connection finishes quickly.
constexpr std::uint32_t max_active_sessions = 256;
constexpr std::uint32_t server_count = 50;

}  // namespace

void run_many(scenario_context& context) {
    const auto conns = static_cast<std::uint32_t>(context.options.conns.value_or(5000));
    const bool ipv6 = context.options.ipv6;
    const std::uint32_t mss = mss_payload_bytes(ipv6);
    rng random = context.random.fork(13);
    std::vector<tcp_session> sessions;
    sessions.reserve(conns);
    script_book book;
    for (std::uint32_t index = 0; index < conns; ++index) {
        const client_endpoint client = unique_client_endpoint(index);
        const std::uint32_t server = random.below(server_count);
        sessions.push_back(make_session(client_host(ipv6, client.host_index), client.port, server_host(ipv6, server),
                                        server_port(server), random));
        tcp_session& session = sessions.back();
        book.open(session);
        book.handshake();
        book.transfer(direction::c2s, random.between(80, 700), mss);
        book.transfer(direction::s2c, random.between(200, 6000), mss);
        switch (random.below(3)) {
        case 0:
            book.close_three_way(direction::c2s);
            break;
        case 1:
            book.close_four_way(direction::s2c);
            break;
        default:
            book.close_four_way(direction::c2s);
            break;
        }
        book.close(session);
    }
    interleaver runner(sessions, book, max_active_sessions, context.random.fork(14));
    runner.run(context.traffic);
}

}  // namespace pcapgen
