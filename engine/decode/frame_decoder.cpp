// Owns: link-layer framing (Ethernet, VLAN, PPPoE, MPLS, SLL, SLL2, raw, NULL/LOOP, PPP,
// HDLC, IPoIB, NFLOG, and inside tunnels Ethernet and 802.11) down to the network header.
// Does not own: IP and TCP (network_decoder), tunnel headers (tunnel_decoder).
#include "decode/frame_decoder.hpp"

#include <cstring>

#include "decode/inner_link.hpp"
#include "decode/network_decoder.hpp"
#include "decode/wire_bytes.hpp"

namespace ringtrack::decode {
namespace {

constexpr uint16_t ethertype_ipv4 = 0x0800;
constexpr uint16_t ethertype_ipv6 = 0x86dd;
constexpr uint16_t ethertype_vlan = 0x8100;
constexpr uint16_t ethertype_qinq = 0x88a8;
constexpr uint16_t ethertype_qinq_legacy = 0x9100;
constexpr uint16_t ethertype_pppoe_session = 0x8864;
constexpr uint16_t ethertype_mpls = 0x8847;
constexpr uint16_t ethertype_mpls_multicast = 0x8848;

constexpr uint16_t ppp_ipv4 = 0x0021;
constexpr uint16_t ppp_ipv6 = 0x0057;
// IPoIB (RFC 4391 as libpcap writes it): 20-byte destination and source hardware
// addresses, then the EtherType and two reserved bytes.
constexpr uint32_t ipoib_header_bytes = 44;
// NFLOG: family, version and resource id, then type-length-value attributes; the packet
// itself, from its IP header on, is the payload attribute.
constexpr uint32_t nflog_header_bytes = 4;
constexpr uint16_t nflog_payload_type = 9;  // NFULA_PAYLOAD
constexpr unsigned max_nflog_attributes = 64;

// Bound on label-stack walking, so a hostile frame cannot make us loop long.
constexpr unsigned max_mpls_labels = 16;

struct Cursor {
  const FrameView& frame;
  uint32_t offset;
  uint32_t end;            // where this layer's frame ends on the wire
  uint32_t captured_end;   // and in the captured bytes (a tunnel's inner frame: the lower)
  TunnelTrail& trail;
  uint16_t vlan_ids[VlanStack::max_depth] = {};  // every tag met, outermost first
  unsigned vlan_depth = 0;
  uint32_t length_cap = UINT32_MAX;  // a PPPoE session's payload length, from its header on

