// Owns: IPv4/IPv6/TCP header decoding and the canonical ordering of a record's endpoints.
// Does not own: link framing, tunnel headers, hashing, flow state.
#include "decode/network_decoder.hpp"

#include <algorithm>
#include <cstring>

#include "decode/tunnel_decoder.hpp"
#include "decode/wire_bytes.hpp"

namespace ringtrack::decode {
namespace {

constexpr uint8_t ip_protocol_tcp = 6;
constexpr uint32_t ipv4_min_header_bytes = 20;
constexpr uint32_t ipv6_header_bytes = 40;
// Ports, seq, ack, data offset, flags and window: Wireshark assigns a segment to a stream
// only with these 16 bytes captured, and agreeing with it keeps counts comparable.
constexpr uint32_t tcp_needed_bytes = 16;
constexpr uint32_t tcp_min_header_bytes = 20;
// Real extension chains are a handful of headers; more is an attack on the decoder.
constexpr unsigned max_ipv6_extension_headers = 12;

// Where the TCP segment sits and how long the IP layer says it is.
struct SegmentBounds {
  uint32_t offset;   // of the TCP header in the captured frame
  uint32_t length;   // TCP header + payload, from the IP lengths
  bool fragment;     // the first fragment of a datagram: its payload is not counted
  uint32_t ip_bytes; // the IP packet's length as its header says (IPFIX's octets)
};

// The timestamp option (RFC 7323) among options_bytes of options at o. Linux and most
// stacks put it first behind two NOPs, which one compare finds; otherwise the list is walked.
inline void read_tcp_options(const uint8_t* o, uint32_t options_bytes, PacketRecord& out) noexcept {
  constexpr uint32_t nop_nop_timestamp = 0x0101080a;
  if (options_bytes >= 12 && load_be32(o) == nop_nop_timestamp) [[likely]] {
    out.tsval = load_be32(o + 4);
    out.tsecr = load_be32(o + 8);
    out.tcp_options = tcp_option::timestamps;
    return;
  }
  for (uint32_t i = 0; i < options_bytes;) {
    const uint8_t kind = o[i];
    if (kind == 0) return;  // end of the list
    if (kind == 1) {        // no-operation
      ++i;
      continue;
    }
    if (i + 1 >= options_bytes || o[i + 1] < 2 || i + o[i + 1] > options_bytes) return;  // malformed
    if (kind == 8 && o[i + 1] == 10) {
      out.tsval = load_be32(o + i + 2);
      out.tsecr = load_be32(o + i + 6);
      out.tcp_options = tcp_option::timestamps;
      return;
    }
    i += o[i + 1];
  }
}

// Everything of a record but the key's addresses and ports and from_a, from a checked
// TCP header at t of header_bytes in an IP packet of ip_bytes. Options are read only when
// the whole header was captured.
inline void fill_tcp_fields(const FrameView& frame, const uint8_t* t, uint32_t header_bytes, uint32_t payload_bytes,
                            uint32_t ip_bytes, uint64_t meta, PacketRecord& out) noexcept {
  out.key.set_meta(meta);
  out.ts_ns = frame.ts_ns;
  out.flow_hash = 0;
  out.seq = load_be32(t + 4);
  out.ack = load_be32(t + 8);
  out.payload_bytes = payload_bytes;
  // A tag the kernel stripped was on the wire: count it as libpcap's re-inserted copy would.
  out.wire_bytes = frame.wire_bytes + (frame.stripped_vlan_id >= 0 ? 4u : 0u);
  out.ip_bytes = ip_bytes;
  out.tcp_flags = t[13];
  out.window = load_be16(t + 14);
  out.tsval = 0;
  out.tsecr = 0;
  out.tcp_options = 0;
  out.gtp_to_outer_b = 0;
  out.gtp_teid = 0;
  if (frame.data + frame.captured_bytes < t + header_bytes) [[unlikely]]
    out.tcp_options = tcp_option::header_cut;
  else if (header_bytes > tcp_min_header_bytes)
    read_tcp_options(t + tcp_min_header_bytes, header_bytes - tcp_min_header_bytes, out);
}

// Checks the TCP header and fills everything of out but the key's addresses and ports
// and from_a. Returns the header's first byte, or null with outcome set.
const uint8_t* read_tcp(const FrameView& frame, SegmentBounds seg, const NetworkLayer& at, bool ipv6,
                        PacketRecord& out, DecodeOutcome& outcome) noexcept {
  // A first fragment may carry fewer than those bytes: what the frame holds after them is
  // the next layer's padding, not TCP.
  if (frame.captured_bytes < seg.offset + tcp_needed_bytes || (seg.fragment && seg.length < tcp_needed_bytes))
      [[unlikely]] {
    outcome = DecodeOutcome::truncated_tcp;
    return nullptr;
  }
  const uint8_t* t = frame.data + seg.offset;
  const uint32_t header_bytes = uint32_t(t[12] >> 4) * 4;
  // A whole segment shorter than its own header is malformed; a first fragment's header
  // may go on in the next fragment. Like Wireshark without reassembly, a fragment's
  // payload is not counted: the rest of the segment is in fragments of no connection.
  if (header_bytes < tcp_min_header_bytes || (!seg.fragment && header_bytes > seg.length)) [[unlikely]] {
    outcome = DecodeOutcome::bad_tcp_header_length;
    return nullptr;
  }
  // Behind a tunnel the key holds the tunnel id, with every VLAN tag folded into it.
  const uint64_t context = at.trail->depth != 0 ? at.trail->key_meta(at.vlan_ids, at.vlan_depth)
                                                : pack_vlan_stack(at.vlan_ids, at.vlan_depth);
  fill_tcp_fields(frame, t, header_bytes, seg.fragment ? 0 : seg.length - header_bytes, seg.ip_bytes,
                  context | (ipv6 ? FlowKey::ipv6_bit : 0), out);
  if (at.trail->depth == 0 && at.vlan_depth > FlowKey::max_vlan_depth) [[unlikely]]
    out.vlan_stack_id = vlan_stack_id(at.vlan_ids, at.vlan_depth);  // the rest: decode_frame's KeyDetail
  outcome = DecodeOutcome::tcp;
  return t;
}

// Canonical order of (address, port) endpoints is byte order of the 16-byte address,
// then port; for IPv4 the mapped prefix is equal, so the 32-bit big-endian value decides.
// dst_at: the destination address's 4 bytes (the header's, or a source route's last entry).
// Always inlined: called from the common path and the general one, GCC would otherwise keep
// one out-of-line copy and the common path would pay a call (7.5 instructions a packet).
[[gnu::always_inline]] inline void set_ipv4_endpoints(PacketRecord& out, const uint8_t* ip, const uint8_t* dst_at,
                                                      const uint8_t* t) noexcept {
  const uint32_t src = load_be32(ip + 12), dst = load_be32(dst_at);
  const uint16_t src_port = load_be16(t), dst_port = load_be16(t + 2);
  const bool src_is_a = src < dst || (src == dst && src_port <= dst_port);
  // ::ffff:a.b.c.d as two little-endian words: zeros, then 00 00 ff ff a b c d.
  uint32_t src_raw, dst_raw;
  std::memcpy(&src_raw, ip + 12, 4);
  std::memcpy(&dst_raw, dst_at, 4);
  const uint64_t mapped_src[2] = {0, 0xffff0000ull | (uint64_t(src_raw) << 32)};
  const uint64_t mapped_dst[2] = {0, 0xffff0000ull | (uint64_t(dst_raw) << 32)};
  std::memcpy(out.key.addr_a.data(), src_is_a ? mapped_src : mapped_dst, 16);
  std::memcpy(out.key.addr_b.data(), src_is_a ? mapped_dst : mapped_src, 16);
  out.key.port_a = src_is_a ? src_port : dst_port;
  out.key.port_b = src_is_a ? dst_port : src_port;
  out.from_a = src_is_a ? 1 : 0;
}

void set_ipv6_endpoints(PacketRecord& out, const uint8_t* ip, const uint8_t* t) noexcept {
  const uint64_t src_hi = load_be64(ip + 8), src_lo = load_be64(ip + 16);
  const uint64_t dst_hi = load_be64(ip + 24), dst_lo = load_be64(ip + 32);
  const uint16_t src_port = load_be16(t), dst_port = load_be16(t + 2);
  const bool src_is_a = src_hi != dst_hi ? src_hi < dst_hi
                        : src_lo != dst_lo ? src_lo < dst_lo
                                           : src_port <= dst_port;
  std::memcpy(out.key.addr_a.data(), ip + (src_is_a ? 8 : 24), 16);
  std::memcpy(out.key.addr_b.data(), ip + (src_is_a ? 24 : 8), 16);
  out.key.port_a = src_is_a ? src_port : dst_port;
  out.key.port_b = src_is_a ? dst_port : src_port;
  out.from_a = src_is_a ? 1 : 0;
}

// Where the destination of an IPv4 header of header_bytes (> 20, all captured) with options
// is: with a loose or strict source route (options 131, 137) still in progress, the header
// names the next hop and the route's last entry is the final destination, which the end
// hosts' TCP uses and Wireshark shows as ip.dst. Wireshark's reading (get_dst_offset in
// packet-ip.c): the first such option decides; a route whose pointer has passed its end is
// done (the header names the final destination again); an option list or pointer that is
// malformed leaves the header's address.
const uint8_t* ipv4_final_destination(const uint8_t* ip, uint32_t header_bytes) noexcept {
  constexpr uint8_t end_of_options = 0, no_operation = 1, loose_route = 131, strict_route = 137;
  const uint8_t* const header_dst = ip + 16;
  for (uint32_t pos = ipv4_min_header_bytes; pos < header_bytes;) {
    const uint8_t type = ip[pos];
    if (type == end_of_options) break;
    if (type == no_operation) {
      ++pos;
      continue;
    }
    if (pos + 2 > header_bytes) break;
    const uint32_t length = ip[pos + 1];
    if (length < 2 || pos + length > header_bytes) break;
    if (type == loose_route || type == strict_route) {
      if (length < 3) break;
      const uint32_t pointer = ip[pos + 2];  // 1-based, to the next address: 4, 8, ...
      if (pointer < 4 || (pointer & 3) != 0 || pointer > length) break;
      return ip + pos + length - 4;  // inside the option: pointer <= length
    }
    pos += length;
  }
  return header_dst;
}

// Jumbo Payload option (RFC 2675) in a hop-by-hop header of header_bytes bytes at h.
uint32_t find_jumbo_length(const uint8_t* h, uint32_t header_bytes) noexcept {
  uint32_t pos = 2;
  while (pos < header_bytes) {
    const uint8_t type = h[pos];
    if (type == 0) {  // Pad1
      ++pos;
      continue;
    }
    if (pos + 2 > header_bytes) break;
    const uint32_t len = h[pos + 1];
    if (type == 0xc2 && len == 4 && pos + 6 <= header_bytes) return load_be32(h + pos + 2);
    pos += 2 + len;
  }
  return 0;
}

}  // namespace

bool decode_common_ipv4_tcp(const FrameView& frame, PacketRecord& out) noexcept {
  constexpr uint32_t ethernet_bytes = 14;
  if (frame.stripped_vlan_id >= 0 || frame.captured_bytes < ethernet_bytes + 20 + tcp_needed_bytes) return false;
  const uint8_t* ip = frame.data + ethernet_bytes;
  // Ethertype IPv4, version 4 with a 20-byte header, protocol TCP, no fragment bits.
  if (load_be16(frame.data + 12) != 0x0800 || ip[0] != 0x45 || ip[9] != ip_protocol_tcp ||
      (load_be16(ip + 6) & 0x3fff) != 0)
    return false;
  const uint32_t total_bytes = load_be16(ip + 2);
  const uint8_t* t = ip + 20;
  const uint32_t header_bytes = uint32_t(t[12] >> 4) * 4;
  // Lengths that need no capping or second look: anything else is the general path's.
  if (total_bytes + ethernet_bytes > frame.wire_bytes || header_bytes < tcp_min_header_bytes ||
      header_bytes + 20 > total_bytes)
    return false;
  fill_tcp_fields(frame, t, header_bytes, total_bytes - 20 - header_bytes, total_bytes, 0, out);
  set_ipv4_endpoints(out, ip, ip + 16, t);
  return true;
}

DecodeOutcome decode_ipv4(const FrameView& frame, const NetworkLayer& at, PacketRecord& out) noexcept {
  if (frame.captured_bytes < at.offset + ipv4_min_header_bytes) return DecodeOutcome::truncated_ip;
  const uint8_t* ip = frame.data + at.offset;
  if ((ip[0] >> 4) != 4) return DecodeOutcome::bad_ip_version;
  const uint32_t header_bytes = uint32_t(ip[0] & 0x0f) * 4;
  if (header_bytes < ipv4_min_header_bytes) return DecodeOutcome::bad_ip_header_length;

  uint32_t total_bytes = load_be16(ip + 2);
  // TSO/GSO super-frames captured on the sending host carry total length 0.
  if (total_bytes == 0) total_bytes = at.available_bytes;
  // A length beyond the frame counts only what the frame carried, as Wireshark does; the
  // IP bytes are the header's (what an exporter reports, and Wireshark's ip.len).
  const uint32_t ip_bytes = total_bytes;
  total_bytes = std::min(total_bytes, at.available_bytes);
  if (total_bytes < header_bytes) return DecodeOutcome::bad_ip_header_length;

  const uint16_t fragment_field = load_be16(ip + 6);
  const bool more_fragments = (fragment_field & 0x2000) != 0;
  const bool later_fragment = (fragment_field & 0x1fff) != 0;
  // A later fragment belongs to no connection, whatever it carries.
  if (later_fragment) return DecodeOutcome::fragment_tail;
  if (ip[9] != ip_protocol_tcp) {
    // A first fragment's tunnel is opened as far as the fragment goes (no reassembly).
    if (!may_be_tunnel(ip[9])) return DecodeOutcome::not_tcp;
    return decode_tunnel(frame, {at.offset + header_bytes, total_bytes - header_bytes, ip[9], 4, ip + 12, ip + 16},
                         at, out);
  }

  DecodeOutcome outcome;
  const uint8_t* t = read_tcp(frame, {at.offset + header_bytes, total_bytes - header_bytes, more_fragments, ip_bytes},
                              at, /*ipv6=*/false, out, outcome);
  if (t) {
    // Options are read only when there are any, so a plain header costs one compare; read_tcp
    // has checked that the header and the TCP bytes after it were captured.
    const uint8_t* dst_at = header_bytes > ipv4_min_header_bytes ? ipv4_final_destination(ip, header_bytes) : ip + 16;
    set_ipv4_endpoints(out, ip, dst_at, t);
  }
  return outcome;
}

DecodeOutcome decode_ipv6(const FrameView& frame, const NetworkLayer& at, PacketRecord& out) noexcept {
  const uint32_t offset = at.offset;
  if (frame.captured_bytes < offset + ipv6_header_bytes) return DecodeOutcome::truncated_ip;
  const uint8_t* ip = frame.data + offset;
  if ((ip[0] >> 4) != 6) return DecodeOutcome::bad_ip_version;

  uint32_t next = ip[6];
  uint32_t pos = offset + ipv6_header_bytes;
  uint32_t jumbo_bytes = 0;
  bool fragment = false;
  for (unsigned n = 0; next != ip_protocol_tcp && !may_be_tunnel(uint8_t(next)); ++n) {
    if (n == max_ipv6_extension_headers) return DecodeOutcome::bad_extension_chain;
    uint32_t header_bytes;
    switch (next) {
      case 0:    // hop-by-hop options
      case 43:   // routing
      case 60:   // destination options
      case 135:  // mobility
      case 139:  // HIP
      case 140:  // shim6
        if (frame.captured_bytes < pos + 2) return DecodeOutcome::truncated_ip;
        header_bytes = (uint32_t(frame.data[pos + 1]) + 1) * 8;
        if (frame.captured_bytes < pos + header_bytes) return DecodeOutcome::truncated_ip;
        if (next == 0 && n == 0) jumbo_bytes = find_jumbo_length(frame.data + pos, header_bytes);
        break;
      case 51:  // authentication header: length in 4-byte units, minus 2
        if (frame.captured_bytes < pos + 2) return DecodeOutcome::truncated_ip;
        header_bytes = (uint32_t(frame.data[pos + 1]) + 2) * 4;
        if (frame.captured_bytes < pos + header_bytes) return DecodeOutcome::truncated_ip;
        break;
      case 44: {  // fragment
        header_bytes = 8;
        if (frame.captured_bytes < pos + header_bytes) return DecodeOutcome::truncated_ip;
        const uint16_t fragment_field = load_be16(frame.data + pos + 2);
        if ((fragment_field & 0xfff8) != 0) return DecodeOutcome::fragment_tail;
        fragment = (fragment_field & 1) != 0;  // an atomic fragment (M=0) is whole
        break;
      }
      default:  // UDP, ICMPv6, ESP, no next header...
        return DecodeOutcome::not_tcp;
    }
    next = frame.data[pos];
    pos += header_bytes;
  }

  const uint32_t on_wire =
      at.available_bytes > ipv6_header_bytes ? at.available_bytes - ipv6_header_bytes : 0;
  uint32_t payload_bytes = load_be16(ip + 4);
  // Payload length 0: a jumbogram (RFC 2675), or a BIG TCP / GRO frame whose length
  // only the frame itself knows.
  if (payload_bytes == 0) payload_bytes = jumbo_bytes != 0 ? jumbo_bytes : on_wire;
  const uint32_t ip_bytes = ipv6_header_bytes + payload_bytes;
  payload_bytes = std::min(payload_bytes, on_wire);
  const uint32_t extension_bytes = pos - (offset + ipv6_header_bytes);
  if (extension_bytes > payload_bytes) return DecodeOutcome::bad_extension_chain;
  if (next != ip_protocol_tcp)
    return decode_tunnel(frame, {pos, payload_bytes - extension_bytes, uint8_t(next), 16, ip + 8, ip + 24}, at, out);

  DecodeOutcome outcome;
  const uint8_t* t =
      read_tcp(frame, {pos, payload_bytes - extension_bytes, fragment, ip_bytes}, at, /*ipv6=*/true, out, outcome);
  if (t) set_ipv6_endpoints(out, ip, t);
  return outcome;
}

}  // namespace ringtrack::decode
