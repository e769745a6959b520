// Owns: the arithmetic that maps indexes to documentation/private addresses and ports.
// Does not own: sessions or packets.
#include "address_plan.hpp"

#include <array>

namespace ringtrack::pcapgen {

frames::IpAddress client_host(bool ipv6, uint32_t host_index) noexcept {
  if (ipv6) {
    const uint32_t value = host_index + 1;
    return frames::IpAddress::v6(
        {0x2001, 0x0db8, 0x000c, 0, 0, 0, static_cast<uint16_t>(value >> 16), static_cast<uint16_t>(value)});
  }
  // 250 hosts per /24, 256 /24s per /16 starting at 10.1.0.0.
  const uint32_t hosts_per_16 = 250U * 256U;
  return frames::IpAddress::v4(10, static_cast<uint8_t>(1 + (host_index / hosts_per_16) % 254),
                               static_cast<uint8_t>((host_index / 250) % 256),
                               static_cast<uint8_t>(1 + host_index % 250));
}

frames::IpAddress server_host(bool ipv6, uint32_t server_index) noexcept {
  if (ipv6) {
    const auto low = static_cast<uint16_t>(1 + (server_index / 4) % 0xFFFE);
    switch (server_index % 4) {
      case 0: return frames::IpAddress::v6({0x2001, 0x0db8, 0, 0, 0, 0, 0, low});
      case 1: return frames::IpAddress::v6({0x2001, 0x0db8, 0, 1, 0, 0, 0, low});
      case 2: return frames::IpAddress::v6({0x2001, 0x0db8, 1, 0, 0, 1, 0, low});
      default: return frames::IpAddress::v6({0x2001, 0x0db8, 0, 0, 1, 0, 0, low});
    }
  }
  const auto host = static_cast<uint8_t>(1 + (server_index / 2) % 254);
  return (server_index % 2 == 0) ? frames::IpAddress::v4(192, 0, 2, host) : frames::IpAddress::v4(198, 51, 100, host);
}

uint16_t server_port(uint32_t index) noexcept {
  constexpr std::array<uint16_t, 5> ports{80, 443, 22, 25, 993};
  return ports[index % ports.size()];
}

ClientEndpoint unique_client_endpoint(uint32_t connection_index) noexcept {
  constexpr uint32_t per_host = 200;
  constexpr uint32_t port_stride = 150;  // per_host * port_stride + port_stride <= 32767
  ClientEndpoint endpoint;
  endpoint.host_index = connection_index / per_host;
  endpoint.port =
      static_cast<uint16_t>(32768 + (connection_index % per_host) * port_stride + endpoint.host_index % port_stride);
  return endpoint;
}

}  // namespace ringtrack::pcapgen
