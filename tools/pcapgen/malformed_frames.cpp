// Owns: the byte layout of each malformed frame kind.
// Does not own: scheduling or counting them.
#include "malformed_frames.hpp"

#include <cstring>

#include "frames/ip_header.hpp"
#include "frames/transport_header.hpp"

namespace ringtrack::pcapgen {
namespace {

using frames::ipv4_header_bytes;
using frames::ipv6_header_bytes;
using frames::ipv6_next_destination_options;
using frames::ipv6_next_hop_by_hop;
constexpr std::size_t max_deep_tags = 20;

// Malformed traffic uses its own addresses so it can never be mistaken for a listed connection.
frames::IpAddress malformed_source(bool ipv6, Rng& random) noexcept {
  if (ipv6) {
    return frames::IpAddress::v6({0x2001, 0x0db8, 0x0bad, 0, 0, 0, static_cast<uint16_t>(random.next32()),
                                  static_cast<uint16_t>(1 + random.below(0xFFFE))});
  }
  // One draw per statement: as two arguments of one call their order was the compiler's (g++
  // drew the host first, clang the subnet), so the two compilers wrote different captures.
  const auto host = static_cast<uint8_t>(1 + random.below(254));
  const auto subnet = static_cast<uint8_t>(random.below(256));
  return frames::IpAddress::v4(10, 250, subnet, host);
}

frames::IpAddress malformed_destination(bool ipv6) noexcept {
  return ipv6 ? frames::IpAddress::v6({0x2001, 0x0db8, 0x0bad, 0, 0, 0, 0, 1})
              : frames::IpAddress::v4(198, 51, 100, 250);
}

}  // namespace

std::string_view malformed_kind_name(MalformedKind kind) noexcept {
  switch (kind) {
    case MalformedKind::garbage: return "garbage";
    case MalformedKind::ipv4_ihl_below_5: return "ipv4_ihl_below_5";
    case MalformedKind::ipv4_ihl_beyond_capture: return "ipv4_ihl_beyond_capture";
    case MalformedKind::ipv4_total_below_header: return "ipv4_total_below_header";
    case MalformedKind::tcp_offset_below_5: return "tcp_offset_below_5";
    case MalformedKind::tcp_offset_beyond_payload: return "tcp_offset_beyond_payload";
    case MalformedKind::ip_payload_below_tcp_header: return "ip_payload_below_tcp_header";
    case MalformedKind::truncated_link_header: return "truncated_link_header";
    case MalformedKind::truncated_vlan_tag: return "truncated_vlan_tag";
    case MalformedKind::truncated_ip_header: return "truncated_ip_header";
    case MalformedKind::truncated_tcp_header: return "truncated_tcp_header";
    case MalformedKind::capture_cut_in_tcp_header: return "capture_cut_in_tcp_header";
    case MalformedKind::deep_vlan_stack: return "deep_vlan_stack";
    case MalformedKind::ipv6_chain_off_end: return "ipv6_chain_off_end";
    case MalformedKind::ipv6_chain_100_plus: return "ipv6_chain_100_plus";
  }
  return "garbage";
}

std::vector<MalformedKind> malformed_kinds_for(frames::LinkType type) {
  std::vector<MalformedKind> kinds;
  for (uint8_t value = 0; value <= static_cast<uint8_t>(MalformedKind::ipv6_chain_100_plus); ++value) {
    const auto kind = static_cast<MalformedKind>(value);
    const bool needs_tags = kind == MalformedKind::truncated_vlan_tag || kind == MalformedKind::deep_vlan_stack;
    if (needs_tags && !frames::link_carries_vlan_tags(type)) {
      continue;
    }
    if (kind == MalformedKind::truncated_link_header && type == frames::LinkType::raw) {
      continue;
    }
    kinds.push_back(kind);
  }
  return kinds;
}

std::size_t MalformedBuilder::write_link(std::span<const frames::VlanTag> tags, uint16_t ethertype) noexcept {
  frames::LinkHeaderSpec spec;
  spec.src_mac = frames::mac_for(frames::IpAddress::v4(10, 250, 0, 1), 3);
  spec.dst_mac = frames::mac_for(malformed_destination(false), 1);
  spec.tags = tags;
  spec.ethertype = ethertype;
  return _link.write(_frame.data(), spec);
}

std::size_t MalformedBuilder::write_ipv4(uint8_t* out, uint32_t total_bytes) noexcept {
  frames::Ipv4Header header;
  header.src = malformed_source(false, _random);
  header.dst = malformed_destination(false);
  header.total_bytes = static_cast<uint16_t>(total_bytes);
  header.id = static_cast<uint16_t>(_random.next32());
  return frames::write_ipv4_header(out, header);
}

std::size_t MalformedBuilder::write_ipv6(uint8_t* out, uint8_t next_header, uint32_t payload_bytes) noexcept {
  frames::Ipv6Header header;
  header.src = malformed_source(true, _random);
  header.dst = malformed_destination(true);
  header.payload_bytes = static_cast<uint16_t>(payload_bytes);
  header.next_header = next_header;
  return frames::write_ipv6_header(out, header);
}

std::size_t MalformedBuilder::write_tcp(uint8_t* out, uint8_t data_offset_words, bool timestamps) noexcept {
  // One statement per draw: the generator's sequence, and so the capture, depends on their order.
  frames::TcpHeader header;
  header.src_port = static_cast<uint16_t>(1024 + _random.below(64000));
  header.dst_port = static_cast<uint16_t>(1 + _random.below(1023));
  header.seq = _random.next32();
  header.ack = _random.next32();
  header.data_offset_words = data_offset_words;
  header.flags = 0x18;  // PSH|ACK
  header.window = 502;
  header.checksum = static_cast<uint16_t>(_random.next32());  // irrelevant here
  frames::TcpOptionBytes options;
  if (timestamps) {
    const uint32_t tsval = _random.next32();
    const uint32_t tsecr = _random.next32();
    options = frames::timestamp_options(tsval, tsecr);
  }
  header.options = options.span();
  return frames::write_tcp_header(out, header);
}

void MalformedBuilder::fill_random(uint8_t* out, std::size_t length_bytes) noexcept {
  for (std::size_t index = 0; index < length_bytes; ++index) {
    out[index] = static_cast<uint8_t>(_random.next32());
  }
}

BuiltFrame MalformedBuilder::frame(std::size_t provided_bytes, std::size_t wire_bytes) const noexcept {
  BuiltFrame built;
  built.head = {_frame.data(), provided_bytes};
  built.wire_bytes = static_cast<uint32_t>(wire_bytes);
  return built;
}

BuiltFrame MalformedBuilder::build(MalformedKind kind) noexcept {
  switch (kind) {
    case MalformedKind::garbage: return garbage();
    case MalformedKind::ipv4_ihl_below_5:
    case MalformedKind::ipv4_ihl_beyond_capture:
    case MalformedKind::ipv4_total_below_header: return bad_ipv4_header(kind);
    case MalformedKind::tcp_offset_below_5:
    case MalformedKind::tcp_offset_beyond_payload:
    case MalformedKind::ip_payload_below_tcp_header: return bad_tcp_header(kind);
    case MalformedKind::truncated_link_header:
    case MalformedKind::truncated_vlan_tag:
    case MalformedKind::truncated_ip_header:
    case MalformedKind::truncated_tcp_header:
    case MalformedKind::capture_cut_in_tcp_header: return truncated(kind);
    case MalformedKind::deep_vlan_stack: return deep_vlan_stack();
    case MalformedKind::ipv6_chain_off_end:
    case MalformedKind::ipv6_chain_100_plus: return ipv6_chain(kind);
  }
  return garbage();
}

BuiltFrame MalformedBuilder::garbage() noexcept {
  const bool ipv6 = _random.one_in(2);
  const std::size_t link_bytes = write_link({}, ipv6 ? frames::ethertype_ipv6 : frames::ethertype_ipv4);
  const std::size_t body_bytes = _random.between(1, 300);
  fill_random(_frame.data() + link_bytes, body_bytes);
  // Version nibble 0..15 except 4 and 6: no decoder (raw IP included) may start parsing IP.
  uint32_t version = _random.below(14);
  version += version >= 4 ? 1 : 0;
  version += version >= 6 ? 1 : 0;
  _frame[link_bytes] = static_cast<uint8_t>((version << 4) | (_frame[link_bytes] & 0x0F));
  return frame(link_bytes + body_bytes, link_bytes + body_bytes);
}

BuiltFrame MalformedBuilder::bad_ipv4_header(MalformedKind kind) noexcept {
  const std::size_t link_bytes = write_link({}, frames::ethertype_ipv4);
  uint8_t* const ip = _frame.data() + link_bytes;
  const uint32_t payload_bytes = _random.below(64);
  if (kind == MalformedKind::ipv4_ihl_beyond_capture) {
    // IHL 15 promises 60 header bytes; the frame stops after 20..59 of them.
    const uint32_t present = _random.between(20, 59);
    write_ipv4(ip, 60 + frames::tcp_fixed_header_bytes);
    ip[0] = 0x4F;
    std::memset(ip + ipv4_header_bytes, 1, present - ipv4_header_bytes);  // NOP options
    return frame(link_bytes + present, link_bytes + present);
  }
  const uint32_t total_bytes =
      static_cast<uint32_t>(ipv4_header_bytes) + frames::tcp_fixed_header_bytes + payload_bytes;
  // Total length 1..19: below the header. 0 is left out: captures of TSO/GSO super-packets
  // carry 0 there, and decoders (Wireshark too) take the frame length instead.
  write_ipv4(ip, kind == MalformedKind::ipv4_total_below_header ? _random.between(1, 19) : total_bytes);
  if (kind == MalformedKind::ipv4_ihl_below_5) {
    ip[0] = static_cast<uint8_t>(0x40 | _random.below(5));
  }
  write_tcp(ip + ipv4_header_bytes, 5, false);
  fill_random(ip + ipv4_header_bytes + frames::tcp_fixed_header_bytes, payload_bytes);
  return frame(link_bytes + total_bytes, link_bytes + total_bytes);
}

BuiltFrame MalformedBuilder::bad_tcp_header(MalformedKind kind) noexcept {
  const bool ipv6 = _random.one_in(2);
  const std::size_t link_bytes = write_link({}, ipv6 ? frames::ethertype_ipv6 : frames::ethertype_ipv4);
  uint8_t* const ip = _frame.data() + link_bytes;
  const std::size_t ip_bytes = ipv6 ? ipv6_header_bytes : ipv4_header_bytes;
  uint8_t* const tcp = ip + ip_bytes;
  uint32_t transport_bytes = 0;
  if (kind == MalformedKind::tcp_offset_below_5) {
    transport_bytes = frames::tcp_fixed_header_bytes + _random.below(100);
    write_tcp(tcp, static_cast<uint8_t>(_random.below(5)), false);
    fill_random(tcp + frames::tcp_fixed_header_bytes, transport_bytes - frames::tcp_fixed_header_bytes);
  } else if (kind == MalformedKind::tcp_offset_beyond_payload) {
    const uint32_t offset_words = _random.between(6, 15);
    transport_bytes = _random.between(frames::tcp_fixed_header_bytes, offset_words * 4 - 1);
    write_tcp(tcp, static_cast<uint8_t>(offset_words), false);
    std::memset(tcp + frames::tcp_fixed_header_bytes, 1, transport_bytes - frames::tcp_fixed_header_bytes);  // NOPs
  } else {
    transport_bytes = _random.between(1, frames::tcp_fixed_header_bytes - 1);
    uint8_t header[frames::tcp_fixed_header_bytes];
    write_tcp(header, 5, false);
    std::memcpy(tcp, header, transport_bytes);
  }
  if (ipv6) {
    write_ipv6(ip, frames::ip_protocol_tcp, transport_bytes);
  } else {
    write_ipv4(ip, static_cast<uint32_t>(ipv4_header_bytes) + transport_bytes);
  }
  const std::size_t total = link_bytes + ip_bytes + transport_bytes;
  return frame(total, total);
}

BuiltFrame MalformedBuilder::truncated(MalformedKind kind) noexcept {
  if (kind == MalformedKind::truncated_link_header) {
    const std::size_t link_bytes = write_link({}, frames::ethertype_ipv4);
    const std::size_t present = _random.between(1, static_cast<uint32_t>(link_bytes - 1));
    return frame(present, present);
  }
  if (kind == MalformedKind::truncated_vlan_tag) {
    const frames::VlanTag tag{frames::tpid_8021q, static_cast<uint16_t>(1 + _random.below(4094)), 0};
    const std::size_t untagged_bytes = _link.header_bytes(0);  // ends with the 0x8100 TPID
    write_link({&tag, 1}, frames::ethertype_ipv4);
    const std::size_t present = untagged_bytes + _random.below(4);
    return frame(present, present);
  }
  // A whole, valid-looking TCP frame, then cut inside the IP or TCP header.
  const bool ipv6 = _random.one_in(2);
  const std::size_t link_bytes = write_link({}, ipv6 ? frames::ethertype_ipv6 : frames::ethertype_ipv4);
  uint8_t* const ip = _frame.data() + link_bytes;
  const std::size_t ip_bytes = ipv6 ? ipv6_header_bytes : ipv4_header_bytes;
  const uint32_t payload_bytes = _random.below(600);
  const std::size_t tcp_bytes = write_tcp(ip + ip_bytes, 8, true);
  fill_random(ip + ip_bytes + tcp_bytes, payload_bytes);
  const auto transport_bytes = static_cast<uint32_t>(tcp_bytes + payload_bytes);
  if (ipv6) {
    write_ipv6(ip, frames::ip_protocol_tcp, transport_bytes);
  } else {
    write_ipv4(ip, static_cast<uint32_t>(ipv4_header_bytes) + transport_bytes);
  }
  const std::size_t whole = link_bytes + ip_bytes + transport_bytes;
  if (kind == MalformedKind::truncated_ip_header) {
    const std::size_t present = link_bytes + _random.between(1, static_cast<uint32_t>(ip_bytes - 1));
    return frame(present, present);
  }
  const std::size_t present = link_bytes + ip_bytes + _random.below(tcp_counted_header_bytes);
  return frame(present, kind == MalformedKind::capture_cut_in_tcp_header ? whole : present);
}

BuiltFrame MalformedBuilder::deep_vlan_stack() noexcept {
  std::array<frames::VlanTag, max_deep_tags> tags{};
  const std::size_t tag_count = _random.between(3, max_deep_tags);
  constexpr std::array<uint16_t, 3> tpids{frames::tpid_8021q, frames::tpid_8021ad, frames::tpid_legacy_qinq};
  for (std::size_t index = 0; index < tag_count; ++index) {
    tags[index] = frames::VlanTag{tpids[_random.below(3)], static_cast<uint16_t>(1 + _random.below(4094)), 0};
  }
  // Whatever depth a decoder supports, what follows the stack is broken too.
  const uint32_t variant = _random.below(3);
  const std::size_t link_bytes =
      write_link({tags.data(), tag_count}, variant == 2 ? frames::ethertype_ipv6 : frames::ethertype_ipv4);
  uint8_t* const ip = _frame.data() + link_bytes;
  if (variant == 0) {
    return frame(link_bytes, link_bytes);  // nothing after the stack
  }
  if (variant == 1) {
    const uint32_t total = static_cast<uint32_t>(ipv4_header_bytes) + frames::tcp_fixed_header_bytes;
    write_ipv4(ip, total);
    ip[0] = static_cast<uint8_t>(0x40 | _random.below(5));
    write_tcp(ip + ipv4_header_bytes, 5, false);
    return frame(link_bytes + total, link_bytes + total);
  }
  write_ipv6(ip, frames::ip_protocol_tcp, frames::tcp_fixed_header_bytes);
  const std::size_t present = link_bytes + _random.between(1, static_cast<uint32_t>(ipv6_header_bytes - 1));
  return frame(present, present);
}

BuiltFrame MalformedBuilder::ipv6_chain(MalformedKind kind) noexcept {
  const std::size_t link_bytes = write_link({}, frames::ethertype_ipv6);
  uint8_t* const ip = _frame.data() + link_bytes;
  uint8_t* cursor = ip + ipv6_header_bytes;
  // Each complete header: 8 bytes, next header, length 0, one PadN option filling 6 bytes.
  constexpr std::array<uint8_t, 2> pad_n_of_4{1, 4};
  const auto write_padding_header = [&](uint8_t next_header) {
    cursor += frames::write_ipv6_extension(cursor, {next_header, 0, pad_n_of_4});
  };
  if (kind == MalformedKind::ipv6_chain_100_plus) {
    const uint32_t header_count = _random.between(100, 250);
    for (uint32_t index = 0; index + 1 < header_count; ++index) {
      write_padding_header(ipv6_next_destination_options);
    }
    write_padding_header(frames::ip_protocol_tcp);  // promises TCP; the packet ends here
    const auto payload_bytes = static_cast<uint32_t>(cursor - (ip + ipv6_header_bytes));
    write_ipv6(ip, ipv6_next_destination_options, payload_bytes);
    const auto total = static_cast<std::size_t>(cursor - _frame.data());
    return frame(total, total);
  }
  // Zero to three complete headers (Hop-by-Hop first), then one whose length runs past the end.
  const uint32_t complete = _random.below(4);
  const uint8_t first_next = complete == 0 ? ipv6_next_destination_options : ipv6_next_hop_by_hop;
  for (uint32_t index = 0; index < complete; ++index) {
    write_padding_header(ipv6_next_destination_options);
  }
  const uint32_t claimed_units = _random.between(1, 30);  // (n + 1) * 8 bytes
  const uint32_t claimed_bytes = (claimed_units + 1) * 8;
  const uint32_t present = _random.between(2, claimed_bytes - 1);
  // Written whole (Pad1 options), then the frame ends `present` bytes into it.
  frames::write_ipv6_extension(cursor, {frames::ip_protocol_tcp, static_cast<uint8_t>(claimed_units), {}});
  cursor += present;
  const auto payload_bytes = static_cast<uint32_t>(cursor - (ip + ipv6_header_bytes));
  write_ipv6(ip, first_next, payload_bytes);
  const auto total = static_cast<std::size_t>(cursor - _frame.data());
  return frame(total, total);
}

}  // namespace ringtrack::pcapgen
