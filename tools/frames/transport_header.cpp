// Owns: the byte layout of the TCP and UDP headers and options transport_header.hpp declares.
// Does not own: which values the fields carry.
#include "frames/transport_header.hpp"

#include <cstring>

#include "frames/byte_order.hpp"
#include "frames/internet_checksum.hpp"

namespace ringtrack::frames {

std::size_t write_tcp_header(uint8_t* out, const TcpHeader& tcp) noexcept {
  const std::size_t header_bytes = tcp_fixed_header_bytes + tcp.options.size();
  const uint8_t offset_words = tcp.data_offset_words ? *tcp.data_offset_words : uint8_t(header_bytes / 4);
  store_be16(out, tcp.src_port);
  store_be16(out + 2, tcp.dst_port);
  store_be32(out + 4, tcp.seq);
  store_be32(out + 8, tcp.ack);
  out[12] = static_cast<uint8_t>((offset_words << 4) | (tcp.reserved & 0x0F));
  out[13] = tcp.flags;
  store_be16(out + 14, tcp.window);
  store_be16(out + tcp_checksum_offset, tcp.checksum);
  store_be16(out + 18, tcp.urgent);
  if (!tcp.options.empty()) std::memcpy(out + tcp_fixed_header_bytes, tcp.options.data(), tcp.options.size());
  return header_bytes;
}

TcpOptionBytes syn_options(uint16_t mss, uint8_t window_scale, uint32_t tsval, uint32_t tsecr) noexcept {
  TcpOptionBytes options;
  uint8_t* const option = options.bytes.data();
  option[0] = 2;  // MSS
  option[1] = 4;
  store_be16(option + 2, mss);
  option[4] = 4;  // SACK permitted
  option[5] = 2;
  option[6] = 8;  // timestamps
  option[7] = 10;
  store_be32(option + 8, tsval);
  store_be32(option + 12, tsecr);
  option[16] = 1;  // NOP
  option[17] = 3;  // window scale
  option[18] = 3;
  option[19] = window_scale;
  options.size = 20;
  return options;
}

TcpOptionBytes timestamp_options(uint32_t tsval, uint32_t tsecr) noexcept {
  TcpOptionBytes options;
  uint8_t* const option = options.bytes.data();
  option[0] = 1;  // NOP
  option[1] = 1;
  option[2] = 8;  // timestamps
  option[3] = 10;
  store_be32(option + 4, tsval);
  store_be32(option + 8, tsecr);
  options.size = 12;
  return options;
}

std::size_t write_udp_header(uint8_t* out, const UdpHeader& udp) noexcept {
  store_be16(out, udp.src_port);
  store_be16(out + 2, udp.dst_port);
  store_be16(out + 4, udp.length_bytes);
  store_be16(out + udp_checksum_offset, udp.checksum);
  return udp_header_bytes;
}

uint64_t pseudo_header_sum(const IpAddress& src, const IpAddress& dst, uint8_t protocol,
                           uint32_t transport_bytes) noexcept {
  uint64_t sum = add_checksum_words(src.bytes.data(), src.length_bytes(), 0);
  sum = add_checksum_words(dst.bytes.data(), dst.length_bytes(), sum);
  sum += protocol;
  sum += transport_bytes >> 16;
  sum += transport_bytes & 0xFFFF;
  return sum;
}

}  // namespace ringtrack::frames
