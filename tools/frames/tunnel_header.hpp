// Owns: tunnel headers as bytes (GRE with key/sequence/checksum, ERSPAN II and III, VXLAN,
// Geneve with options, GTP-U v1 with an extension header, Teredo indicators); every field
// is the caller's to set, so a decoder test can break any one of them.
// Does not own: the IP or UDP headers around them (ip_header, transport_header).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace ringtrack::frames {

inline constexpr uint16_t udp_port_gtpu = 2152;
inline constexpr uint16_t udp_port_teredo = 3544;
inline constexpr uint16_t udp_port_vxlan = 4789;
inline constexpr uint16_t udp_port_geneve = 6081;
inline constexpr uint8_t ip_protocol_gre = 47;
inline constexpr uint8_t ip_protocol_ipip = 4;
inline constexpr uint8_t ip_protocol_ipv6_in_ip = 41;
inline constexpr uint16_t gre_transparent_ethernet = 0x6558;
inline constexpr uint16_t gre_erspan_2 = 0x88be;
inline constexpr uint16_t gre_erspan_3 = 0x22eb;
inline constexpr uint16_t gre_wccp = 0x883e;
/// Longest header any writer below produces (GRE 16, Geneve 8 + 252, GTP-U 12 + 4 * 255).
inline constexpr std::size_t max_tunnel_header_bytes = 1036;

struct GreHeader {
  uint16_t protocol = 0x0800;
  bool checksum = false;              // C: checksum and reserved (4 bytes, zero)
  std::optional<uint32_t> key{};      // K
  std::optional<uint32_t> sequence{}; // S
  uint8_t version = 0;
};
/// 4 to 16 bytes.
std::size_t write_gre_header(uint8_t* out, const GreHeader& gre) noexcept;

struct ErspanHeader {
  uint8_t type = 2;          // 2: 8 bytes (version 1); 3: 12 bytes (version 2)
  uint16_t session = 0;      // 10 bits
  uint8_t version_override = 0xff;  // the version nibble as given, when not 0xff
  bool platform_subheader = false;  // type 3's O flag: 8 more bytes
};
std::size_t write_erspan_header(uint8_t* out, const ErspanHeader& erspan) noexcept;

/// Flags with the I bit, the 24-bit VNI: 8 bytes.
std::size_t write_vxlan_header(uint8_t* out, uint32_t vni) noexcept;

struct GeneveHeader {
  uint32_t vni = 0;
  uint16_t protocol = gre_transparent_ethernet;
  uint8_t option_words = 0;  // zero-filled, 6 bits
  uint8_t version = 0;
};
std::size_t write_geneve_header(uint8_t* out, const GeneveHeader& geneve) noexcept;

struct GtpuHeader {
  uint32_t teid = 0;
  uint16_t inner_bytes = 0;        // the user packet after the header
  uint8_t message_type = 0xff;     // G-PDU
  uint8_t extension_words = 0;     // one extension header (PDU session container, 0x85) of this length; 0: none
  uint8_t flags_override = 0;      // the first byte as given, when not 0
};
/// 8 bytes, or 12 plus the extension with one; its length field counts inner_bytes too.
std::size_t write_gtpu_header(uint8_t* out, const GtpuHeader& gtpu) noexcept;

struct TeredoIndicators {
  bool authentication = false;  // indicator 0x0001 with no client id or value: 13 bytes
  bool origin = false;          // indicator 0x0000 with an obfuscated port and address: 8 bytes
};
std::size_t write_teredo_indicators(uint8_t* out, const TeredoIndicators& teredo) noexcept;

}  // namespace ringtrack::frames
