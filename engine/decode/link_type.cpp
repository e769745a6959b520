// Owns: DLT number to LinkType mapping and names.
// Does not own: frame decoding.
#include "decode/link_type.hpp"

#include <pcap/dlt.h>

namespace ringtrack::decode {

std::optional<LinkType> link_type_from_dlt(int dlt) noexcept {
  switch (dlt) {
    case DLT_EN10MB: return LinkType::ethernet;
    case DLT_LINUX_SLL: return LinkType::linux_sll;
    case DLT_LINUX_SLL2: return LinkType::linux_sll2;
    case DLT_RAW:
#if DLT_RAW != 12
    case 12:
#endif
#if DLT_RAW != 14
    case 14:  // OpenBSD's DLT_RAW number
#endif
    case 101:  // LINKTYPE_RAW, when a reader hands it through unmapped
      return LinkType::raw_ip;
    case DLT_IPV4: return LinkType::ipv4;
    case DLT_IPV6: return LinkType::ipv6;
    case DLT_NULL: return LinkType::bsd_null;
    case DLT_LOOP: return LinkType::bsd_loop;
    case DLT_PPP: return LinkType::ppp;
    case DLT_PPP_SERIAL: return LinkType::ppp_serial;
    case DLT_C_HDLC: return LinkType::cisco_hdlc;
    case DLT_IPOIB: return LinkType::ipoib;
    case DLT_NFLOG: return LinkType::nflog;
    default: return std::nullopt;
  }
}

const char* link_type_name(LinkType t) noexcept {
  switch (t) {
    case LinkType::ethernet: return "Ethernet";
    case LinkType::linux_sll: return "Linux cooked (SLL)";
    case LinkType::linux_sll2: return "Linux cooked v2 (SLL2)";
    case LinkType::raw_ip: return "raw IP";
    case LinkType::ipv4: return "raw IPv4";
    case LinkType::ipv6: return "raw IPv6";
    case LinkType::bsd_null: return "BSD loopback (NULL)";
    case LinkType::bsd_loop: return "OpenBSD loopback (LOOP)";
    case LinkType::ppp: return "PPP";
    case LinkType::ppp_serial: return "PPP in HDLC framing";
    case LinkType::cisco_hdlc: return "Cisco HDLC";
    case LinkType::ipoib: return "IP over InfiniBand";
    case LinkType::nflog: return "Linux NFLOG";
    case LinkType::unsupported: return "unsupported";
  }
  return "unknown";
}

}  // namespace ringtrack::decode
