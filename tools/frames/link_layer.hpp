// Owns: link types, MACs, VLAN tag stacks and link headers (Ethernet, SLL, SLL2, raw, NULL, LOOP,
// PPP, NFLOG).
// Does not own: anything from the IP header on (ip_header, transport_header); which frames carry which tags.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "frames/ip_address.hpp"

namespace ringtrack::frames {

enum class LinkType : uint8_t { ether, sll, sll2, raw, null, loop, ppp, nflog };

/// LINKTYPE_ number written into the pcap file header.
uint32_t linktype_number(LinkType type) noexcept;
std::string_view link_type_name(LinkType type) noexcept;
std::optional<LinkType> parse_link_type(std::string_view name) noexcept;

/// Ethernet and both Linux cooked headers carry an EtherType, so VLAN tags can follow them;
/// raw IP, NULL and LOOP cannot express a tag.
bool link_carries_vlan_tags(LinkType type) noexcept;

inline constexpr uint16_t ethertype_ipv4 = 0x0800;
inline constexpr uint16_t ethertype_ipv6 = 0x86DD;
inline constexpr uint16_t tpid_8021q = 0x8100;
inline constexpr uint16_t tpid_8021ad = 0x88A8;
inline constexpr uint16_t tpid_legacy_qinq = 0x9100;

struct MacAddress {
  std::array<uint8_t, 6> bytes{};
};

/// A locally administered MAC derived from an IP address; role keeps two endpoints that share
/// an IP address (same-host connections) apart.
MacAddress mac_for(const IpAddress& address, uint8_t role) noexcept;

struct VlanTag {
  uint16_t tpid = tpid_8021q;
  uint16_t vid = 0;  // 12 bits
  uint8_t pcp = 0;   // 3-bit priority, shares the TCI with the VID
  bool dei = false;  // drop eligible (once CFI), the TCI's fourth bit
};

/// The tags of one connection, outermost first. Deeper stacks only appear in malformed frames,
/// which pass their own span of tags.
struct VlanStack {
  static constexpr std::size_t max_tags = 8;  // the deepest stack a decoder takes
  std::array<VlanTag, max_tags> tags{};
  uint8_t count = 0;

  void push(uint16_t tpid, uint16_t vid, uint8_t pcp = 0) noexcept { tags[count++] = VlanTag{tpid, vid, pcp}; }
  std::span<const VlanTag> span() const noexcept { return {tags.data(), count}; }
};

/// Most tags any frame carries (malformed frames stack up to 20).
inline constexpr std::size_t max_link_tags = 24;

struct LinkHeaderSpec {
  MacAddress src_mac;
  MacAddress dst_mac;
  bool outbound = false;            // SLL packet type: 4 (sent by us) or 0 (to us)
  std::span<const VlanTag> tags{};  // at most max_link_tags; ignored by raw/NULL/LOOP
  uint16_t ethertype = ethertype_ipv4;
  /// NFLOG: the IP packet's length, which its payload attribute states; 0 = unknown
  /// (malformed frames), written as the largest length, which bounds nothing.
  uint32_t network_bytes = 0;
};

/// BSD address families: AF_INET is 2 everywhere; for IPv6 NULL uses Darwin's 30 (the most
/// common source of DLT_NULL files) and LOOP uses OpenBSD's 24. Decoders must accept 24/28/30.
inline constexpr uint32_t bsd_af_inet = 2;
inline constexpr uint32_t null_af_inet6 = 30;
inline constexpr uint32_t loop_af_inet6 = 24;

class LinkWriter {
 public:
  LinkWriter(LinkType type, bool file_big_endian) noexcept : _type(type), _file_big_endian(file_big_endian) {}

  LinkType type() const noexcept { return _type; }

  /// Bytes of link header plus tags for a frame with tag_count tags.
  std::size_t header_bytes(std::size_t tag_count) const noexcept;

  /// Writes the link header (and the tag chain) at out; returns its length.
  std::size_t write(uint8_t* out, const LinkHeaderSpec& spec) const noexcept;

 private:
  LinkType _type;
  bool _file_big_endian;  // NULL and NFLOG store fields in the writer's host order
};

}  // namespace ringtrack::frames
