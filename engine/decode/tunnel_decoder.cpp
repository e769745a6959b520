// Owns: tunnel headers behind IP (IP in IP, GRE, ERSPAN II/III, WCCP, VXLAN, Geneve, GTP-U,
// Teredo): their checks, their identity, and where the inner packet starts and ends.
// Does not own: IP and TCP (network_decoder), inner link framing (frame_decoder).
#include "decode/tunnel_decoder.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "decode/inner_link.hpp"
#include "decode/wire_bytes.hpp"

namespace ringtrack::decode {
namespace {

constexpr uint8_t ip_protocol_ipv4 = 4;
constexpr uint8_t ip_protocol_ipv6 = 41;
constexpr uint8_t ip_protocol_gre = 47;

constexpr uint16_t gre_transparent_ethernet = 0x6558;
constexpr uint16_t gre_erspan_2 = 0x88be;
constexpr uint16_t gre_erspan_3 = 0x22eb;
constexpr uint16_t gre_wccp = 0x883e;
constexpr uint16_t gre_aruba_wlan = 0x8200;

constexpr uint16_t udp_port_gtpu = 2152;
constexpr uint16_t udp_port_teredo = 3544;
constexpr uint16_t udp_port_vxlan = 4789;
constexpr uint16_t udp_port_geneve = 6081;

// Bounds on walks a hostile frame could make long: GRE source-route entries (RFC 1701)
// and GTP-U extension headers; real ones have one or two.
constexpr unsigned max_gre_routes = 16;
constexpr unsigned max_gtp_extensions = 16;

// The inner packet: [offset, end) on the wire, all of it past the tunnel header.
struct Inner {
  uint32_t offset;
  uint32_t end;
};

// The 16-byte form of an address of p.address_bytes (IPv4 mapped, as in FlowKey).
std::array<uint8_t, 16> address16(const uint8_t* a, uint8_t address_bytes) noexcept {
  std::array<uint8_t, 16> out{};
  if (address_bytes == 16) {
    std::memcpy(out.data(), a, 16);
  } else {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, a, 4);
  }
  return out;
}

// Enters a tunnel of kind: folds its identity (kind, key, the outer endpoints in canonical
// order so both directions agree, and the VLAN tags met since the last tunnel) into the
// trail, and keeps what output shows of it. key_kind names key; teid (GTP-U) is shown, not hashed.
// Returns whether the packet was sent to the greater outer endpoint (b).
bool enter(TunnelTrail& trail, TunnelKind kind, TunnelKeyKind key_kind, uint32_t key, const IpPayload& p,
           const NetworkLayer& at, uint32_t teid = 0) noexcept {
  trail.fold_vlans(at.vlan_ids, at.vlan_depth);
  trail.fold((uint64_t(static_cast<uint8_t>(kind)) << 40) | (uint64_t(p.address_bytes) << 32) | key);
  const uint8_t* lo = p.src;
  const uint8_t* hi = p.dst;
  const bool to_b = std::memcmp(lo, hi, p.address_bytes) <= 0;  // sent by the smaller end
  if (!to_b) std::swap(lo, hi);
  TunnelIdentity& shown = trail.innermost;
  shown = TunnelIdentity{};
  shown.kind = kind;
  shown.key_kind = key_kind;
  shown.key = key;
  shown.outer_family = p.address_bytes == 16 ? 6 : 4;
  shown.outer_a = address16(lo, p.address_bytes);
  shown.outer_b = address16(hi, p.address_bytes);
  if (key_kind == TunnelKeyKind::teid) {
    shown.key = 0;
    shown.teid[to_b ? 0 : 1] = teid;
    shown.teid_seen = to_b ? 1 : 2;
  }
  if (p.address_bytes == 4) {
    trail.fold((uint64_t(load_be32(lo)) << 32) | load_be32(hi));
  } else {
    trail.fold(load_be64(lo));
    trail.fold(load_be64(lo + 8));
    trail.fold(load_be64(hi));
    trail.fold(load_be64(hi + 8));
  }
  ++trail.depth;
  return to_b;
}

DecodeOutcome inner_ip(const FrameView& frame, uint8_t version_hint, Inner in, TunnelTrail& trail,
                       PacketRecord& out) noexcept {
  const NetworkLayer at{in.offset, in.end - in.offset, nullptr, 0, &trail};
  unsigned version = version_hint;
  if (version == 0) {  // the tunnel does not say: the header does
    if (frame.captured_bytes < in.offset + 1) return DecodeOutcome::truncated_ip;
    version = frame.data[in.offset] >> 4;
  }
  if (version == 4) return decode_ipv4(frame, at, out);
  if (version == 6) return decode_ipv6(frame, at, out);
  return DecodeOutcome::not_ip;
}

// GRE, RFC 2784 with RFC 2890's key and sequence number (and RFC 1701's offset and
// source routes, which Wireshark still reads).
DecodeOutcome gre(const FrameView& frame, const IpPayload& p, const NetworkLayer& at, PacketRecord& out) noexcept {
  const uint32_t end = p.offset + p.length;
  if (p.length < 4) return DecodeOutcome::bad_tunnel_header;
  if (frame.captured_bytes < p.offset + 4) return DecodeOutcome::truncated_tunnel;
  const uint8_t* g = frame.data + p.offset;
  const uint16_t flags = load_be16(g);
  uint16_t protocol = load_be16(g + 2);
  const unsigned version = flags & 7;
  if (version == 1) return DecodeOutcome::not_ip;  // PPTP's enhanced GRE carries PPP
  if (version != 0) return DecodeOutcome::bad_tunnel_header;
  const bool checksum = flags & 0x8000, routing = flags & 0x4000, keyed = flags & 0x2000, sequenced = flags & 0x1000;
  uint32_t pos = p.offset + 4;
  if (checksum || routing) pos += 4;
  uint32_t key = 0;
  if (keyed) {
    if (frame.captured_bytes < pos + 4) return DecodeOutcome::truncated_tunnel;
    key = load_be32(frame.data + pos);
    pos += 4;
  }
  if (sequenced) pos += 4;
  if (routing) {
    for (unsigned n = 0;; ++n) {  // source route entries: family(2) offset(1) length(1) and length bytes
      if (n == max_gre_routes) return DecodeOutcome::bad_tunnel_header;
      if (frame.captured_bytes < pos + 4) return DecodeOutcome::truncated_tunnel;
      const uint32_t sre_bytes = frame.data[pos + 3];
      const bool last = load_be16(frame.data + pos) == 0 && sre_bytes == 0;
      pos += 4 + sre_bytes;
      if (last) break;
    }
  }
  if (pos > end) return DecodeOutcome::bad_tunnel_header;
  if (frame.captured_bytes < pos) return DecodeOutcome::truncated_tunnel;

  TunnelKind kind = TunnelKind::gre;
  InnerLink link = InnerLink::ethertype;
  switch (protocol) {
    case gre_transparent_ethernet: link = InnerLink::ethernet; break;
    case gre_aruba_wlan: link = InnerLink::wlan; break;
    case gre_erspan_2: {
      // Type I has no sequence number and no header of its own; type II an 8-byte one.
      kind = TunnelKind::erspan;
      link = InnerLink::ethernet;
      if (!sequenced) break;
      if (pos + 8 > end) return DecodeOutcome::bad_tunnel_header;
      if (frame.captured_bytes < pos + 8) return DecodeOutcome::truncated_tunnel;
      if ((frame.data[pos] >> 4) != 1) return DecodeOutcome::bad_tunnel_header;
      key = load_be16(frame.data + pos + 2) & 0x03ff;  // session id
      pos += 8;
      break;
    }
    case gre_erspan_3: {
      // 12 bytes; the O flag (last bit) adds an 8-byte platform subheader; frame type 0 is Ethernet.
      kind = TunnelKind::erspan;
      link = InnerLink::ethernet;
      if (pos + 12 > end) return DecodeOutcome::bad_tunnel_header;
      if (frame.captured_bytes < pos + 12) return DecodeOutcome::truncated_tunnel;
      const uint8_t* e = frame.data + pos;
      if ((e[0] >> 4) != 2) return DecodeOutcome::bad_tunnel_header;
      key = load_be16(e + 2) & 0x03ff;
      const unsigned frame_type = (e[10] >> 2) & 0x1f;
      pos += (e[11] & 1) ? 20 : 12;
      if (pos > end) return DecodeOutcome::bad_tunnel_header;
      if (frame_type != 0) {
        enter(*at.trail, kind, TunnelKeyKind::erspan_session, key, p, at);
        return DecodeOutcome::not_ip;
      }
      break;
    }
    case gre_wccp: {
      // WCCPv2 puts a 4-byte redirect header before the IPv4 header, v1 none: Wireshark
      // takes a first nibble other than 4 as the redirect header's.
      kind = TunnelKind::wccp;
      if (frame.captured_bytes < pos + 1) return DecodeOutcome::truncated_tunnel;
      if ((frame.data[pos] & 0xf0) != 0x40) pos += 4;
      if (pos > end) return DecodeOutcome::bad_tunnel_header;
      protocol = 0x0800;
      break;
    }
    default: break;
  }
  const TunnelKeyKind key_kind = kind == TunnelKind::erspan ? TunnelKeyKind::erspan_session
                                 : keyed                   ? TunnelKeyKind::gre_key
                                                           : TunnelKeyKind::none;
  enter(*at.trail, kind, key_kind, key, p, at);
  return decode_inner_link(frame, link, protocol, pos, end, *at.trail, out);
}

DecodeOutcome vxlan(const FrameView& frame, Inner in, const IpPayload& p, const NetworkLayer& at,
                    PacketRecord& out) noexcept {
  // flags(1) reserved(3) VNI(3) reserved(1); Wireshark reads the VNI whatever the I flag says.
  if (in.offset + 8 > in.end) return DecodeOutcome::bad_tunnel_header;
  if (frame.captured_bytes < in.offset + 8) return DecodeOutcome::truncated_tunnel;
  enter(*at.trail, TunnelKind::vxlan, TunnelKeyKind::vni, load_be32(frame.data + in.offset + 4) >> 8, p, at);
  return decode_inner_link(frame, InnerLink::ethernet, 0, in.offset + 8, in.end, *at.trail, out);
}

DecodeOutcome geneve(const FrameView& frame, Inner in, const IpPayload& p, const NetworkLayer& at,
                     PacketRecord& out) noexcept {
  // version(2) option length(6, in words) | flags | protocol(2) | VNI(3) reserved(1) | options
  if (in.offset + 8 > in.end) return DecodeOutcome::bad_tunnel_header;
  if (frame.captured_bytes < in.offset + 8) return DecodeOutcome::truncated_tunnel;
  const uint8_t* g = frame.data + in.offset;
  if ((g[0] >> 6) != 0) return DecodeOutcome::bad_tunnel_header;
  const uint32_t header_bytes = 8 + uint32_t(g[0] & 0x3f) * 4;
  if (in.offset + header_bytes > in.end) return DecodeOutcome::bad_tunnel_header;
  const uint16_t protocol = load_be16(g + 2);
  enter(*at.trail, TunnelKind::geneve, TunnelKeyKind::vni, load_be32(g + 4) >> 8, p, at);
  const InnerLink link = protocol == gre_transparent_ethernet ? InnerLink::ethernet : InnerLink::ethertype;
  return decode_inner_link(frame, link, protocol, in.offset + header_bytes, in.end, *at.trail, out);
}

// GTP-U v1 (3GPP TS 29.281). The TEID is not in the key: each end picks the TEID it
// receives on, so the two directions of one connection carry different TEIDs; the record
// carries it, and the shard pairs them (FlowShard::find_bearer).
DecodeOutcome gtpu(const FrameView& frame, Inner in, const IpPayload& p, const NetworkLayer& at,
                   PacketRecord& out) noexcept {
  if (in.offset + 8 > in.end) return DecodeOutcome::bad_tunnel_header;
  if (frame.captured_bytes < in.offset + 8) return DecodeOutcome::truncated_tunnel;
  const uint8_t* g = frame.data + in.offset;
  const uint8_t flags = g[0];
  // Version 1 with protocol type GTP (not GTP').
  if ((flags >> 5) != 1 || (flags & 0x10) == 0) return DecodeOutcome::bad_tunnel_header;
  const uint32_t message_bytes = load_be16(g + 2);  // after the 8 mandatory bytes
  // An outer first fragment carries less than the message says: the end is the lower.
  const uint32_t end = std::min(in.end, in.offset + 8 + message_bytes);
  uint32_t pos = in.offset + 8;
  if (flags & 0x07) {  // E, S or PN: sequence(2), N-PDU(1), next extension type(1)
    if (pos + 4 > end) return DecodeOutcome::bad_tunnel_header;
    if (frame.captured_bytes < pos + 4) return DecodeOutcome::truncated_tunnel;
    uint8_t next = (flags & 0x04) ? frame.data[pos + 3] : 0;
    pos += 4;
    for (unsigned n = 0; next != 0; ++n) {  // each: length(1, in 4-byte units) ... next type(1)
      if (n == max_gtp_extensions) return DecodeOutcome::bad_tunnel_header;
      if (frame.captured_bytes < pos + 1) return DecodeOutcome::truncated_tunnel;
      const uint32_t ext_bytes = uint32_t(frame.data[pos]) * 4;
      if (ext_bytes == 0 || pos + ext_bytes > end) return DecodeOutcome::bad_tunnel_header;
      if (frame.captured_bytes < pos + ext_bytes) return DecodeOutcome::truncated_tunnel;
      next = frame.data[pos + ext_bytes - 1];
      pos += ext_bytes;
    }
  }
  const uint32_t teid = load_be32(g + 4);
  const bool to_b = enter(*at.trail, TunnelKind::gtpu, TunnelKeyKind::teid, 0, p, at, teid);
  if (g[1] != 0xff) return DecodeOutcome::not_tcp;  // echo, error indication, end marker: no user packet
  const unsigned depth = at.trail->depth;
  const DecodeOutcome outcome = inner_ip(frame, 0, {pos, end}, *at.trail, out);
  if (at.trail->depth == depth) {  // this is the innermost tunnel: the shard tells its bearers apart
    out.gtp_to_outer_b = to_b;
    out.gtp_teid = teid;
  }
  return outcome;
}

// Teredo (RFC 4380): an optional authentication indicator, an optional origin
// indication, then IPv6.
DecodeOutcome teredo(const FrameView& frame, Inner in, const IpPayload& p, const NetworkLayer& at,
                     PacketRecord& out) noexcept {
  uint32_t pos = in.offset;
  if (pos + 2 <= in.end && frame.captured_bytes >= pos + 2 && load_be16(frame.data + pos) == 0x0001) {
    // indicator(2) id length(1) auth length(1) id auth nonce(8) confirmation(1)
    if (pos + 4 > in.end) return DecodeOutcome::bad_tunnel_header;
    if (frame.captured_bytes < pos + 4) return DecodeOutcome::truncated_tunnel;
    pos += 4 + uint32_t(frame.data[pos + 2]) + frame.data[pos + 3] + 9;
    if (pos > in.end) return DecodeOutcome::bad_tunnel_header;
  }
  if (pos + 2 <= in.end && frame.captured_bytes >= pos + 2 && load_be16(frame.data + pos) == 0x0000) {
    pos += 8;  // indicator(2) obfuscated port(2) and IPv4 address(4)
    if (pos > in.end) return DecodeOutcome::bad_tunnel_header;
  }
  // Anything but IPv6 on the port is not Teredo (nor anything ringtrack decodes).
  if (pos >= in.end) return DecodeOutcome::not_ip;
  if (frame.captured_bytes < pos + 1) return DecodeOutcome::truncated_tunnel;
  if ((frame.data[pos] >> 4) != 6) return DecodeOutcome::not_ip;
  enter(*at.trail, TunnelKind::teredo, TunnelKeyKind::none, 0, p, at);
  return inner_ip(frame, 6, {pos, in.end}, *at.trail, out);
}

DecodeOutcome udp(const FrameView& frame, const IpPayload& p, const NetworkLayer& at, PacketRecord& out) noexcept {
  // Ports decide; a frame too short to show them is plain UDP as far as anyone can tell.
  if (frame.captured_bytes < p.offset + 4 || p.length < 4) return DecodeOutcome::not_tcp;
  const uint8_t* u = frame.data + p.offset;
  const uint16_t src_port = load_be16(u), dst_port = load_be16(u + 2);
  // Wireshark offers a datagram to the lower port's protocol first.
  const uint16_t ports[2] = {std::min(src_port, dst_port), std::max(src_port, dst_port)};
  uint16_t tunnel_port = 0;
  for (uint16_t port : ports) {
    if (port == udp_port_vxlan || port == udp_port_geneve || port == udp_port_gtpu || port == udp_port_teredo) {
      tunnel_port = port;
      break;
    }
  }
  if (tunnel_port == 0) return DecodeOutcome::not_tcp;
  if (at.trail->depth == TunnelTrail::max_depth) [[unlikely]] return DecodeOutcome::tunnel_too_deep;
  if (p.length < 8) return DecodeOutcome::bad_tunnel_header;
  if (frame.captured_bytes < p.offset + 8) return DecodeOutcome::truncated_tunnel;
  // UDP length 0 (a GSO super-frame or a jumbogram): the IP length decides.
  uint32_t datagram_bytes = load_be16(u + 4);
  if (datagram_bytes == 0) datagram_bytes = p.length;
  if (datagram_bytes < 8) return DecodeOutcome::bad_tunnel_header;
  const Inner in{p.offset + 8, p.offset + std::min(datagram_bytes, p.length)};
  switch (tunnel_port) {
    case udp_port_vxlan: return vxlan(frame, in, p, at, out);
    case udp_port_geneve: return geneve(frame, in, p, at, out);
    case udp_port_gtpu: return gtpu(frame, in, p, at, out);
    default: return teredo(frame, in, p, at, out);
  }
}

}  // namespace

