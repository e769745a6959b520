// Owns: the byte layout of each malformed frame kind.
// Does not own: scheduling or counting them.
#include "malformed_frames.hpp"

#include <cstring>

#include "byte_order.hpp"
#include "internet_checksum.hpp"

namespace ringtrack::pcapgen {
namespace {

constexpr std::size_t ipv4_header_bytes = 20;
constexpr std::size_t ipv6_header_bytes = 40;
constexpr uint8_t ipv6_next_destination_options = 60;
constexpr uint8_t ipv6_next_hop_by_hop = 0;
constexpr std::size_t max_deep_tags = 20;

// Malformed traffic uses its own addresses so it can never be mistaken for a listed connection.
IpAddress malformed_source(bool ipv6, Rng& random) noexcept {
  if (ipv6) {
    return IpAddress::v6({0x2001, 0x0db8, 0x0bad, 0, 0, 0, static_cast<uint16_t>(random.next32()),
                          static_cast<uint16_t>(1 + random.below(0xFFFE))});
  }
  return IpAddress::v4(10, 250, static_cast<uint8_t>(random.below(256)), static_cast<uint8_t>(1 + random.below(254)));
}

IpAddress malformed_destination(bool ipv6) noexcept {
  return ipv6 ? IpAddress::v6({0x2001, 0x0db8, 0x0bad, 0, 0, 0, 0, 1}) : IpAddress::v4(198, 51, 100, 250);
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

std::vector<MalformedKind> malformed_kinds_for(LinkType type) {
  std::vector<MalformedKind> kinds;
  for (uint8_t value = 0; value <= static_cast<uint8_t>(MalformedKind::ipv6_chain_100_plus); ++value) {
    const auto kind = static_cast<MalformedKind>(value);
    const bool needs_tags = kind == MalformedKind::truncated_vlan_tag || kind == MalformedKind::deep_vlan_stack;
    if (needs_tags && !link_carries_vlan_tags(type)) {
      continue;
    }
    if (kind == MalformedKind::truncated_link_header && type == LinkType::raw) {
      continue;
    }
    kinds.push_back(kind);
  }
  return kinds;
}

std::size_t MalformedBuilder::write_link(std::span<const VlanTag> tags, uint16_t ethertype) noexcept {
  LinkHeaderSpec spec;
  spec.src_mac = mac_for(IpAddress::v4(10, 250, 0, 1), 3);
  spec.dst_mac = mac_for(malformed_destination(false), 1);
  spec.tags = tags;
  spec.ethertype = ethertype;
  return _link.write(_frame.data(), spec);
}

std::size_t MalformedBuilder::write_ipv4(uint8_t* out, uint32_t total_bytes) noexcept {
  const IpAddress src = malformed_source(false, _random);
  const IpAddress dst = malformed_destination(false);
  out[0] = 0x45;
  out[1] = 0;
  store_be16(out + 2, static_cast<uint16_t>(total_bytes));
  store_be16(out + 4, static_cast<uint16_t>(_random.next32()));
  store_be16(out + 6, 0x4000);
  out[8] = 64;
  out[9] = ip_protocol_tcp;
  store_be16(out + 10, 0);
  std::memcpy(out + 12, src.bytes.data(), 4);
  std::memcpy(out + 16, dst.bytes.data(), 4);
  store_be16(out + 10, finish_checksum(add_checksum_words(out, ipv4_header_bytes, 0)));
  return ipv4_header_bytes;
}

std::size_t MalformedBuilder::write_ipv6(uint8_t* out, uint8_t next_header, uint32_t payload_bytes) noexcept {
  const IpAddress src = malformed_source(true, _random);
  const IpAddress dst = malformed_destination(true);
  store_be32(out, 6U << 28);
  store_be16(out + 4, static_cast<uint16_t>(payload_bytes));
  out[6] = next_header;
  out[7] = 64;
  std::memcpy(out + 8, src.bytes.data(), 16);
  std::memcpy(out + 24, dst.bytes.data(), 16);
  return ipv6_header_bytes;
}

std::size_t MalformedBuilder::write_tcp(uint8_t* out, uint8_t data_offset_words, bool timestamps) noexcept {
  store_be16(out, static_cast<uint16_t>(1024 + _random.below(64000)));
  store_be16(out + 2, static_cast<uint16_t>(1 + _random.below(1023)));
  store_be32(out + 4, _random.next32());
  store_be32(out + 8, _random.next32());
  out[12] = static_cast<uint8_t>(data_offset_words << 4);
  out[13] = 0x18;  // PSH|ACK
  store_be16(out + 14, 502);
  store_be16(out + 16, static_cast<uint16_t>(_random.next32()));  // checksum: irrelevant here
  store_be16(out + 18, 0);
  if (!timestamps) {
    return tcp_fixed_header_bytes;
  }
  std::memcpy(out + 20, "\x01\x01\x08\x0a", 4);
  store_be32(out + 24, _random.next32());
  store_be32(out + 28, _random.next32());
  return tcp_fixed_header_bytes + 12;
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
  const std::size_t link_bytes = write_link({}, ipv6 ? ethertype_ipv6 : ethertype_ipv4);
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
  const std::size_t link_bytes = write_link({}, ethertype_ipv4);
  uint8_t* const ip = _frame.data() + link_bytes;
  const uint32_t payload_bytes = _random.below(64);
  if (kind == MalformedKind::ipv4_ihl_beyond_capture) {
    // IHL 15 promises 60 header bytes; the frame stops after 20..59 of them.
    const uint32_t present = _random.between(20, 59);
    write_ipv4(ip, 60 + tcp_fixed_header_bytes);
    ip[0] = 0x4F;
    std::memset(ip + ipv4_header_bytes, 1, present - ipv4_header_bytes);  // NOP options
    return frame(link_bytes + present, link_bytes + present);
  }
  const uint32_t total_bytes = static_cast<uint32_t>(ipv4_header_bytes) + tcp_fixed_header_bytes + payload_bytes;
  // Total length 1..19: below the header. 0 is left out: captures of TSO/GSO super-packets
  // carry 0 there, and decoders (Wireshark too) take the frame length instead.
  write_ipv4(ip, kind == MalformedKind::ipv4_total_below_header ? _random.between(1, 19) : total_bytes);
  if (kind == MalformedKind::ipv4_ihl_below_5) {
    ip[0] = static_cast<uint8_t>(0x40 | _random.below(5));
  }
  write_tcp(ip + ipv4_header_bytes, 5, false);
  fill_random(ip + ipv4_header_bytes + tcp_fixed_header_bytes, payload_bytes);
  return frame(link_bytes + total_bytes, link_bytes + total_bytes);
}

BuiltFrame MalformedBuilder::bad_tcp_header(MalformedKind kind) noexcept {
  const bool ipv6 = _random.one_in(2);
  const std::size_t link_bytes = write_link({}, ipv6 ? ethertype_ipv6 : ethertype_ipv4);
  uint8_t* const ip = _frame.data() + link_bytes;
  const std::size_t ip_bytes = ipv6 ? ipv6_header_bytes : ipv4_header_bytes;
  uint8_t* const tcp = ip + ip_bytes;
  uint32_t transport_bytes = 0;
  if (kind == MalformedKind::tcp_offset_below_5) {
    transport_bytes = tcp_fixed_header_bytes + _random.below(100);
    write_tcp(tcp, static_cast<uint8_t>(_random.below(5)), false);
    fill_random(tcp + tcp_fixed_header_bytes, transport_bytes - tcp_fixed_header_bytes);
  } else if (kind == MalformedKind::tcp_offset_beyond_payload) {
    const uint32_t offset_words = _random.between(6, 15);
    transport_bytes = _random.between(tcp_fixed_header_bytes, offset_words * 4 - 1);
    write_tcp(tcp, static_cast<uint8_t>(offset_words), false);
    std::memset(tcp + tcp_fixed_header_bytes, 1, transport_bytes - tcp_fixed_header_bytes);  // NOPs
  } else {
    transport_bytes = _random.between(1, tcp_fixed_header_bytes - 1);
    uint8_t header[tcp_fixed_header_bytes];
    write_tcp(header, 5, false);
    std::memcpy(tcp, header, transport_bytes);
  }
  if (ipv6) {
    write_ipv6(ip, ip_protocol_tcp, transport_bytes);
  } else {
    write_ipv4(ip, static_cast<uint32_t>(ipv4_header_bytes) + transport_bytes);
  }
  const std::size_t total = link_bytes + ip_bytes + transport_bytes;
  return frame(total, total);
}

BuiltFrame MalformedBuilder::truncated(MalformedKind kind) noexcept {
  if (kind == MalformedKind::truncated_link_header) {
    const std::size_t link_bytes = write_link({}, ethertype_ipv4);
    const std::size_t present = _random.between(1, static_cast<uint32_t>(link_bytes - 1));
    return frame(present, present);
  }
  if (kind == MalformedKind::truncated_vlan_tag) {
    const VlanTag tag{tpid_8021q, static_cast<uint16_t>(1 + _random.below(4094)), 0};
    const std::size_t untagged_bytes = _link.header_bytes(0);  // ends with the 0x8100 TPID
    write_link({&tag, 1}, ethertype_ipv4);
    const std::size_t present = untagged_bytes + _random.below(4);
    return frame(present, present);
  }
  // A whole, valid-looking TCP frame, then cut inside the IP or TCP header.
  const bool ipv6 = _random.one_in(2);
  const std::size_t link_bytes = write_link({}, ipv6 ? ethertype_ipv6 : ethertype_ipv4);
  uint8_t* const ip = _frame.data() + link_bytes;
  const std::size_t ip_bytes = ipv6 ? ipv6_header_bytes : ipv4_header_bytes;
  const uint32_t payload_bytes = _random.below(600);
  const std::size_t tcp_bytes = write_tcp(ip + ip_bytes, 8, true);
  fill_random(ip + ip_bytes + tcp_bytes, payload_bytes);
  const auto transport_bytes = static_cast<uint32_t>(tcp_bytes + payload_bytes);
  if (ipv6) {
    write_ipv6(ip, ip_protocol_tcp, transport_bytes);
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
  std::array<VlanTag, max_deep_tags> tags{};
  const std::size_t tag_count = _random.between(3, max_deep_tags);
  constexpr std::array<uint16_t, 3> tpids{tpid_8021q, tpid_8021ad, tpid_legacy_qinq};
  for (std::size_t index = 0; index < tag_count; ++index) {
    tags[index] = VlanTag{tpids[_random.below(3)], static_cast<uint16_t>(1 + _random.below(4094)), 0};
  }
  // Whatever depth a decoder supports, what follows the stack is broken too.
  const uint32_t variant = _random.below(3);
  const std::size_t link_bytes = write_link({tags.data(), tag_count}, variant == 2 ? ethertype_ipv6 : ethertype_ipv4);
  uint8_t* const ip = _frame.data() + link_bytes;
  if (variant == 0) {
    return frame(link_bytes, link_bytes);  // nothing after the stack
  }
  if (variant == 1) {
    const uint32_t total = static_cast<uint32_t>(ipv4_header_bytes) + tcp_fixed_header_bytes;
    write_ipv4(ip, total);
    ip[0] = static_cast<uint8_t>(0x40 | _random.below(5));
    write_tcp(ip + ipv4_header_bytes, 5, false);
    return frame(link_bytes + total, link_bytes + total);
  }
  write_ipv6(ip, ip_protocol_tcp, tcp_fixed_header_bytes);
  const std::size_t present = link_bytes + _random.between(1, static_cast<uint32_t>(ipv6_header_bytes - 1));
  return frame(present, present);
}

BuiltFrame MalformedBuilder::ipv6_chain(MalformedKind kind) noexcept {
  const std::size_t link_bytes = write_link({}, ethertype_ipv6);
  uint8_t* const ip = _frame.data() + link_bytes;
  uint8_t* cursor = ip + ipv6_header_bytes;
  // Each complete header: 8 bytes, next header, length 0, one PadN option filling 6 bytes.
  const auto write_padding_header = [&](uint8_t next_header) {
    std::memcpy(cursor, "\x00\x00\x01\x04\x00\x00\x00\x00", 8);
    cursor[0] = next_header;
    cursor += 8;
  };
  if (kind == MalformedKind::ipv6_chain_100_plus) {
    const uint32_t header_count = _random.between(100, 250);
    for (uint32_t index = 0; index + 1 < header_count; ++index) {
      write_padding_header(ipv6_next_destination_options);
    }
    write_padding_header(ip_protocol_tcp);  // promises TCP; the packet ends here
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
  cursor[0] = ip_protocol_tcp;
  cursor[1] = static_cast<uint8_t>(claimed_units);
  std::memset(cursor + 2, 0, present - 2);  // Pad1 options
  cursor += present;
  const auto payload_bytes = static_cast<uint32_t>(cursor - (ip + ipv6_header_bytes));
  write_ipv6(ip, first_next, payload_bytes);
  const auto total = static_cast<std::size_t>(cursor - _frame.data());
  return frame(total, total);
}

}  // namespace ringtrack::pcapgen
