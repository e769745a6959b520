// Owns: the byte layout of the IPv4, IPv6, extension and Fragment headers ip_header.hpp declares.
// Does not own: which values the fields carry.
#include "frames/ip_header.hpp"

#include <cstring>

#include "frames/byte_order.hpp"
#include "frames/internet_checksum.hpp"

namespace ringtrack::frames {

std::size_t write_ipv4_header(uint8_t* out, const Ipv4Header& ip) noexcept {
  out[0] = static_cast<uint8_t>((ip.version << 4) | (ip.header_words & 0x0F));
  out[1] = ip.tos;
  store_be16(out + 2, ip.total_bytes);
  store_be16(out + 4, ip.id);
  store_be16(out + 6, ip.flags_and_offset);
  out[8] = ip.ttl;
  out[9] = ip.protocol;
  store_be16(out + 10, 0);
  std::memcpy(out + 12, ip.src.bytes.data(), 4);
  std::memcpy(out + 16, ip.dst.bytes.data(), 4);
  if (!ip.options.empty()) std::memcpy(out + ipv4_header_bytes, ip.options.data(), ip.options.size());
  const std::size_t header_bytes = ipv4_header_bytes + ip.options.size();
  store_be16(out + 10, ip.checksum ? *ip.checksum : finish_checksum(add_checksum_words(out, header_bytes, 0)));
  return header_bytes;
}

std::size_t write_ipv6_header(uint8_t* out, const Ipv6Header& ip) noexcept {
  store_be32(out, (uint32_t(ip.version) << 28) | (uint32_t(ip.traffic_class) << 20) | (ip.flow_label & 0xFFFFF));
  store_be16(out + 4, ip.payload_bytes);
  out[6] = ip.next_header;
  out[7] = ip.hop_limit;
  std::memcpy(out + 8, ip.src.bytes.data(), 16);
  std::memcpy(out + 24, ip.dst.bytes.data(), 16);
  return ipv6_header_bytes;
}

std::size_t write_ipv6_extension(uint8_t* out, const Ipv6Extension& extension) noexcept {
  const std::size_t length_bytes = (std::size_t(extension.length_units) + 1) * 8;
  std::memset(out, 0, length_bytes);
  out[0] = extension.next_header;
  out[1] = extension.length_units;
  if (!extension.options.empty()) std::memcpy(out + 2, extension.options.data(), extension.options.size());
  return length_bytes;
}

std::size_t write_ipv6_fragment_header(uint8_t* out, const Ipv6FragmentHeader& fragment) noexcept {
  out[0] = fragment.next_header;
  out[1] = fragment.reserved;
  store_be16(out + 2, fragment.offset_and_more);
  store_be32(out + 4, fragment.id);
  return ipv6_fragment_header_bytes;
}

}  // namespace ringtrack::frames
