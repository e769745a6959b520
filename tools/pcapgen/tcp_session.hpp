// Owns: one generated connection: identity, VLANs, tunnels, per-side counters, expectation ledger, script cursor.
// Does not own: turning operations into frames (session_traffic) or scheduling (interleaver).
#pragma once

#include <array>
#include <cstdint>

#include "connection_ledger.hpp"
#include "frames/ip_address.hpp"
#include "frames/link_layer.hpp"
#include "rng.hpp"
#include "tunnel_path.hpp"

namespace ringtrack::pcapgen {

struct TcpEndpoint {
  frames::IpAddress ip;
  frames::MacAddress mac;
  uint16_t port = 0;
  uint32_t isn = 0;
  uint32_t snd_nxt = 0;      // next sequence number this side sends
  uint16_t ipv4_id = 0;      // incremented per frame sent
  uint32_t fragment_id = 0;  // IPv6 Fragment header identification
  uint32_t flow_label = 0;
  uint8_t ttl = 64;
  uint16_t window = 502;    // after the handshake, in units of 2^window_scale
  uint32_t ts_base = 0;     // TCP timestamp clock offset
  uint32_t last_tsval = 0;  // echoed by the peer
  bool fin_sent = false;
};

/// An IPv4 loose (option 131) or strict (137) source route through one router each way.
/// In progress: the header names the router and the route's one entry, still ahead
/// (pointer 4), is the peer, as captured between a sender and its first hop. Done: the
/// header names the peer and the entry is the router's recorded address (pointer past the
/// end), as captured after the last hop.
struct SourceRoute {
  uint8_t option_type = 0;     // 0: none
  bool done = false;
  frames::IpAddress hop[2];    // the router each direction's frames pass: [c2s], [s2c]
};

/// flood_syn: a spoofed SYN as flooders send it: no options, Ethernet-padded to 60 bytes.
enum class SessionStyle : uint8_t { normal, flood_syn };

struct TcpSession {
  TcpEndpoint client;  // SYN sender; for mid-stream sessions always the higher port
  TcpEndpoint server;
  frames::VlanStack vlans;    // on the outermost link header when tunnelled
  TunnelPath tunnels;         // depth 0: not tunnelled
  SourceRoute source_route;  // IPv4 sessions only
  SessionStyle style = SessionStyle::normal;
  /// Per direction (index_of): the pcapng interface its frames are captured on; a
  /// connection routed asymmetrically is seen on one interface each way.
  std::array<uint8_t, 2> capture_interface{};
  ConnectionLedger ledger;

  uint32_t script_begin = 0;  // [begin, end) in the scenario's script_book
  uint32_t script_end = 0;
  uint32_t script_cursor = 0;
  int32_t start_after = -1;  // session index that must finish before this one starts
  bool finished = false;     // expectation line written (or dropped)

  TcpEndpoint& sender(Direction d) noexcept { return d == Direction::c2s ? client : server; }
  TcpEndpoint& receiver(Direction d) noexcept { return d == Direction::c2s ? server : client; }
};

/// A session with random ISNs, IP IDs, timestamp clocks and flow labels drawn from random.
TcpSession make_session(const frames::IpAddress& client_ip, uint16_t client_port, const frames::IpAddress& server_ip,
                        uint16_t server_port, Rng& random) noexcept;

}  // namespace ringtrack::pcapgen
