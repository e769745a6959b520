// Owns: the test-sized shapes of the frame pieces frame_bytes.hpp declares (fixed MACs, IPv6
// addresses under 2001:db8::/120, NOP-filled options, zero checksums), as byte vectors.
// Does not own: any header's byte layout (tools/frames writes every header).
#include "frame_bytes.hpp"

#include <algorithm>
#include <array>

#include "frames/ip_header.hpp"
#include "frames/link_layer.hpp"
#include "frames/transport_header.hpp"
#include "frames/tunnel_header.hpp"

namespace ringtrack::testing {
namespace {

constexpr uint8_t nop = 1;  // the NOP option in both IPv4 and TCP, so filler is valid options

/// Appends what write puts into a scratch buffer of capacity bytes.
template <typename Write>
void append(Bytes& b, std::size_t capacity, Write write) {
  const std::size_t at = b.size();
  b.resize(at + capacity);
  b.resize(at + write(b.data() + at));
}

frames::IpAddress v4_address(std::initializer_list<uint8_t> bytes) {
  frames::IpAddress address;
  std::copy_n(bytes.begin(), std::min<std::size_t>(bytes.size(), 4), address.bytes.begin());
  return address;
}

frames::IpAddress v6_address(uint8_t last) {
  frames::IpAddress address = frames::IpAddress::v6({0x2001, 0x0db8, 0, 0, 0, 0, 0, 0});
  address.bytes[15] = last;
  return address;
}

}  // namespace

Bytes tcp(const TcpSpec& t) {
  const std::size_t header = std::size_t(t.header_words) * 4;
  const Bytes options(header > frames::tcp_fixed_header_bytes ? header - frames::tcp_fixed_header_bytes : 0, nop);
  frames::TcpHeader h;
  h.src_port = t.src_port;
  h.dst_port = t.dst_port;
  h.seq = t.seq;
  h.ack = t.ack;
  h.data_offset_words = uint8_t(t.header_words & 0x0f);
  h.flags = t.flags;
  h.window = 65535;
  h.checksum = 0;  // decoders do not verify it
  h.options = options;
  Bytes b;
  append(b, frames::tcp_fixed_header_bytes + options.size(),
         [&](uint8_t* out) { return frames::write_tcp_header(out, h); });
  b.resize(b.size() + t.payload, 'p');
  return b;
}

Bytes ipv4(std::initializer_list<uint8_t> src, std::initializer_list<uint8_t> dst, const Bytes& body, uint8_t protocol,
           uint8_t option_words, uint16_t fragment_field, int total_override) {
  const Bytes options(option_words * 4u, nop);
  frames::Ipv4Header h;
  h.header_words = uint8_t(5 + option_words);
  h.total_bytes = uint16_t(total_override >= 0 ? total_override : h.header_words * 4 + int(body.size()));
  h.id = 0x1234;
  h.flags_and_offset = fragment_field;
  h.protocol = protocol;
  h.checksum = 0;  // decoders do not verify it
  h.src = v4_address(src);
  h.dst = v4_address(dst);
  h.options = options;
  Bytes b;
  append(b, frames::ipv4_header_bytes + options.size(),
         [&](uint8_t* out) { return frames::write_ipv4_header(out, h); });
  return b + body;
}

Bytes ipv4_with_options(std::initializer_list<uint8_t> src, std::initializer_list<uint8_t> dst, const Bytes& options,
                        const Bytes& body) {
  frames::Ipv4Header h;
  h.header_words = uint8_t((frames::ipv4_header_bytes + options.size()) / 4);
  h.total_bytes = uint16_t(frames::ipv4_header_bytes + options.size() + body.size());
  h.id = 0x1234;
  h.checksum = 0;  // decoders do not verify it
  h.src = v4_address(src);
  h.dst = v4_address(dst);
  h.options = options;
  Bytes b;
  append(b, frames::ipv4_header_bytes + options.size(),
         [&](uint8_t* out) { return frames::write_ipv4_header(out, h); });
  return b + body;
}

Bytes ipv6(uint8_t last_src, uint8_t last_dst, uint8_t next_header, const Bytes& rest, int payload_override) {
  frames::Ipv6Header h;
  h.payload_bytes = uint16_t(payload_override >= 0 ? payload_override : int(rest.size()));
  h.next_header = next_header;
  h.src = v6_address(last_src);
  h.dst = v6_address(last_dst);
  Bytes b;
  append(b, frames::ipv6_header_bytes, [&](uint8_t* out) { return frames::write_ipv6_header(out, h); });
  return b + rest;
}

Bytes ipv6_extension(uint8_t next_header, uint8_t length_units) {
  Bytes b;
  append(b, (std::size_t(length_units) + 1) * 8, [&](uint8_t* out) {
    return frames::write_ipv6_extension(out, {next_header, length_units, {}});
  });
  return b;
}

Bytes ipv6_fragment(uint16_t offset_and_more, uint8_t next_header, uint32_t id) {
  Bytes b;
  append(b, frames::ipv6_fragment_header_bytes, [&](uint8_t* out) {
    return frames::write_ipv6_fragment_header(out, {next_header, 0, offset_and_more, id});
  });
  return b;
}

Bytes ethernet(uint16_t ethertype, std::span<const frames::VlanTag> tags) {
  frames::LinkHeaderSpec link;
  link.src_mac.bytes.fill(0xaa);
  link.dst_mac.bytes.fill(0xaa);
  link.tags = tags;
  link.ethertype = ethertype;
  const frames::LinkWriter writer(frames::LinkType::ether, false);
  Bytes b;
  append(b, writer.header_bytes(tags.size()), [&](uint8_t* out) { return writer.write(out, link); });
  return b;
}

Bytes ethernet(uint16_t ethertype, std::initializer_list<std::pair<uint16_t, uint16_t>> tags) {
  std::vector<frames::VlanTag> stack;
  for (const auto& [tpid, tci] : tags) stack.push_back(vlan_tag(tpid, tci));
  return ethernet(ethertype, stack);
}

frames::VlanTag vlan_tag(uint16_t tpid, uint16_t tci) {
  return {tpid, uint16_t(tci & 0x0fff), uint8_t(tci >> 13), (tci & 0x1000) != 0};
}

Bytes udp(uint16_t src_port, uint16_t dst_port, const Bytes& body, int length_override) {
  frames::UdpHeader h;
  h.src_port = src_port;
  h.dst_port = dst_port;
  h.length_bytes = uint16_t(length_override >= 0 ? length_override : int(frames::udp_header_bytes + body.size()));
  Bytes b;
  append(b, frames::udp_header_bytes, [&](uint8_t* out) { return frames::write_udp_header(out, h); });
  return b + body;
}

Bytes gre(const frames::GreHeader& header) {
  Bytes b;
  append(b, 16, [&](uint8_t* out) { return frames::write_gre_header(out, header); });
  return b;
}

Bytes erspan(const frames::ErspanHeader& header) {
  Bytes b;
  append(b, 20, [&](uint8_t* out) { return frames::write_erspan_header(out, header); });
  return b;
}

Bytes vxlan(uint32_t vni) {
  Bytes b;
  append(b, 8, [&](uint8_t* out) { return frames::write_vxlan_header(out, vni); });
  return b;
}

Bytes geneve(const frames::GeneveHeader& header) {
  Bytes b;
  append(b, 8 + 4 * 63, [&](uint8_t* out) { return frames::write_geneve_header(out, header); });
  return b;
}

Bytes gtpu(const frames::GtpuHeader& header) {
  Bytes b;
  append(b, frames::max_tunnel_header_bytes, [&](uint8_t* out) { return frames::write_gtpu_header(out, header); });
  return b;
}

Bytes teredo(const frames::TeredoIndicators& indicators) {
  Bytes b;
  append(b, 21, [&](uint8_t* out) { return frames::write_teredo_indicators(out, indicators); });
  return b;
}

}  // namespace ringtrack::testing
