// Owns: the `qinq` scenario: 802.1ad + 802.1Q stacks, legacy 0x9100 and double 0x8100 outer tags.
// Does not own: tag encoding (link_layer) or scheduling (interleaver).
//
// Several (outer, inner) pairs; one IPv4 and one IPv6 4-tuple reused across different stacks
// (also untagged and S-tag only); other stacked IPv4/IPv6 connections.
#include <array>
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace pcapgen {
namespace {

enum class qinq_ending : std::uint8_t { closed, reset, established, closing };

struct stack_plan {
    std::uint16_t outer_tpid;  // 0: untagged
    std::uint16_t outer_vid;
    std::uint16_t inner_vid;   // 0: single tag
    std::uint8_t pcp;
    qinq_ending ending;
};

void write_script(script_book& book, qinq_ending ending, bool ipv6, rng& random) {
    const std::uint32_t mss = mss_payload_bytes(ipv6);
    book.handshake();
    book.exchange(random, random.between(1, 3), 9000, mss);
    switch (ending) {
    case qinq_ending::closed:
        book.close_three_way(random.one_in(2) ? direction::c2s : direction::s2c);
        break;
    case qinq_ending::reset:
        book.add(tcp_op::rst, direction::s2c);
        break;
    case qinq_ending::established:
        break;
    case qinq_ending::closing:
        book.add(tcp_op::fin, direction::s2c);
        book.add(tcp_op::ack, direction::c2s);
        book.transfer(direction::c2s, random.between(300, 3000), mss);
        break;
    }
}

void add_session(std::vector<tcp_session>& sessions, script_book& book, const stack_plan& plan,
                 const ip_address& client_ip, std::uint16_t client_port, const ip_address& server_ip,
                 std::uint16_t port, rng& random) {
    sessions.push_back(make_session(client_ip, client_port, server_ip, port, random));
    tcp_session& session = sessions.back();
    if (plan.outer_tpid != 0) {
        session.vlans.push(plan.outer_tpid, plan.outer_vid, plan.pcp);
        if (plan.inner_vid != 0) {
            session.vlans.push(tpid_8021q, plan.inner_vid);
        }
    }
    book.open(session);
    write_script(book, plan.ending, client_ip.is_v6, random);
    book.close(session);
}

}  // namespace

void run_qinq(scenario_context& context) {
    rng random = context.random.fork(5);
    std::vector<tcp_session> sessions;
    script_book book;

    // One IPv4 4-tuple in seven stacks; every VID list differs, so all are distinct connections.
    constexpr std::array<stack_plan, 7> shared_v4{{
        {tpid_8021ad, 10, 100, 0, qinq_ending::closed},
        {tpid_8021ad, 10, 200, 0, qinq_ending::reset},
        {tpid_8021ad, 20, 100, 5, qinq_ending::established},
        {tpid_legacy_qinq, 30, 100, 0, qinq_ending::closed},
        {tpid_8021q, 40, 100, 0, qinq_ending::closing},
        {tpid_8021ad, 10, 0, 0, qinq_ending::closed},
        {0, 0, 0, 0, qinq_ending::closed},
    }};
    for (const stack_plan& plan : shared_v4) {
        add_session(sessions, book, plan, client_host(false, 9), 40002, server_host(false, 4), 443, random);
    }
    // One IPv6 4-tuple in three stacks.
    constexpr std::array<stack_plan, 3> shared_v6{{
        {tpid_8021ad, 50, 500, 0, qinq_ending::closed},
        {tpid_8021ad, 50, 501, 0, qinq_ending::established},
        {tpid_legacy_qinq, 60, 500, 2, qinq_ending::reset},
    }};
    for (const stack_plan& plan : shared_v6) {
        add_session(sessions, book, plan, client_host(true, 9), 40003, server_host(true, 2), 443, random);
    }
    // Other stacked connections, one 4-tuple each.
    constexpr std::array<stack_plan, 6> others{{
        {tpid_8021ad, 4094, 4094, 0, qinq_ending::closed},
        {tpid_8021ad, 1, 1, 0, qinq_ending::established},
        {tpid_8021ad, 300, 3000, 6, qinq_ending::closed},
        {tpid_legacy_qinq, 70, 700, 0, qinq_ending::closed},
        {tpid_8021ad, 80, 800, 0, qinq_ending::reset},
        {tpid_8021q, 90, 900, 0, qinq_ending::closed},
    }};
    for (std::uint32_t index = 0; index < others.size(); ++index) {
        const bool ipv6 = index % 2 == 1;
        const client_endpoint client = unique_client_endpoint(300 + index);
        add_session(sessions, book, others[index], client_host(ipv6, client.host_index + 30), client.port,
                    server_host(ipv6, index + 5), server_port(index), random);
    }
    interleaver runner(sessions, book, static_cast<std::uint32_t>(sessions.size()), context.random.fork(6));
    runner.run(context.traffic);
}

}  // namespace pcapgen
