// Owns: valid frames from a session's fields: option layouts, checksums over the payload pool, fragment slicing.
// Does not own: header byte layouts (tools/frames) or which segments exist (session_traffic).
#include "frame_builder.hpp"

#include <cstring>

#include "frames/byte_order.hpp"
#include "frames/internet_checksum.hpp"

namespace ringtrack::pcapgen {
namespace {

uint64_t pseudo_header_sum(const IpFields& ip, uint8_t protocol, uint32_t transport_bytes) noexcept {
  return frames::pseudo_header_sum(ip.src, ip.dst, protocol, transport_bytes);
}

/// after_header_bytes: what follows the header and its options (transport bytes or a piece).
std::size_t write_ipv4_header(uint8_t* out, const IpFields& ip, uint8_t protocol, uint32_t after_header_bytes,
                              uint16_t flags_and_offset) noexcept {
  frames::Ipv4Header header;
  const auto option_bytes = static_cast<uint32_t>(ip.ipv4_options.size());
  header.header_words = static_cast<uint8_t>((frames::ipv4_header_bytes + option_bytes) / 4);
  header.options = ip.ipv4_options;
  header.total_bytes = static_cast<uint16_t>(frames::ipv4_header_bytes + option_bytes + after_header_bytes);
  header.id = ip.ipv4_id;
  header.flags_and_offset = flags_and_offset;
  header.ttl = ip.ttl;
  header.protocol = protocol;
  header.src = ip.src;
  header.dst = ip.ipv4_header_dst.value_or(ip.dst);
  return frames::write_ipv4_header(out, header);
}

std::size_t write_ipv6_header(uint8_t* out, const IpFields& ip, uint8_t next_header, uint32_t payload_bytes) noexcept {
  frames::Ipv6Header header;
  header.flow_label = ip.ipv6_flow_label;
  header.payload_bytes = static_cast<uint16_t>(payload_bytes);
  header.next_header = next_header;
  header.hop_limit = ip.ttl;
  header.src = ip.src;
  header.dst = ip.dst;
  return frames::write_ipv6_header(out, header);
}

/// Writes the TCP header with a zero checksum; returns its length.
std::size_t write_tcp_header(uint8_t* out, const TcpFields& tcp) noexcept {
  frames::TcpOptionBytes options;
  switch (tcp.options) {
    case TcpOptions::none: break;
    case TcpOptions::syn: options = frames::syn_options(tcp.mss, tcp.window_scale, tcp.tsval, tcp.tsecr); break;
    case TcpOptions::timestamps: options = frames::timestamp_options(tcp.tsval, tcp.tsecr); break;
  }
  frames::TcpHeader header;
  header.src_port = tcp.src_port;
  header.dst_port = tcp.dst_port;
  header.seq = tcp.seq;
  header.ack = tcp.ack;
  header.flags = tcp.flags;
  header.window = tcp.window;
  header.options = options.span();
  return frames::write_tcp_header(out, header);
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
    case TcpOptions::none: return frames::tcp_fixed_header_bytes;
    case TcpOptions::syn: return frames::tcp_fixed_header_bytes + 20;
    case TcpOptions::timestamps: return frames::tcp_fixed_header_bytes + 12;
  }
  return frames::tcp_fixed_header_bytes;
}

FrameBuilder::FrameBuilder(frames::LinkWriter link, const PayloadPool& pool, uint8_t capture_interface)
    : _link(link), _pool(pool), _capture_interface(capture_interface), _segment(PayloadPool::capacity_bytes + 64) {}

std::size_t FrameBuilder::write_link(frames::LinkHeaderSpec& link, bool ipv6) noexcept {
  link.ethertype = ipv6 ? frames::ethertype_ipv6 : frames::ethertype_ipv4;
  return _link.write(_head.data(), link);
}

BuiltFrame FrameBuilder::tcp_frame(frames::LinkHeaderSpec link, const IpFields& ip, const TcpFields& tcp,
                                   uint32_t payload_bytes, uint32_t min_wire_bytes) noexcept {
  const bool ipv6 = ip.src.is_v6;
  uint8_t* const out = _head.data();
  const uint32_t header_bytes = tcp_header_bytes(tcp.options);
  const uint32_t transport_bytes = header_bytes + payload_bytes;
  link.network_bytes = uint32_t(ipv6 ? frames::ipv6_header_bytes : frames::ipv4_header_bytes) + transport_bytes;
  const std::size_t link_bytes = write_link(link, ipv6);
  std::size_t ip_bytes = 0;
  if (ipv6) {
    ip_bytes = write_ipv6_header(out + link_bytes, ip, frames::ip_protocol_tcp, transport_bytes);
  } else {
    ip_bytes = write_ipv4_header(out + link_bytes, ip, frames::ip_protocol_tcp, transport_bytes,
                                 frames::ipv4_dont_fragment);
  }
  uint8_t* const tcp_header = out + link_bytes + ip_bytes;
  write_tcp_header(tcp_header, tcp);
  uint64_t sum = pseudo_header_sum(ip, frames::ip_protocol_tcp, transport_bytes);
  sum = frames::add_checksum_words(tcp_header, header_bytes, sum);
  sum += _pool.prefix_word_sum(payload_bytes);
  frames::store_be16(tcp_header + frames::tcp_checksum_offset, frames::finish_checksum(sum));

  std::size_t head_bytes = link_bytes + ip_bytes + header_bytes;
  if (payload_bytes == 0 && head_bytes < min_wire_bytes) {
    std::memset(out + head_bytes, 0, min_wire_bytes - head_bytes);
    head_bytes = min_wire_bytes;
  }
  BuiltFrame frame;
  frame.capture_interface = _capture_interface;
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
  uint64_t sum = pseudo_header_sum(ip, frames::ip_protocol_tcp, header_bytes + payload_bytes);
  sum = frames::add_checksum_words(segment, header_bytes, sum);
  sum += _pool.prefix_word_sum(payload_bytes);
  frames::store_be16(segment + frames::tcp_checksum_offset, frames::finish_checksum(sum));
  return plan_fragments(frames::ip_protocol_tcp, header_bytes + payload_bytes, header_bytes, fragment_count);
}

StagedSegment FrameBuilder::stage_udp(const IpFields& ip, uint16_t src_port, uint16_t dst_port, uint32_t payload_bytes,
                                      uint32_t fragment_count) noexcept {
  uint8_t* const segment = _segment.data();
  const uint32_t datagram_bytes = frames::udp_header_bytes + payload_bytes;
  frames::write_udp_header(segment, {src_port, dst_port, static_cast<uint16_t>(datagram_bytes), 0});
  std::memcpy(segment + frames::udp_header_bytes, _pool.data(), payload_bytes);
  uint64_t sum = pseudo_header_sum(ip, frames::ip_protocol_udp, datagram_bytes);
  sum = frames::add_checksum_words(segment, datagram_bytes, sum);
  uint16_t checksum = frames::finish_checksum(sum);
  if (checksum == 0) {
    checksum = 0xFFFF;  // RFC 768: zero means "no checksum"
  }
  frames::store_be16(segment + frames::udp_checksum_offset, checksum);
  return plan_fragments(frames::ip_protocol_udp, datagram_bytes, frames::udp_header_bytes, fragment_count);
}

BuiltFrame FrameBuilder::fragment_frame(frames::LinkHeaderSpec link, const IpFields& ip, const StagedSegment& staged,
                                        uint32_t index, uint32_t fragment_id) noexcept {
  const bool ipv6 = ip.src.is_v6;
  const uint32_t offset_bytes = index * staged.piece_bytes;
  const uint32_t left_bytes = staged.segment_bytes - offset_bytes;
  const uint32_t piece_bytes = left_bytes < staged.piece_bytes ? left_bytes : staged.piece_bytes;
  const bool more_fragments = offset_bytes + piece_bytes < staged.segment_bytes;

  uint8_t* const out = _head.data();
  link.network_bytes = piece_bytes + uint32_t(ipv6 ? frames::ipv6_header_bytes + frames::ipv6_fragment_header_bytes
                                                   : frames::ipv4_header_bytes);
  const std::size_t link_bytes = write_link(link, ipv6);
  std::size_t ip_bytes = 0;
  if (ipv6) {
    ip_bytes = write_ipv6_header(out + link_bytes, ip, frames::ipv6_next_fragment,
                                 frames::ipv6_fragment_header_bytes + piece_bytes);
    frames::Ipv6FragmentHeader fragment;
    fragment.next_header = staged.protocol;
    fragment.offset_and_more = static_cast<uint16_t>(((offset_bytes / 8) << 3) | (more_fragments ? 1U : 0U));
    fragment.id = fragment_id;
    ip_bytes += frames::write_ipv6_fragment_header(out + link_bytes + ip_bytes, fragment);
  } else {
    IpFields fragment_ip = ip;
    fragment_ip.ipv4_id = static_cast<uint16_t>(fragment_id);
    const auto flags_and_offset =
        static_cast<uint16_t>((more_fragments ? frames::ipv4_more_fragments : 0U) | (offset_bytes / 8));
    ip_bytes = write_ipv4_header(out + link_bytes, fragment_ip, staged.protocol, piece_bytes, flags_and_offset);
  }
  BuiltFrame frame;
  frame.capture_interface = _capture_interface;
  frame.head = {out, link_bytes + ip_bytes};
  frame.tail = {_segment.data() + offset_bytes, piece_bytes};
  frame.wire_bytes = static_cast<uint32_t>(link_bytes + ip_bytes) + piece_bytes;
  if (index == 0 && staged.protocol == frames::ip_protocol_tcp) {
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