  uint32_t remaining() const noexcept { return captured_end > offset ? captured_end - offset : 0; }
  const uint8_t* here() const noexcept { return frame.data + offset; }
  NetworkLayer network() const noexcept {
    const uint32_t on_wire = end > offset ? end - offset : 0;
    return {offset, on_wire < length_cap ? on_wire : length_cap, vlan_ids, vlan_depth, &trail};
  }
};

// other_version: what a version other than 4 or 6 means here (raw IP links carry only IP;
// behind MPLS it may be an Ethernet pseudowire).
DecodeOutcome network_from_version_nibble(Cursor& c, PacketRecord& out, DecodeOutcome other_version) noexcept {
  if (c.remaining() < 1) return DecodeOutcome::truncated_ip;
  const unsigned version = c.here()[0] >> 4;
  if (version == 4) return decode_ipv4(c.frame, c.network(), out);
  if (version == 6) return decode_ipv6(c.frame, c.network(), out);
  return other_version;
}

DecodeOutcome push_vlan(Cursor& c, uint16_t tci) noexcept {
  // VLAN id 0 is an 802.1p priority tag, not a VLAN: a host's replies to priority-tagged
  // frames go out untagged, and both directions are one connection.
  if ((tci & 0x0fff) == 0) return DecodeOutcome::tcp;
  if (c.vlan_depth == VlanStack::max_depth) [[unlikely]] return DecodeOutcome::vlan_too_deep;
  c.vlan_ids[c.vlan_depth++] = tci & 0x0fff;
  return DecodeOutcome::tcp;
}

// Walks an ethertype chain: VLAN tags, PPPoE session, MPLS, then IP.
DecodeOutcome decode_ethertype(Cursor& c, uint16_t ethertype, PacketRecord& out) noexcept {
  for (;;) {
    switch (ethertype) {
      case ethertype_ipv4:
        return decode_ipv4(c.frame, c.network(), out);
      case ethertype_ipv6:
        return decode_ipv6(c.frame, c.network(), out);
      case ethertype_vlan:
      case ethertype_qinq:
      case ethertype_qinq_legacy: {
        if (c.remaining() < 4) return DecodeOutcome::truncated_link;
        if (DecodeOutcome o = push_vlan(c, load_be16(c.here())); o != DecodeOutcome::tcp) return o;
        ethertype = load_be16(c.here() + 2);
        c.offset += 4;
        break;
      }
      case ethertype_pppoe_session: {
        // ver/type, code, session id, length, then the 2-byte PPP protocol; the length
        // counts the protocol field and bounds the datagram behind it.
        if (c.remaining() < 8) return DecodeOutcome::truncated_link;
        const uint16_t ppp_protocol = load_be16(c.here() + 6);
        const uint16_t session_bytes = load_be16(c.here() + 4);
        c.length_cap = session_bytes >= 2 ? session_bytes - 2u : 0u;
        c.offset += 8;
        if (ppp_protocol == ppp_ipv4) ethertype = ethertype_ipv4;
        else if (ppp_protocol == ppp_ipv6) ethertype = ethertype_ipv6;
        else return DecodeOutcome::not_ip;
        break;
      }
      case ethertype_mpls:
      case ethertype_mpls_multicast: {
        for (unsigned label = 0;; ++label) {
          if (label == max_mpls_labels) return DecodeOutcome::not_ip;
          if (c.remaining() < 4) return DecodeOutcome::truncated_link;
          const bool bottom_of_stack = (c.here()[2] & 0x01) != 0;
          c.offset += 4;
          if (bottom_of_stack) break;
        }
        return network_from_version_nibble(c, out, DecodeOutcome::not_ip);
      }
      default:
        return DecodeOutcome::not_ip;
    }
  }
}

DecodeOutcome decode_address_family(Cursor& c, uint32_t family, PacketRecord& out) noexcept {
  switch (family) {
    case 2:  // AF_INET everywhere
      return decode_ipv4(c.frame, c.network(), out);
    case 10:  // AF_INET6 on Linux
    case 24:  // NetBSD, OpenBSD
    case 28:  // FreeBSD
    case 30:  // macOS
      return decode_ipv6(c.frame, c.network(), out);
    default:
      return DecodeOutcome::not_ip;
  }
}

// PPP (RFC 1661/1662): the HDLC address and control bytes may be left out, and the
// protocol field compressed to one byte (an odd first byte).
DecodeOutcome decode_ppp(Cursor& c, PacketRecord& out) noexcept {
  if (c.remaining() >= 2 && c.here()[0] == 0xff && c.here()[1] == 0x03) c.offset += 2;
  if (c.remaining() < 1) return DecodeOutcome::truncated_link;
  uint16_t protocol = c.here()[0];
  if ((protocol & 1) != 0) {
    c.offset += 1;
  } else {
    if (c.remaining() < 2) return DecodeOutcome::truncated_link;
    protocol = load_be16(c.here());
    c.offset += 2;
  }
  if (protocol == ppp_ipv4) return decode_ipv4(c.frame, c.network(), out);
  if (protocol == ppp_ipv6) return decode_ipv6(c.frame, c.network(), out);
  return DecodeOutcome::not_ip;
}

// Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control, EtherType.
DecodeOutcome decode_cisco_hdlc(Cursor& c, PacketRecord& out) noexcept {
  if (c.remaining() < 4) return DecodeOutcome::truncated_link;
  const uint16_t ethertype = load_be16(c.here() + 2);
  c.offset += 4;
  return decode_ethertype(c, ethertype, out);
}

// The attributes' lengths and types are in the capturing host's byte order, which libpcap
// makes this host's when it reads a file of the other order.
DecodeOutcome decode_nflog(Cursor& c, PacketRecord& out) noexcept {
  if (c.remaining() < nflog_header_bytes) return DecodeOutcome::truncated_link;
  const uint8_t family = c.here()[0];
  c.offset += nflog_header_bytes;
  for (unsigned attribute = 0; attribute < max_nflog_attributes; ++attribute) {
    if (c.remaining() < 4) return DecodeOutcome::truncated_link;
    uint16_t length, type;
    std::memcpy(&length, c.here(), 2);
    std::memcpy(&type, c.here() + 2, 2);
    if (length < 4) return DecodeOutcome::truncated_link;
    if ((type & 0x7fff) == nflog_payload_type) {
      c.offset += 4;
      c.length_cap = length - 4u;
      return decode_address_family(c, family, out);
    }
    const uint32_t padded = (uint32_t(length) + 3u) & ~3u;
    if (c.remaining() < padded) return DecodeOutcome::truncated_link;
    c.offset += padded;
  }
  return DecodeOutcome::not_ip;
}

// An 802.11 data frame with LLC/SNAP, as Aruba controllers tunnel their clients' frames.
DecodeOutcome decode_wlan_data(Cursor& c, PacketRecord& out) noexcept {
  if (c.remaining() < 24) return DecodeOutcome::truncated_link;
  const uint8_t control = c.here()[0], control_flags = c.here()[1];
  const unsigned type = (control >> 2) & 3, subtype = control >> 4;
  // Data frames only; a null-data subtype has no body, a protected one an encrypted body.
  if (type != 2 || (subtype & 4) != 0 || (control_flags & 0x40) != 0) return DecodeOutcome::not_ip;
  uint32_t header_bytes = 24;
  if ((control_flags & 3) == 3) header_bytes += 6;  // to and from the DS: a fourth address
  if (subtype & 8) {                                // QoS control, and HT control with the order bit
    header_bytes += 2;
    if (control_flags & 0x80) header_bytes += 4;
  }
  if (c.remaining() < header_bytes + 8) return DecodeOutcome::truncated_link;
  const uint8_t* llc = c.here() + header_bytes;
  if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03) return DecodeOutcome::not_ip;
  const uint16_t ethertype = load_be16(llc + 6);
  c.offset += header_bytes + 8;
  return decode_ethertype(c, ethertype, out);
}

DecodeOutcome decode_from_link(LinkType link, const FrameView& frame, Cursor& c, PacketRecord& out) noexcept {
  if (frame.stripped_vlan_id >= 0) push_vlan(c, static_cast<uint16_t>(frame.stripped_vlan_id));

  switch (link) {
    case LinkType::ethernet: {
      if (c.remaining() < 14) return DecodeOutcome::truncated_link;
      const uint16_t ethertype = load_be16(c.here() + 12);
      c.offset = 14;
      return decode_ethertype(c, ethertype, out);
    }
    case LinkType::linux_sll: {
      if (c.remaining() < 16) return DecodeOutcome::truncated_link;
      const uint16_t protocol = load_be16(c.here() + 14);
      c.offset = 16;
      return decode_ethertype(c, protocol, out);
    }
    case LinkType::linux_sll2: {
      if (c.remaining() < 20) return DecodeOutcome::truncated_link;
      const uint16_t protocol = load_be16(c.here());
      c.offset = 20;
      return decode_ethertype(c, protocol, out);
    }
    case LinkType::raw_ip:
      return network_from_version_nibble(c, out, DecodeOutcome::bad_ip_version);
    case LinkType::ipv4:
      return decode_ipv4(frame, c.network(), out);
    case LinkType::ipv6:
      return decode_ipv6(frame, c.network(), out);
    case LinkType::bsd_null: {
      if (c.remaining() < 4) return DecodeOutcome::truncated_link;
      // Host byte order of the machine that captured: small values read in the wrong
      // order land above 0xffff, so fall back to the swapped reading.
      uint32_t family = load_le32(c.here());
      if (family > 0xffff) family = __builtin_bswap32(family);
      c.offset = 4;
      return decode_address_family(c, family, out);
    }
    case LinkType::bsd_loop: {
      if (c.remaining() < 4) return DecodeOutcome::truncated_link;
      const uint32_t family = load_be32(c.here());
      c.offset = 4;
      return decode_address_family(c, family, out);
    }
    case LinkType::ppp:
      return decode_ppp(c, out);
    case LinkType::ppp_serial:
      if (c.remaining() >= 1 && (c.here()[0] == 0x0f || c.here()[0] == 0x8f)) return decode_cisco_hdlc(c, out);
      return decode_ppp(c, out);
    case LinkType::cisco_hdlc:
      return decode_cisco_hdlc(c, out);
    case LinkType::ipoib: {
      if (c.remaining() < ipoib_header_bytes) return DecodeOutcome::truncated_link;
      const uint16_t ethertype = load_be16(c.here() + 40);
      c.offset += ipoib_header_bytes;
      return decode_ethertype(c, ethertype, out);
    }
    case LinkType::nflog:
      return decode_nflog(c, out);
    case LinkType::unsupported:
      return DecodeOutcome::unsupported_link;
  }
  return DecodeOutcome::not_ip;
}

// Every frame the common path declines. flatten: one function with every layer inlined
// (a tunnel's inner layers are calls back into decode_inner_link); noinline: its register
// saves, cursor and trail stay off the common path.
[[gnu::flatten, gnu::noinline]] DecodeOutcome decode_any_frame(LinkType link, const FrameView& frame,
                                                               PacketRecord& out, KeyDetail& detail) noexcept {
  TunnelTrail trail;
  Cursor c{frame, 0, frame.wire_bytes, frame.captured_bytes, trail};
  const DecodeOutcome outcome = decode_from_link(link, frame, c, out);
  detail.tunnel.kind = TunnelKind::none;
  if (trail.depth != 0) [[unlikely]] {
    detail.tunnel = trail.innermost;
    if (outcome == DecodeOutcome::tcp) detail.tunnel.id = out.key.tunnel_id();
  } else if (outcome == DecodeOutcome::tcp && out.vlan_stack_id != 0) [[unlikely]] {
    detail.vlans.id = out.vlan_stack_id;
    detail.vlans.depth = static_cast<uint8_t>(c.vlan_depth);
    std::memcpy(detail.vlans.ids.data(), c.vlan_ids, sizeof c.vlan_ids);
  }
  return outcome;
}

// For callers that do not ask for the detail: it lives in this frame, so the common path's
// frame has no room to make for it.
[[gnu::noinline]] DecodeOutcome decode_any_frame_untold(LinkType link, const FrameView& frame,
                                                        PacketRecord& out) noexcept {
  KeyDetail detail;
  return decode_any_frame(link, frame, out, detail);
}

}  // namespace

