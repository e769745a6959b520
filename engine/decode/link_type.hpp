// Owns: the link-layer framings the decoder understands and their mapping from libpcap DLTs.
// Does not own: decoding them (frame_decoder).
#pragma once

#include <cstdint>
#include <optional>

namespace ringtrack::decode {

enum class LinkType : uint8_t {
  ethernet,     ///< DLT_EN10MB
  linux_sll,    ///< DLT_LINUX_SLL, Linux cooked v1
  linux_sll2,   ///< DLT_LINUX_SLL2, Linux cooked v2
  raw_ip,       ///< DLT_RAW / LINKTYPE_RAW: IPv4 or IPv6 by version nibble
  ipv4,         ///< LINKTYPE_IPV4
  ipv6,         ///< LINKTYPE_IPV6
  bsd_null,     ///< DLT_NULL: 4-byte address family in the capturing host's byte order
  bsd_loop,     ///< DLT_LOOP: 4-byte address family in network byte order
  ppp,          ///< DLT_PPP: PPP, address and control optional, protocol 1 or 2 bytes
  ppp_serial,   ///< DLT_PPP_SERIAL: PPP in HDLC-like framing, or Cisco HDLC
  cisco_hdlc,   ///< DLT_C_HDLC: address, control, then an EtherType
  ipoib,        ///< DLT_IPOIB: 40 bytes of addresses, an EtherType, 2 reserved
  nflog,        ///< DLT_NFLOG: Linux netfilter log, the packet in a payload TLV
  unsupported,  ///< a pcapng interface of another link type: its frames are counted only
};

inline constexpr unsigned link_type_count = unsigned(LinkType::unsupported) + 1;

/// The link type for a libpcap DLT value, or nothing when ringtrack cannot decode it.
std::optional<LinkType> link_type_from_dlt(int dlt) noexcept;

}  // namespace ringtrack::decode
