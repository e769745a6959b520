// Owns: the IPv4/IPv6 address value type and its text form (dotted quad, RFC 5952 for IPv6).
// Does not own: which addresses a frame carries, or header encoding (ip_header).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace ringtrack::frames {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4, network order
  bool is_v6 = false;

  static IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) noexcept {
    IpAddress address;
    address.bytes[0] = a;
    address.bytes[1] = b;
    address.bytes[2] = c;
    address.bytes[3] = d;
    return address;
  }

  static IpAddress v4_from_u32(uint32_t host_order) noexcept {
    return v4(static_cast<uint8_t>(host_order >> 24), static_cast<uint8_t>(host_order >> 16),
              static_cast<uint8_t>(host_order >> 8), static_cast<uint8_t>(host_order));
  }

  static IpAddress v6(const std::array<uint16_t, 8>& groups) noexcept {
    IpAddress address;
    address.is_v6 = true;
    for (std::size_t group = 0; group < groups.size(); ++group) {
      address.bytes[2 * group] = static_cast<uint8_t>(groups[group] >> 8);
      address.bytes[2 * group + 1] = static_cast<uint8_t>(groups[group]);
    }
    return address;
  }

  uint32_t length_bytes() const noexcept { return is_v6 ? 16U : 4U; }

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

/// Longest text format_ip writes ("ffff:...:ffff" is 39; INET6_ADDRSTRLEN is 46).
inline constexpr std::size_t ip_text_max_bytes = 46;

/// Writes the address as inet_ntop would (RFC 5952 for IPv6: lower-case, no leading zeros,
/// the longest run of two or more zero groups, the first of equals, becomes "::").
/// Returns the number of characters written (no terminator).
std::size_t format_ip(const IpAddress& address, char* out) noexcept;

}  // namespace ringtrack::frames
