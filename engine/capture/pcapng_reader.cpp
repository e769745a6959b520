// Owns: the pcapng block layout (SHB, IDB, EPB, SPB, obsolete PB) and its checks, and NFLOG's
// TLV headers turned to this host's byte order, as libpcap does for the files it reads.
// Does not own: when it is used instead of libpcap (pcap_file_reader).
#include "capture/pcapng_reader.hpp"

#include <cstring>

namespace ringtrack::capture {
namespace {

constexpr uint32_t section_header = 0x0A0D0D0A;
constexpr uint32_t interface_description = 1;
constexpr uint32_t obsolete_packet = 2;
constexpr uint32_t simple_packet = 3;
constexpr uint32_t enhanced_packet = 6;
constexpr uint32_t byte_order_magic = 0x1A2B3C4D;
constexpr uint16_t option_end = 0;
constexpr uint16_t option_if_tsresol = 9;
constexpr uint16_t option_if_tsoffset = 14;
// libpcap's own limit on one block: a larger length is damage, not a reason to allocate.
constexpr uint32_t max_block_bytes = 16u << 20;

// Wide enough for a 64-bit timestamp times 10^9.
__extension__ typedef unsigned __int128 wide_ns;
__extension__ typedef __int128 signed_wide_ns;

uint32_t native32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

constexpr int dlt_nflog = 239;

void swap16_in_place(uint8_t* p) noexcept {
  uint16_t v;
  std::memcpy(&v, p, 2);
  v = __builtin_bswap16(v);
  std::memcpy(p, &v, 2);
}

// NFLOG's TLV lengths and types are in the byte order of the host that captured, as a
// section's fields are. libpcap turns them to this host's order in every file it reads
// (pcap_post_process); the decoder expects that, so packets read here get the same. The
// walk stops, as libpcap's does, at a TLV shorter than its header or past the data.
void swap_nflog_tlv_headers(uint8_t* data, uint32_t captured_bytes, uint32_t wire_bytes) noexcept {
  constexpr uint32_t header_bytes = 4;  // family, version, resource id (big-endian anyway)
  if (captured_bytes < header_bytes || wire_bytes < header_bytes || data[1] != 0) return;  // version 0 only
  uint32_t captured = captured_bytes - header_bytes;
  uint32_t wire = wire_bytes - header_bytes;
  uint8_t* tlv = data + header_bytes;
  while (captured >= 4) {
    swap16_in_place(tlv);      // length
    swap16_in_place(tlv + 2);  // type
    uint16_t length;
    std::memcpy(&length, tlv, 2);
    const uint32_t size = (uint32_t(length) + 3u) & ~3u;
    if (size < 4 || captured < size || wire < size) return;
    captured -= size;
    wire -= size;
    tlv += size;
  }
}

}  // namespace

PcapngReader::PcapngReader(std::FILE* stream) : _stream(stream) {}

PcapngReader::~PcapngReader() {
  if (_stream) std::fclose(_stream);
}

uint16_t PcapngReader::u16(const uint8_t* p) const noexcept {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return _swapped ? __builtin_bswap16(v) : v;
}

uint32_t PcapngReader::u32(const uint8_t* p) const noexcept {
  const uint32_t v = native32(p);
  return _swapped ? __builtin_bswap32(v) : v;
}

PcapngReader::Next PcapngReader::fail(std::string what) {
  _damage = std::move(what);
  return Next::damaged;
}

bool PcapngReader::read_block(uint32_t& type) {
  uint8_t head[12];
  const std::size_t got = std::fread(head, 1, 8, _stream);
  if (got == 0) return false;
  if (got != 8) {
    _damage = "a block header is cut short";
    return false;
  }
  type = native32(head);  // the section header's type reads the same in either order
  if (type == section_header) {
    if (std::fread(head + 8, 1, 4, _stream) != 4) {
      _damage = "a section header is cut short";
      return false;
    }
    const uint32_t magic = native32(head + 8);
    if (magic != byte_order_magic && magic != __builtin_bswap32(byte_order_magic)) {
      _damage = "a section header has no byte-order magic";
      return false;
    }
    _swapped = magic != byte_order_magic;
    _in_section = true;
  } else {
    type = u32(head);
  }
  const uint32_t total = u32(head + 4);
  const uint32_t header = type == section_header ? 12 : 8;
  if (total % 4 != 0 || total < header + 4 || total > max_block_bytes) {
    _damage = "a block has a length of " + std::to_string(total) + " bytes";
    return false;
  }
  // The body after the type and length (and, for a section header, the magic), then the
  // trailing copy of the length.
  _body.resize(total - header);
  if (std::fread(_body.data(), 1, _body.size(), _stream) != _body.size()) {
    _damage = "a block is cut short";
    return false;
  }
  if (u32(_body.data() + _body.size() - 4) != total) {
    _damage = "a block's trailing length differs from its leading one";
    return false;
  }
  _body.resize(_body.size() - 4);
  return true;
}

bool PcapngReader::add_interface() {
  if (_body.size() < 8) return false;
  PcapngInterface i;
  i.dlt = u16(_body.data());
  i.snap_bytes = u32(_body.data() + 4);
  for (std::size_t at = 8; at + 4 <= _body.size();) {
    const uint16_t code = u16(_body.data() + at);
    const uint16_t length = u16(_body.data() + at + 2);
    if (code == option_end || at + 4 + length > _body.size()) break;
    const uint8_t* value = _body.data() + at + 4;
    if (code == option_if_tsresol && length == 1) {
      i.power_of_2 = (value[0] & 0x80) != 0;
      i.resolution = value[0] & 0x7f;
    } else if (code == option_if_tsoffset && length == 8) {
      uint64_t offset;
      std::memcpy(&offset, value, 8);
      i.offset_s = int64_t(_swapped ? __builtin_bswap64(offset) : offset);
    }
    at += 4 + ((length + 3u) & ~3u);
  }
  _interfaces.push_back(i);
  ++_interfaces_version;
  return true;
}

void PcapngReader::to_host_order(const PcapngPacket& packet, uint8_t* data) noexcept {
  if (_swapped && _interfaces[packet.interface].dlt == dlt_nflog) [[unlikely]] {
    swap_nflog_tlv_headers(data, packet.captured_bytes, packet.wire_bytes);
  }
}

uint64_t PcapngReader::to_ns(const PcapngInterface& i, uint64_t units) const noexcept {
  wide_ns ns;
  if (i.power_of_2) {
    ns = i.resolution >= 64 ? 0 : (wide_ns(units) * 1'000'000'000u) >> i.resolution;
  } else if (i.resolution <= 9) {
    ns = units;
    for (unsigned r = i.resolution; r < 9; ++r) ns *= 10;
  } else {
    ns = units;
    for (unsigned r = 9; r < i.resolution && ns != 0; ++r) ns /= 10;
  }
  ns += wide_ns(signed_wide_ns(i.offset_s) * 1'000'000'000);
  // A clock past 2554 (a bogus one) stays at the end of time rather than wrapping round.
  return ns > UINT64_MAX ? UINT64_MAX : uint64_t(ns);
}

PcapngReader::Next PcapngReader::next(PcapngPacket& out) {
  for (;;) {
    uint32_t type = 0;
    if (!read_block(type)) return _damage.empty() ? Next::end : Next::damaged;
    if (type == section_header) {
      _interfaces.clear();
      ++_interfaces_version;
      continue;
    }
    if (!_in_section) return fail("the file does not start with a section header");
    const uint8_t* b = _body.data();
    const std::size_t n = _body.size();
    switch (type) {
      case interface_description:
        if (!add_interface()) return fail("an interface description is cut short");
        continue;
      case enhanced_packet:
      case obsolete_packet: {
        if (n < 20) return fail("a packet block is cut short");
        const bool enhanced = type == enhanced_packet;
        out.interface = enhanced ? u32(b) : u16(b);
        const uint64_t units = (uint64_t(u32(b + 4)) << 32) | u32(b + 8);
        out.captured_bytes = u32(b + 12);
        out.wire_bytes = u32(b + 16);
        out.data = b + 20;
        if (out.captured_bytes > n - 20) return fail("a packet's captured length runs past its block");
        if (out.interface >= _interfaces.size())
          return fail("a packet names interface " + std::to_string(out.interface) + ", which is not described");
        out.ts_ns = _last_ts_ns = to_ns(_interfaces[out.interface], units);
        to_host_order(out, _body.data() + 20);
        return Next::packet;
      }
      case simple_packet: {
        if (n < 4) return fail("a simple packet block is cut short");
        if (_interfaces.empty()) return fail("a simple packet comes before any interface");
        out.interface = 0;
        out.wire_bytes = u32(b);
        out.captured_bytes = uint32_t(std::min<uint64_t>(out.wire_bytes, n - 4));
        const uint32_t snap = _interfaces[0].snap_bytes;
        if (snap != 0 && out.captured_bytes > snap) out.captured_bytes = snap;
        out.data = b + 4;
        out.ts_ns = _last_ts_ns;  // a simple packet has no timestamp
        to_host_order(out, _body.data() + 4);
        return Next::packet;
      }
      default:
        continue;  // statistics, name resolution, custom blocks: nothing to count
    }
  }
}

}  // namespace ringtrack::capture
