// Owns: the `vlan` scenario: one 4-tuple untagged, in VLAN 100 and in VLAN 200, plus other tagged flows.
// Does not own: tag encoding (link_layer) or scheduling (interleaver).
//
// Per family the shared 4-tuple is three distinct, concurrent connections ending in different
// states; the other tagged connections set PCP bits on some and use VIDs 1 and 4094.
#include <array>
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace pcapgen {
namespace {

enum class vlan_ending : std::uint8_t { closed, reset, established };

void write_script(script_book& book, vlan_ending ending, bool ipv6, rng& random) {
    const std::uint32_t mss = mss_payload_bytes(ipv6);
    book.handshake();
    book.exchange(random, random.between(1, 3), 9000, mss);
    switch (ending) {
    case vlan_ending::closed:
        book.close_four_way(random.one_in(2) ? direction::c2s : direction::s2c);
        break;
    case vlan_ending::reset:
        book.add(tcp_op::data, direction::s2c, mss);
        book.add(tcp_op::rst, direction::c2s);
        break;
    case vlan_ending::established:
        break;
    }
}

struct other_tag {
    std::uint16_t vid;
    std::uint8_t pcp;
    vlan_ending ending;
};

}  // namespace

void run_vlan(scenario_context& context) {
    rng random = context.random.fork(3);
    std::vector<tcp_session> sessions;
    script_book book;

    // The shared 4-tuples: an engine keying flows without the VLAN merges these three.
    for (const bool ipv6 : {false, true}) {
        const ip_address client_ip = client_host(ipv6, 7);
        const ip_address server_ip = server_host(ipv6, 0);
        constexpr std::array<vlan_ending, 3> endings{vlan_ending::closed, vlan_ending::reset, vlan_ending::established};
        constexpr std::array<std::uint16_t, 3> vids{0, 100, 200};
        for (std::size_t variant = 0; variant < vids.size(); ++variant) {
            sessions.push_back(make_session(client_ip, 40001, server_ip, 80, random));
            if (vids[variant] != 0) {
                sessions.back().vlans.push(tpid_8021q, vids[variant]);
            }
            book.open(sessions.back());
            write_script(book, endings[variant], ipv6, random);
            book.close(sessions.back());
        }
    }

    constexpr std::array<other_tag, 8> others{{
        {10, 5, vlan_ending::closed},
        {20, 0, vlan_ending::closed},
        {4094, 0, vlan_ending::established},
        {1, 0, vlan_ending::closed},
        {100, 3, vlan_ending::closed},  // same VID as above, different 4-tuple
        {200, 0, vlan_ending::reset},
        {300, 7, vlan_ending::closed},
        {4000, 0, vlan_ending::established},
    }};
    for (std::uint32_t index = 0; index < others.size(); ++index) {
        const bool ipv6 = index % 2 == 1;
        const client_endpoint client = unique_client_endpoint(100 + index);
        sessions.push_back(make_session(client_host(ipv6, client.host_index + 20), client.port,
                                        server_host(ipv6, index + 1), server_port(index), random));
        sessions.back().vlans.push(tpid_8021q, others[index].vid, others[index].pcp);
        book.open(sessions.back());
        write_script(book, others[index].ending, ipv6, random);
        book.close(sessions.back());
    }
    interleaver runner(sessions, book, static_cast<std::uint32_t>(sessions.size()), context.random.fork(4));
    runner.run(context.traffic);
}

}  // namespace pcapgen
