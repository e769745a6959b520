// Owns: IPv4/IPv6/TCP header decoding and the canonical ordering of a record's endpoints.
// Does not own: link framing, hashing, flow state.
#include "decode/network_decoder.hpp"

#include <algorithm>
#include <cstring>

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

// The addresses a packet carries, before canonical ordering.
struct AddressPair {
  std::array<uint8_t, 16> src{};
  std::array<uint8_t, 16> dst{};
  bool ipv6 = false;
};

// Where the TCP segment sits and how long the IP layer says it is.
struct SegmentBounds {
  uint32_t offset;   // of the TCP header in the captured frame
  uint32_t length;   // TCP header + payload, from the IP lengths
  bool fragment;     // the first fragment of a datagram: its payload is not counted
};

void map_ipv4(std::array<uint8_t, 16>& dst, const uint8_t* ipv4) noexcept {
  dst[10] = 0xff;
  dst[11] = 0xff;
  std::memcpy(dst.data() + 12, ipv4, 4);
}

DecodeOutcome decode_tcp(const FrameView& frame, const AddressPair& addrs, SegmentBounds seg,
                         const NetworkLayer& at, PacketRecord& out) noexcept {
  if (frame.captured_bytes < seg.offset + tcp_needed_bytes) return DecodeOutcome::truncated_tcp;
  const uint8_t* t = frame.data + seg.offset;
  const uint32_t header_bytes = uint32_t(t[12] >> 4) * 4;
  if (header_bytes < tcp_min_header_bytes) return DecodeOutcome::bad_tcp_header_length;
  // A whole segment shorter than its own header is malformed; a first fragment's header
  // may go on in the next fragment. Like Wireshark without reassembly, a fragment's
  // payload is not counted: the rest of the segment is in fragments of no connection.
  if (!seg.fragment && header_bytes > seg.length) return DecodeOutcome::bad_tcp_header_length;
  const uint32_t payload_bytes = seg.fragment ? 0 : seg.length - header_bytes;

  const uint32_t meta =
      pack_vlan_stack(at.vlan_ids, at.vlan_depth) | (addrs.ipv6 ? FlowKey::ipv6_bit : 0u);
  const bool src_is_a =
      make_flow_key(out.key, addrs.src, load_be16(t), addrs.dst, load_be16(t + 2), meta);

  out.ts_ns = frame.ts_ns;
  out.flow_hash = 0;
  out.seq = load_be32(t + 4);
  out.ack = load_be32(t + 8);
  out.payload_bytes = payload_bytes;
  // A tag the kernel stripped was on the wire: count it as libpcap's re-inserted copy would.
  out.wire_bytes = frame.wire_bytes + (frame.stripped_vlan_id >= 0 ? 4u : 0u);
  out.tcp_flags = t[13];
  out.from_a = src_is_a ? 1 : 0;
  out.kind = packet_kind::tcp;
  std::memset(out.pad, 0, sizeof out.pad);
  return DecodeOutcome::tcp;
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

DecodeOutcome decode_ipv4(const FrameView& frame, const NetworkLayer& at, PacketRecord& out) noexcept {
  if (frame.captured_bytes < at.offset + ipv4_min_header_bytes) return DecodeOutcome::truncated_ip;
  const uint8_t* ip = frame.data + at.offset;
  if ((ip[0] >> 4) != 4) return DecodeOutcome::bad_ip_version;
  const uint32_t header_bytes = uint32_t(ip[0] & 0x0f) * 4;
  if (header_bytes < ipv4_min_header_bytes) return DecodeOutcome::bad_ip_header_length;

  uint32_t total_bytes = load_be16(ip + 2);
  // TSO/GSO super-frames captured on the sending host carry total length 0.
  if (total_bytes == 0) total_bytes = at.available_bytes;
  if (total_bytes < header_bytes) return DecodeOutcome::bad_ip_header_length;
  // A length beyond the frame counts only what the frame carried, as Wireshark does.
  total_bytes = std::min(total_bytes, at.available_bytes);
  if (total_bytes < header_bytes) return DecodeOutcome::bad_ip_header_length;

  const uint16_t fragment_field = load_be16(ip + 6);
  const bool more_fragments = (fragment_field & 0x2000) != 0;
  const bool later_fragment = (fragment_field & 0x1fff) != 0;
  // A later fragment belongs to no connection, whatever it carries.
  if (later_fragment) return DecodeOutcome::fragment_tail;
  if (ip[9] != ip_protocol_tcp) return DecodeOutcome::not_tcp;

  AddressPair addrs;
  map_ipv4(addrs.src, ip + 12);
  map_ipv4(addrs.dst, ip + 16);
  return decode_tcp(frame, addrs, {at.offset + header_bytes, total_bytes - header_bytes, more_fragments},
                    at, out);
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
  for (unsigned n = 0; next != ip_protocol_tcp; ++n) {
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
  payload_bytes = std::min(payload_bytes, on_wire);
  const uint32_t extension_bytes = pos - (offset + ipv6_header_bytes);
  if (extension_bytes > payload_bytes) return DecodeOutcome::bad_extension_chain;

  AddressPair addrs;
  addrs.ipv6 = true;
  std::memcpy(addrs.src.data(), ip + 8, 16);
  std::memcpy(addrs.dst.data(), ip + 24, 16);
  return decode_tcp(frame, addrs, {pos, payload_bytes - extension_bytes, fragment}, at, out);
}

}  // namespace ringtrack::decode
