// Owns: one generated connection: identity, VLANs, per-side counters, expectation ledger, script cursor.
// Does not own: turning operations into frames (session_traffic) or scheduling (interleaver).
#pragma once

#include <cstdint>

#include "connection_ledger.hpp"
#include "ip_address.hpp"
#include "link_layer.hpp"
#include "rng.hpp"

namespace pcapgen {

struct tcp_endpoint {
    ip_address ip;
    mac_address mac;
    std::uint16_t port = 0;
    std::uint32_t isn = 0;
    std::uint32_t snd_nxt = 0;      // next sequence number this side sends
    std::uint16_t ipv4_id = 0;      // incremented per frame sent
    std::uint32_t fragment_id = 0;  // IPv6 Fragment header identification
    std::uint32_t flow_label = 0;
    std::uint8_t ttl = 64;
    std::uint16_t window = 502;     // after the handshake, in units of 2^window_scale
    std::uint32_t ts_base = 0;      // TCP timestamp clock offset
    std::uint32_t last_tsval = 0;   // echoed by the peer
    bool fin_sent = false;
};

/// flood_syn: a spoofed SYN as flooders send it: no options, Ethernet-padded to 60 bytes.
enum class session_style : std::uint8_t { normal, flood_syn };

struct tcp_session {
    tcp_endpoint client;  // SYN sender; for mid-stream sessions always the higher port
    tcp_endpoint server;
    vlan_stack vlans;
    session_style style = session_style::normal;
    connection_ledger ledger;

    std::uint32_t script_begin = 0;   // [begin, end) in the scenario's script_book
    std::uint32_t script_end = 0;
    std::uint32_t script_cursor = 0;
    std::int32_t start_after = -1;    // session index that must finish before this one starts
    bool finished = false;            // expectation line written (or dropped)

    tcp_endpoint& sender(direction d) noexcept { return d == direction::c2s ? client : server; }
    tcp_endpoint& receiver(direction d) noexcept { return d == direction::c2s ? server : client; }
};

/// A session with random ISNs, IP IDs, timestamp clocks and flow labels drawn from random.
tcp_session make_session(const ip_address& client_ip, std::uint16_t client_port, const ip_address& server_ip,
                         std::uint16_t server_port, rng& random) noexcept;

}  // namespace pcapgen