DecodeOutcome decode_inner_link(const FrameView& frame, InnerLink link, uint16_t ethertype, uint32_t offset,
                                uint32_t end, TunnelTrail& trail, PacketRecord& out) noexcept {
  Cursor c{frame, offset, end, end < frame.captured_bytes ? end : frame.captured_bytes, trail};
  switch (link) {
    case InnerLink::ethernet:
      if (c.remaining() < 14) return DecodeOutcome::truncated_link;
      ethertype = load_be16(c.here() + 12);
      c.offset += 14;
      return decode_ethertype(c, ethertype, out);
    case InnerLink::ethertype:
      return decode_ethertype(c, ethertype, out);
    case InnerLink::wlan:
      return decode_wlan_data(c, out);
  }
  return DecodeOutcome::not_ip;
}

DecodeOutcome decode_frame(LinkType link, const FrameView& frame, PacketRecord& out, KeyDetail& detail) noexcept {
  if (link == LinkType::ethernet && decode_common_ipv4_tcp(frame, out)) [[likely]] {
    detail.tunnel.kind = TunnelKind::none;
    return DecodeOutcome::tcp;
  }
  return decode_any_frame(link, frame, out, detail);
}

DecodeOutcome decode_frame(LinkType link, const FrameView& frame, PacketRecord& out) noexcept {
  if (link == LinkType::ethernet && decode_common_ipv4_tcp(frame, out)) [[likely]] return DecodeOutcome::tcp;
  return decode_any_frame_untold(link, frame, out);
}

}  // namespace ringtrack::decode
