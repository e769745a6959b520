// Owns: IPv4/IPv6/TCP/UDP header encoding, checksums and fragment slicing for valid frames.
// Does not own: link header bytes (link_layer) or which segments exist (session_traffic).
#include "frame_builder.hpp"

#include <cstring>

#include "byte_order.hpp"
#include "internet_checksum.hpp"

namespace ringtrack::pcapgen {
namespace {

constexpr uint32_t ipv4_header_bytes = 20;
constexpr uint32_t ipv6_header_bytes = 40;
constexpr uint32_t ipv6_fragment_header_bytes = 8;
constexpr uint32_t udp_header_bytes = 8;
constexpr uint8_t ipv6_next_fragment = 44;
constexpr uint16_t ipv4_dont_fragment = 0x4000;
constexpr uint16_t ipv4_more_fragments = 0x2000;

uint64_t pseudo_header_sum(const IpFields& ip, uint8_t protocol, uint32_t transport_bytes) noexcept {
  uint64_t sum = add_checksum_words(ip.src.bytes.data(), ip.src.length_bytes(), 0);
  sum = add_checksum_words(ip.dst.bytes.data(), ip.dst.length_bytes(), sum);
  sum += protocol;
  sum += transport_bytes >> 16;
  sum += transport_bytes & 0xFFFF;
  return sum;
}

std::size_t write_ipv4_header(uint8_t* out, const IpFields& ip, uint8_t protocol, uint32_t total_bytes,
                              uint16_t flags_and_offset) noexcept {
  out[0] = 0x45;  // version 4, IHL 5
  out[1] = 0;
  store_be16(out + 2, static_cast<uint16_t>(total_bytes));
  store_be16(out + 4, ip.ipv4_id);
  store_be16(out + 6, flags_and_offset);
  out[8] = ip.ttl;
  out[9] = protocol;
  store_be16(out + 10, 0);
  std::memcpy(out + 12, ip.src.bytes.data(), 4);
  std::memcpy(out + 16, ip.dst.bytes.data(), 4);
  store_be16(out + 10, finish_checksum(add_checksum_words(out, ipv4_header_bytes, 0)));
  return ipv4_header_bytes;
}

std::size_t write_ipv6_header(uint8_t* out, const IpFields& ip, uint8_t next_header, uint32_t payload_bytes) noexcept {
  store_be32(out, (6U << 28) | (ip.ipv6_flow_label & 0xFFFFF));
  store_be16(out + 4, static_cast<uint16_t>(payload_bytes));
  out[6] = next_header;
  out[7] = ip.ttl;
  std::memcpy(out + 8, ip.src.bytes.data(), 16);
  std::memcpy(out + 24, ip.dst.bytes.data(), 16);
  return ipv6_header_bytes;
}

/// Writes the TCP header with a zero checksum; returns its length.
std::size_t write_tcp_header(uint8_t* out, const TcpFields& tcp) noexcept {
  const uint32_t header_bytes = tcp_header_bytes(tcp.options);
  store_be16(out, tcp.src_port);
  store_be16(out + 2, tcp.dst_port);
  store_be32(out + 4, tcp.seq);
  store_be32(out + 8, tcp.ack);
  out[12] = static_cast<uint8_t>((header_bytes / 4) << 4);
  out[13] = tcp.flags;
  store_be16(out + 14, tcp.window);
  store_be16(out + 16, 0);
  store_be16(out + 18, 0);
  uint8_t* option = out + tcp_fixed_header_bytes;
  switch (tcp.options) {
    case TcpOptions::none: break;
    case TcpOptions::syn:
      option[0] = 2;  // MSS
      option[1] = 4;
      store_be16(option + 2, tcp.mss);
      option[4] = 4;  // SACK permitted
      option[5] = 2;
      option[6] = 8;  // timestamps
      option[7] = 10;
      store_be32(option + 8, tcp.tsval);
      store_be32(option + 12, tcp.tsecr);
      option[16] = 1;  // NOP
      option[17] = 3;  // window scale
      option[18] = 3;
      option[19] = tcp.window_scale;
      break;
    case TcpOptions::timestamps:
      option[0] = 1;
      option[1] = 1;
      option[2] = 8;
      option[3] = 10;
      store_be32(option + 4, tcp.tsval);
      store_be32(option + 8, tcp.tsecr);
      break;
  }
  return header_bytes;
}

StagedSegment plan_fragments(uint8_t protocol, uint32_t segment_bytes, uint32_t header_bytes,
                             uint32_t fragment_count) noexcept {
  StagedSegment staged;
  staged.protocol = protocol;
  staged.segment_bytes = segment_bytes;
  staged.transport_header_bytes = header_bytes;
  if (fragment_count <= 1) {
    staged.piece_bytes = segment_bytes;
    staged.fragment_count = 1;
    return staged;
  }
  // Fragment offsets count 8-byte units, so every piece but the last is a multiple of 8.
  const uint32_t even_share = (segment_bytes + fragment_count - 1) / fragment_count;
  staged.piece_bytes = (even_share + 7) / 8 * 8;
  staged.fragment_count = (segment_bytes + staged.piece_bytes - 1) / staged.piece_bytes;
  return staged;
}

}  // namespace

uint32_t tcp_header_bytes(TcpOptions options) noexcept {
  switch (options) {
    case TcpOptions::none: return tcp_fixed_header_bytes;
    case TcpOptions::syn: return tcp_fixed_header_bytes + 20;
    case TcpOptions::timestamps: return tcp_fixed_header_bytes + 12;
  }
  return tcp_fixed_header_bytes;
}

FrameBuilder::FrameBuilder(LinkWriter link, const PayloadPool& pool)
    : _link(link), _pool(pool), _segment(PayloadPool::capacity_bytes + 64) {}

std::size_t FrameBuilder::write_link(LinkHeaderSpec& link, bool ipv6) noexcept {
  link.ethertype = ipv6 ? ethertype_ipv6 : ethertype_ipv4;
  return _link.write(_head.data(), link);
}

BuiltFrame FrameBuilder::tcp_frame(LinkHeaderSpec link, const IpFields& ip, const TcpFields& tcp,
                                   uint32_t payload_bytes, uint32_t min_wire_bytes) noexcept {
  const bool ipv6 = ip.src.is_v6;
  uint8_t* const out = _head.data();
  const std::size_t link_bytes = write_link(link, ipv6);
  const uint32_t header_bytes = tcp_header_bytes(tcp.options);
  const uint32_t transport_bytes = header_bytes + payload_bytes;
  std::size_t ip_bytes = 0;
  if (ipv6) {
    ip_bytes = write_ipv6_header(out + link_bytes, ip, ip_protocol_tcp, transport_bytes);
  } else {
    ip_bytes = write_ipv4_header(out + link_bytes, ip, ip_protocol_tcp, ipv4_header_bytes + transport_bytes,
                                 ipv4_dont_fragment);
  }
  uint8_t* const tcp_header = out + link_bytes + ip_bytes;
  write_tcp_header(tcp_header, tcp);
  uint64_t sum = pseudo_header_sum(ip, ip_protocol_tcp, transport_bytes);
  sum = add_checksum_words(tcp_header, header_bytes, sum);
  sum += _pool.prefix_word_sum(payload_bytes);
  store_be16(tcp_header + 16, finish_checksum(sum));

  std::size_t head_bytes = link_bytes + ip_bytes + header_bytes;
  if (payload_bytes == 0 && head_bytes < min_wire_bytes) {
    std::memset(out + head_bytes, 0, min_wire_bytes - head_bytes);
    head_bytes = min_wire_bytes;
  }
  BuiltFrame frame;
  frame.head = {out, head_bytes};
  frame.tail = {_pool.data(), payload_bytes};
  frame.wire_bytes = static_cast<uint32_t>(head_bytes) + payload_bytes;
  frame.decode_bytes = static_cast<uint32_t>(link_bytes + ip_bytes) + tcp_counted_header_bytes;
  frame.tcp_payload_bytes = payload_bytes;
  return frame;
}

StagedSegment FrameBuilder::stage_tcp(const IpFields& ip, const TcpFields& tcp, uint32_t payload_bytes,
                                      uint32_t fragment_count) noexcept {
  uint8_t* const segment = _segment.data();
  const uint32_t header_bytes = static_cast<uint32_t>(write_tcp_header(segment, tcp));
  std::memcpy(segment + header_bytes, _pool.data(), payload_bytes);
  uint64_t sum = pseudo_header_sum(ip, ip_protocol_tcp, header_bytes + payload_bytes);
  sum = add_checksum_words(segment, header_bytes, sum);
  sum += _pool.prefix_word_sum(payload_bytes);
  store_be16(segment + 16, finish_checksum(sum));
  return plan_fragments(ip_protocol_tcp, header_bytes + payload_bytes, header_bytes, fragment_count);
}

StagedSegment FrameBuilder::stage_udp(const IpFields& ip, uint16_t src_port, uint16_t dst_port, uint32_t payload_bytes,
                                      uint32_t fragment_count) noexcept {
  uint8_t* const segment = _segment.data();
  const uint32_t datagram_bytes = udp_header_bytes + payload_bytes;
  store_be16(segment, src_port);
  store_be16(segment + 2, dst_port);
  store_be16(segment + 4, static_cast<uint16_t>(datagram_bytes));
  store_be16(segment + 6, 0);
  std::memcpy(segment + udp_header_bytes, _pool.data(), payload_bytes);
  uint64_t sum = pseudo_header_sum(ip, ip_protocol_udp, datagram_bytes);
  sum = add_checksum_words(segment, datagram_bytes, sum);
  uint16_t checksum = finish_checksum(sum);
  if (checksum == 0) {
    checksum = 0xFFFF;  // RFC 768: zero means "no checksum"
  }
  store_be16(segment + 6, checksum);
  return plan_fragments(ip_protocol_udp, datagram_bytes, udp_header_bytes, fragment_count);
}

BuiltFrame FrameBuilder::fragment_frame(LinkHeaderSpec link, const IpFields& ip, const StagedSegment& staged,
                                        uint32_t index, uint32_t fragment_id) noexcept {
  const bool ipv6 = ip.src.is_v6;
  const uint32_t offset_bytes = index * staged.piece_bytes;
  const uint32_t left_bytes = staged.segment_bytes - offset_bytes;
  const uint32_t piece_bytes = left_bytes < staged.piece_bytes ? left_bytes : staged.piece_bytes;
  const bool more_fragments = offset_bytes + piece_bytes < staged.segment_bytes;

  uint8_t* const out = _head.data();
  const std::size_t link_bytes = write_link(link, ipv6);
  std::size_t ip_bytes = 0;
  if (ipv6) {
    ip_bytes = write_ipv6_header(out + link_bytes, ip, ipv6_next_fragment, ipv6_fragment_header_bytes + piece_bytes);
    uint8_t* const fragment_header = out + link_bytes + ip_bytes;
    fragment_header[0] = staged.protocol;
    fragment_header[1] = 0;
    store_be16(fragment_header + 2, static_cast<uint16_t>(((offset_bytes / 8) << 3) | (more_fragments ? 1U : 0U)));
    store_be32(fragment_header + 4, fragment_id);
    ip_bytes += ipv6_fragment_header_bytes;
  } else {
    IpFields fragment_ip = ip;
    fragment_ip.ipv4_id = static_cast<uint16_t>(fragment_id);
    const auto flags_and_offset =
        static_cast<uint16_t>((more_fragments ? ipv4_more_fragments : 0U) | (offset_bytes / 8));
    ip_bytes = write_ipv4_header(out + link_bytes, fragment_ip, staged.protocol, ipv4_header_bytes + piece_bytes,
                                 flags_and_offset);
  }
  BuiltFrame frame;
  frame.head = {out, link_bytes + ip_bytes};
  frame.tail = {_segment.data() + offset_bytes, piece_bytes};
  frame.wire_bytes = static_cast<uint32_t>(link_bytes + ip_bytes) + piece_bytes;
  if (index == 0 && staged.protocol == ip_protocol_tcp) {
    frame.decode_bytes = static_cast<uint32_t>(link_bytes + ip_bytes) + tcp_counted_header_bytes;
    // Like Wireshark without reassembly: a fragment's payload is not counted; an
    // atomic fragment (the only piece) is a whole segment.
    frame.tcp_payload_bytes = !more_fragments && piece_bytes > staged.transport_header_bytes
                                  ? piece_bytes - staged.transport_header_bytes
                                  : 0;
  }
  return frame;
}

}  // namespace ringtrack::pcapgen