// noinline: tunnels nest, so this is where the recursion through decode_inner_link turns;
// without it, link-time optimisation lets decode_any_frame's flatten unroll the cycle
// into one function of over a megabyte (minutes of linking, a cold instruction cache).
[[gnu::noinline]] DecodeOutcome decode_tunnel(const FrameView& frame, const IpPayload& payload, const NetworkLayer& at,
                            PacketRecord& out) noexcept {
  switch (payload.protocol) {
    case ip_protocol_ipv4:
    case ip_protocol_ipv6:
      if (at.trail->depth == TunnelTrail::max_depth) [[unlikely]] return DecodeOutcome::tunnel_too_deep;
      enter(*at.trail, TunnelKind::ipip, TunnelKeyKind::none, 0, payload, at);
      return inner_ip(frame, payload.protocol == ip_protocol_ipv4 ? 4 : 6,
                      {payload.offset, payload.offset + payload.length}, *at.trail, out);
    case ip_protocol_gre:
      if (at.trail->depth == TunnelTrail::max_depth) [[unlikely]] return DecodeOutcome::tunnel_too_deep;
      return gre(frame, payload, at, out);
    default:
      return udp(frame, payload, at, out);  // checks the depth once a port names a tunnel
  }
}

}  // namespace ringtrack::decode
