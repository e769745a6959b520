// Owns: how numbers, times and endpoints read on screen and in text output (tcptrack's
// formats, extended): speeds, idle, addresses, timestamps, VLAN stacks. In frontend/, not
// a room, because both rooms read it: the screen's rows and the batch writers' fields.
// Does not own: layout of rows (batch/text_writer, screen/ panels).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "flow/conn_view.hpp"

namespace ringtrack::frontend {

/// tcptrack's idle: "Ns" under a minute, "Nm" under an hour, then "Nh" (tcptrack 1.4.3
/// shows 61m; hours read better on a gateway that keeps idle sessions).
std::string format_idle(uint64_t idle_ns);

/// Decimal digits of v appended to out.
void append_decimal(std::string& out, uint64_t v);

/// "10.0.0.1:80" or "[2001:db8::1]:80".
std::string format_endpoint(const std::array<uint8_t, 16>& addr, uint16_t port, bool ipv6);

/// The same texts written at `at`, returning the end, for batch output that writes a row
/// per connection without building strings. Room needed: write_endpoint 56 characters
/// ("[" + 45 + "]:65535"), write_speed 32, write_idle 24, write_vlan 40, write_tunnel_id 8,
/// write_tunnel 160 (addresses: flow::write_address, dotted IPv4 or RFC 5952 IPv6).
/// write_speed is tcptrack's speed: integer, 1024-based, truncated: "512 B/s", "3 KB/s",
/// "12 MB/s"; beyond what tcptrack shows, "2 GB/s".
char* write_speed(char* at, uint64_t bytes_per_s) noexcept;
char* write_idle(char* at, uint64_t idle_ns) noexcept;
char* write_endpoint(char* at, const std::array<uint8_t, 16>& addr, uint16_t port, bool ipv6) noexcept;
char* write_vlan(char* at, const flow::ConnView& view) noexcept;
/// A tunnel id as eight lowercase hex digits: "8c61be36".
char* write_tunnel_id(char* at, uint32_t id) noexcept;
/// A tunnelled connection's tunnel: kind#id, then where known the outer endpoints and the
/// key ("vxlan#8c61be36 172.16.0.1-172.16.0.2 vni 100", "gtpu#58769ad8 10.0.0.1-10.0.0.2
/// teid 0x1,0x2"); nothing when untunnelled. Room: 160.
char* write_tunnel(char* at, const flow::ConnView& view) noexcept;
/// The name of what a tunnel's key is: "key", "vni", "session", "teid"; null for none.
const char* tunnel_key_name(decode::TunnelKeyKind k) noexcept;

/// A round-trip time in milliseconds, two significant digits below 10 ms (truncated),
/// whole milliseconds above: "0.052", "1.2", "37", "1250"; "-" for 0 (no sample). Room: 16.
char* write_rtt_ms(char* at, uint32_t rtt_us) noexcept;
std::string format_rtt_ms(uint32_t rtt_us);

/// A count in six characters at most: exact below a million, then three significant
/// digits, 1000-based and truncated: "999999", "1.23M", "4.29G".
std::string format_count(uint64_t count);

/// Unix nanoseconds as seconds with nine decimals: "1700000000.000000001".
void append_unix_seconds(std::string& out, uint64_t ts_ns);

/// Unix nanoseconds as UTC "2023-11-14 22:13:20.123".
std::string format_utc(uint64_t ts_ns);

/// The screen's speed, with three significant digits as iftop shows them (truncated, not
/// rounded): 1024-based bytes, "812 B/s", "31.2 KB/s", "2.38 MB/s"; or, with bits,
/// 1000-based bits, "256 kbit/s", "19.0 Mbit/s". Batch output keeps tcptrack's (write_speed).
std::string format_rate(uint64_t bytes_per_s, bool bits);

/// Byte counts for humans, 1024-based with three significant digits (truncated): "812 B",
/// "1.50 KB", "29.4 KB", "3.20 GB".
std::string format_bytes(uint64_t bytes);

}  // namespace ringtrack::frontend
