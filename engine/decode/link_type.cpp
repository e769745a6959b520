// Owns: DLT number to LinkType mapping.
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

}  // namespace ringtrack::decode
