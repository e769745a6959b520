// Owns: the byte layout of each link header and of the EtherType/VLAN tag chain.
// Does not own: IP or transport headers.
#include "frames/link_layer.hpp"

#include <cstring>

#include "frames/byte_order.hpp"

namespace ringtrack::frames {
namespace {

constexpr std::size_t ether_header_bytes = 14;
constexpr std::size_t sll_header_bytes = 16;
constexpr std::size_t sll2_header_bytes = 20;
constexpr std::size_t bsd_header_bytes = 4;
constexpr std::size_t ppp_header_bytes = 4;    // HDLC address 0xff, control 0x03, protocol
constexpr std::size_t nflog_header_bytes = 8;  // family, version, resource id; payload TLV header
constexpr uint16_t ppp_ipv4 = 0x0021;
constexpr uint16_t ppp_ipv6 = 0x0057;
constexpr uint16_t nflog_payload = 9;
constexpr std::size_t tag_bytes = 4;

constexpr uint16_t arphrd_ether = 1;
constexpr uint8_t sll_to_us = 0;
constexpr uint8_t sll_outgoing = 4;
constexpr uint32_t sll2_interface_index = 2;  // "eth0" on a typical host

/// [tpid0][tci0][tpid1][tci1]...[ethertype]: exactly what follows the MACs in Ethernet II.
std::size_t write_type_chain(uint8_t* out, const LinkHeaderSpec& spec) noexcept {
  std::size_t offset = 0;
  for (const VlanTag& tag : spec.tags) {
    store_be16(out + offset, tag.tpid);
    store_be16(out + offset + 2, static_cast<uint16_t>((tag.pcp << 13) | (tag.dei ? 0x1000 : 0) | (tag.vid & 0x0FFF)));
    offset += tag_bytes;
  }
  store_be16(out + offset, spec.ethertype);
  return offset + 2;
}

uint32_t bsd_family(LinkType type, uint16_t ethertype) noexcept {
  if (ethertype == ethertype_ipv4) {
    return bsd_af_inet;
  }
  if (ethertype == ethertype_ipv6) {
    return type == LinkType::null ? null_af_inet6 : loop_af_inet6;
  }
  return 0;
}

}  // namespace

uint32_t linktype_number(LinkType type) noexcept {
  switch (type) {
    case LinkType::ether: return 1;
    case LinkType::sll: return 113;
    case LinkType::sll2: return 276;
    case LinkType::raw: return 101;
    case LinkType::null: return 0;
    case LinkType::loop: return 108;
    case LinkType::ppp: return 9;
    case LinkType::nflog: return 239;
  }
  return 1;
}

std::string_view link_type_name(LinkType type) noexcept {
  switch (type) {
    case LinkType::ether: return "ether";
    case LinkType::sll: return "sll";
    case LinkType::sll2: return "sll2";
    case LinkType::raw: return "raw";
    case LinkType::null: return "null";
    case LinkType::loop: return "loop";
    case LinkType::ppp: return "ppp";
    case LinkType::nflog: return "nflog";
  }
  return "ether";
}

std::optional<LinkType> parse_link_type(std::string_view name) noexcept {
  for (LinkType type : {LinkType::ether, LinkType::sll, LinkType::sll2, LinkType::raw, LinkType::null,
                        LinkType::loop, LinkType::ppp, LinkType::nflog}) {
    if (link_type_name(type) == name) {
      return type;
    }
  }
  return std::nullopt;
}

bool link_carries_vlan_tags(LinkType type) noexcept {
  return type == LinkType::ether || type == LinkType::sll || type == LinkType::sll2;
}

MacAddress mac_for(const IpAddress& address, uint8_t role) noexcept {
  // FNV-1a over the address; 0x02 in the first octet = locally administered, unicast.
  uint32_t hash = 2166136261U;
  for (uint32_t index = 0; index < address.length_bytes(); ++index) {
    hash = (hash ^ address.bytes[index]) * 16777619U;
  }
  MacAddress mac;
  mac.bytes = {0x02,
               role,
               static_cast<uint8_t>(hash >> 24),
               static_cast<uint8_t>(hash >> 16),
               static_cast<uint8_t>(hash >> 8),
               static_cast<uint8_t>(hash)};
  return mac;
}

std::size_t LinkWriter::header_bytes(std::size_t tag_count) const noexcept {
  switch (_type) {
    case LinkType::ether: return ether_header_bytes + tag_count * tag_bytes;
    case LinkType::sll: return sll_header_bytes + tag_count * tag_bytes;
    case LinkType::sll2: return sll2_header_bytes + tag_count * tag_bytes;
    case LinkType::raw: return 0;
    case LinkType::null:
    case LinkType::loop: return bsd_header_bytes;
    case LinkType::ppp: return ppp_header_bytes;
    case LinkType::nflog: return nflog_header_bytes;
  }
  return 0;
}

std::size_t LinkWriter::write(uint8_t* out, const LinkHeaderSpec& spec) const noexcept {
  switch (_type) {
    case LinkType::ether:
      std::memcpy(out, spec.dst_mac.bytes.data(), 6);
      std::memcpy(out + 6, spec.src_mac.bytes.data(), 6);
      return 12 + write_type_chain(out + 12, spec);
    case LinkType::sll: {
      // The SLL protocol field is the last header field, so the tag chain continues right
      // after it, as libpcap writes re-inserted VLAN tags for cooked captures.
      store_be16(out, spec.outbound ? sll_outgoing : sll_to_us);
      store_be16(out + 2, arphrd_ether);
      store_be16(out + 4, 6);
      std::memcpy(out + 6, spec.src_mac.bytes.data(), 6);
      out[12] = 0;
      out[13] = 0;
      return 14 + write_type_chain(out + 14, spec);
    }
    case LinkType::sll2: {
      // SLL2 has the protocol first: the chain's first EtherType goes there, the rest of the
      // chain (tags and inner EtherTypes) follows the 20-byte header.
      uint8_t chain[2 + max_link_tags * tag_bytes];
      const std::size_t chain_bytes = write_type_chain(chain, spec);
      std::memcpy(out, chain, 2);
      store_be16(out + 2, 0);
      store_be32(out + 4, sll2_interface_index);
      store_be16(out + 8, arphrd_ether);
      out[10] = spec.outbound ? sll_outgoing : sll_to_us;
      out[11] = 6;
      std::memcpy(out + 12, spec.src_mac.bytes.data(), 6);
      out[18] = 0;
      out[19] = 0;
      std::memcpy(out + sll2_header_bytes, chain + 2, chain_bytes - 2);
      return sll2_header_bytes + chain_bytes - 2;
    }
    case LinkType::raw: return 0;
    case LinkType::null:
      store_ordered32(out, bsd_family(_type, spec.ethertype), _file_big_endian);
      return bsd_header_bytes;
    case LinkType::loop: store_be32(out, bsd_family(_type, spec.ethertype)); return bsd_header_bytes;
    case LinkType::ppp:
      out[0] = 0xff;
      out[1] = 0x03;
      store_be16(out + 2, spec.ethertype == ethertype_ipv6 ? ppp_ipv6 : ppp_ipv4);
      return ppp_header_bytes;
    case LinkType::nflog: {
      out[0] = spec.ethertype == ethertype_ipv6 ? 10 : 2;  // AF_INET6, AF_INET on Linux
      out[1] = 0;
      store_be16(out + 2, 0);  // resource id: the nflog group
      const uint32_t length = spec.network_bytes != 0 ? spec.network_bytes + 4 : 0xffff;
      store_ordered16(out + 4, uint16_t(length > 0xffff ? 0xffff : length), _file_big_endian);
      store_ordered16(out + 6, nflog_payload, _file_big_endian);
      return nflog_header_bytes;
    }
  }
  return 0;
}

}  // namespace ringtrack::frames
