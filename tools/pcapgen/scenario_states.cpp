// Owns: the `states` scenario: one connection per tcptrack state transition case.
// Does not own: the state machine (connection_ledger) or scheduling (interleaver).
//
// Includes the same-host connection whose FIN is acked while the other side keeps sending
// (CLOSING, not CLOSED: tcptrack gets this wrong because it tells directions apart by address only).
#include <array>
#include <string_view>
#include <vector>

#include "address_plan.hpp"
#include "interleaver.hpp"
#include "scenarios.hpp"

namespace pcapgen {
namespace {

enum class state_case : std::uint8_t {
    rst_in_syn_sent,          // SYN, RST|ACK                                   -> RESET
    rst_in_synack_ack,        // SYN, SYN|ACK, RST (no ACK flag)                -> RESET
    rst_in_established,       // handshake, data, RST|ACK                       -> RESET
    rst_in_closing,           // ..., FIN, ACK, RST                             -> RESET
    both_fins_acked,          // 4-way close                                    -> CLOSED
    server_closes_first,      // 3-way close started by the server              -> CLOSED
    simultaneous_close,       // FINs cross, both ACKed                         -> CLOSED
    same_host_then_closed,    // FIN acked, peer keeps sending, then closes     -> CLOSED
    same_host_half_closed,    // FIN acked, peer keeps sending                  -> CLOSING
    fin_with_data,            // FIN carries 120 bytes, acked at seq+120+1      -> CLOSED
    fin_data_acked_short,     // that FIN only ever acked at seq+1 (payload     -> CLOSING
                              // ignored); the server's own FIN is acked right
    syn_only,                 //                                                -> SYN_SENT
    handshake_only,           // SYN, SYN|ACK                                   -> SYN|ACK-ACK
    established,              // handshake and data                             -> ESTABLISHED
};

constexpr std::uint32_t case_count = 14;
constexpr std::uint32_t fin_payload_bytes = 120;

void write_script(script_book& book, state_case which, std::uint32_t mss, rng& random) {
    const auto open = [&] {
        book.handshake();
        book.exchange(random, 1, 4000, mss);
    };
    switch (which) {
    case state_case::rst_in_syn_sent:
        book.add(tcp_op::syn, direction::c2s);
        book.add(tcp_op::rst_refuse, direction::s2c);
        break;
    case state_case::rst_in_synack_ack:
        book.add(tcp_op::syn, direction::c2s);
        book.add(tcp_op::syn_ack, direction::s2c);
        book.add(tcp_op::rst_bare, direction::c2s);
        break;
    case state_case::rst_in_established:
        open();
        book.add(tcp_op::rst, direction::c2s);
        break;
    case state_case::rst_in_closing:
        open();
        book.add(tcp_op::fin, direction::c2s);
        book.add(tcp_op::ack, direction::s2c);
        book.add(tcp_op::rst, direction::s2c);
        break;
    case state_case::both_fins_acked:
        open();
        book.close_four_way(direction::c2s);
        break;
    case state_case::server_closes_first:
        open();
        book.close_three_way(direction::s2c);
        break;
    case state_case::simultaneous_close:
        open();
        book.close_simultaneous();
        break;
    case state_case::same_host_then_closed:
    case state_case::same_host_half_closed:
        open();
        book.add(tcp_op::fin, direction::c2s);
        book.add(tcp_op::ack, direction::s2c);
        book.transfer(direction::s2c, 6000, mss);  // still CLOSING: only one FIN is acked
        if (which == state_case::same_host_then_closed) {
            book.add(tcp_op::fin, direction::s2c);
            book.add(tcp_op::ack, direction::c2s);
        }
        break;
    case state_case::fin_with_data:
        open();
        book.close_four_way(direction::c2s, fin_payload_bytes);
        break;
    case state_case::fin_data_acked_short:
        open();
        book.add(tcp_op::fin, direction::c2s, fin_payload_bytes);
        book.add(tcp_op::ack_short, direction::s2c, fin_payload_bytes);
        book.add(tcp_op::fin_ack_short, direction::s2c, fin_payload_bytes);
        book.add(tcp_op::ack, direction::c2s);
        break;
    case state_case::syn_only:
        book.add(tcp_op::syn, direction::c2s);
        break;
    case state_case::handshake_only:
        book.add(tcp_op::syn, direction::c2s);
        book.add(tcp_op::syn_ack, direction::s2c);
        break;
    case state_case::established:
        book.handshake();
        book.exchange(random, 2, 4000, mss);
        break;
    }
}

}  // namespace

void run_states(scenario_context& context) {
    const bool ipv6 = context.options.ipv6;
    rng random = context.random.fork(11);
    std::vector<tcp_session> sessions;
    sessions.reserve(case_count);
    script_book book;
    const ip_address same_host = client_host(ipv6, 77);
    for (std::uint32_t index = 0; index < case_count; ++index) {
        const auto which = static_cast<state_case>(index);
        if (which == state_case::same_host_then_closed || which == state_case::same_host_half_closed) {
            // Client and server share one address; only the ports tell the directions apart.
            sessions.push_back(make_session(same_host, static_cast<std::uint16_t>(45000 + index), same_host, 22, random));
        } else {
            const client_endpoint client = unique_client_endpoint(600 + index);
            sessions.push_back(make_session(client_host(ipv6, client.host_index + 60), client.port,
                                            server_host(ipv6, index + 12), server_port(index), random));
        }
        book.open(sessions.back());
        write_script(book, which, mss_payload_bytes(ipv6), random);
        book.close(sessions.back());
    }
    interleaver runner(sessions, book, 3, context.random.fork(12));
    runner.run(context.traffic);
}

}  // namespace pcapgen
