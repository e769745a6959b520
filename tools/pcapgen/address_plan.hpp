// Owns: which addresses and ports scenarios draw from (documentation/private ranges only).
// Does not own: which connection uses which address (each scenario decides).
//
// Ranges: 10.0.0.0/8, 192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32; client ports 32768..65535,
// servers on low ports.
#pragma once

#include <cstdint>

#include "frames/ip_address.hpp"

namespace ringtrack::pcapgen {

/// Client host number host_index: 10.A.B.C (C in 1..250) or 2001:db8:c::<host_index+1>.
frames::IpAddress client_host(bool ipv6, uint32_t host_index) noexcept;

/// Server number server_index: alternately 192.0.2.x and 198.51.100.x; for IPv6 it cycles
/// through the RFC 5952 shapes an engine must print right: 2001:db8::x, 2001:db8:0:1::x,
/// 2001:db8:1::1:0:x (zero run after a non-zero group) and 2001:db8::1:0:0:x (tie: first run).
frames::IpAddress server_host(bool ipv6, uint32_t server_index) noexcept;

/// A well-known server port: 80, 443, 22, 25, 993 in turn.
uint16_t server_port(uint32_t index) noexcept;

struct ClientEndpoint {
  uint32_t host_index = 0;
  uint16_t port = 0;
};

/// Distinct (host, port) for every connection index below 200 * 64000 (12.8 million): 200
/// connections per client host, ports 32768..62767 spread so neighbours don't share a port.
ClientEndpoint unique_client_endpoint(uint32_t connection_index) noexcept;

}  // namespace ringtrack::pcapgen
