// Owns: encoding pcap headers and records, or pcapng blocks, and moving their bytes through
// one fixed buffer to the file.
// Does not own: timestamps' spacing (packet_clock) or frame bytes (frame_builder).
#include "pcap_writer.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "frames/byte_order.hpp"

namespace ringtrack::pcapgen {
namespace {

constexpr uint32_t magic_microsecond = 0xA1B2C3D4;
constexpr uint32_t magic_nanosecond = 0xA1B23C4D;
constexpr std::size_t global_header_bytes = 24;
constexpr std::size_t record_header_bytes = 16;

// pcapng (draft-ietf-opsawg-pcapng): block types, the section's byte-order magic, option codes.
constexpr uint32_t section_header_block = 0x0A0D0D0A;
constexpr uint32_t interface_description_block = 1;
constexpr uint32_t enhanced_packet_block = 6;
constexpr uint32_t byte_order_magic = 0x1A2B3C4D;
constexpr uint16_t option_end = 0;
constexpr uint16_t option_if_tsresol = 9;
constexpr std::size_t section_header_bytes = 28;
// Type, length, link type, reserved, snap length, trailing length (20); if_tsresol (one
// byte, padded: 8); end of options (4).
constexpr std::size_t interface_block_bytes = 20 + 8 + 4;
constexpr std::size_t packet_block_bytes = 32;         // without the data and its padding

constexpr uint32_t padded_to_four(uint32_t bytes) noexcept { return (bytes + 3U) & ~3U; }

std::string describe_errno(const char* call, const std::string& path) {
  return std::string(call) + "(" + path + ") failed: " + std::strerror(errno);
}

}  // namespace

PcapWriter::PcapWriter(const std::string& path, const PcapFormat& format)
    : _format(format), _path(path), _buffer(buffer_bytes) {
  _file = std::fopen(path.c_str(), "wb");
  if (_file == nullptr) {
    throw std::runtime_error(describe_errno("fopen", path) + " (check the -o directory exists and is writable)");
  }
  if (_format.second_interface) {
    write_pcapng_header();
  } else {
    write_pcap_header();
  }
}

void PcapWriter::write_pcap_header() {
  uint8_t* header = _buffer.data();
  const bool big = _format.big_endian;
  frames::store_ordered32(header, _format.nanosecond ? magic_nanosecond : magic_microsecond, big);
  frames::store_ordered16(header + 4, 2, big);  // version 2.4
  frames::store_ordered16(header + 6, 4, big);
  frames::store_ordered32(header + 8, 0, big);   // thiszone: timestamps are UTC
  frames::store_ordered32(header + 12, 0, big);  // sigfigs
  frames::store_ordered32(header + 16, _format.interface.snaplen_bytes, big);
  frames::store_ordered32(header + 20, frames::linktype_number(_format.interface.link), big);
  _used_bytes = global_header_bytes;
}

void PcapWriter::write_pcapng_header() {
  uint8_t* block = _buffer.data();
  const bool big = _format.big_endian;
  frames::store_ordered32(block, section_header_block, big);
  frames::store_ordered32(block + 4, section_header_bytes, big);
  frames::store_ordered32(block + 8, byte_order_magic, big);
  frames::store_ordered16(block + 12, 1, big);  // version 1.0
  frames::store_ordered16(block + 14, 0, big);
  frames::store_ordered32(block + 16, 0xFFFFFFFFU, big);  // section length -1: not given
  frames::store_ordered32(block + 20, 0xFFFFFFFFU, big);
  frames::store_ordered32(block + 24, section_header_bytes, big);
  _used_bytes = section_header_bytes;
  write_interface_block(_format.interface);
  write_interface_block(*_format.second_interface);
}

void PcapWriter::write_interface_block(const CaptureInterface& interface) {
  uint8_t* block = _buffer.data() + _used_bytes;
  const bool big = _format.big_endian;
  frames::store_ordered32(block, interface_description_block, big);
  frames::store_ordered32(block + 4, interface_block_bytes, big);
  frames::store_ordered16(block + 8, static_cast<uint16_t>(frames::linktype_number(interface.link)), big);
  frames::store_ordered16(block + 10, 0, big);
  frames::store_ordered32(block + 12, interface.snaplen_bytes, big);
  // if_tsresol: 10^-6 (the default, said anyway) or 10^-9 seconds per tick.
  frames::store_ordered16(block + 16, option_if_tsresol, big);
  frames::store_ordered16(block + 18, 1, big);
  block[20] = _format.nanosecond ? 9 : 6;
  block[21] = block[22] = block[23] = 0;
  frames::store_ordered16(block + 24, option_end, big);
  frames::store_ordered16(block + 26, 0, big);
  frames::store_ordered32(block + 28, interface_block_bytes, big);
  _used_bytes += interface_block_bytes;
}

PcapWriter::~PcapWriter() {
  if (_file != nullptr) {
    std::fclose(_file);
  }
}

void PcapWriter::write_frame(uint64_t ts_ns, uint32_t wire_bytes, std::span<const uint8_t> head,
                             std::span<const uint8_t> tail, uint8_t interface) {
  const uint32_t captured = captured_bytes(static_cast<uint32_t>(head.size() + tail.size()), interface);
  const bool pcapng = _format.second_interface.has_value();
  const std::size_t record_bytes =
      pcapng ? packet_block_bytes + padded_to_four(captured) : record_header_bytes + captured;
  if (_used_bytes + record_bytes > _buffer.size()) [[unlikely]] {
    flush();
  }
  uint8_t* record = _buffer.data() + _used_bytes;
  const bool big = _format.big_endian;
  uint8_t* data = nullptr;
  if (pcapng) {
    const uint64_t ticks = _format.nanosecond ? ts_ns : ts_ns / 1000U;
    frames::store_ordered32(record, enhanced_packet_block, big);
    frames::store_ordered32(record + 4, static_cast<uint32_t>(record_bytes), big);
    frames::store_ordered32(record + 8, interface, big);
    frames::store_ordered32(record + 12, static_cast<uint32_t>(ticks >> 32), big);
    frames::store_ordered32(record + 16, static_cast<uint32_t>(ticks), big);
    frames::store_ordered32(record + 20, captured, big);
    frames::store_ordered32(record + 24, wire_bytes, big);
    data = record + 28;
    std::memset(data + captured, 0, padded_to_four(captured) - captured);
    frames::store_ordered32(record + record_bytes - 4, static_cast<uint32_t>(record_bytes), big);
  } else {
    const uint64_t seconds = ts_ns / 1'000'000'000U;
    const uint64_t fraction_ns = ts_ns % 1'000'000'000U;
    const uint64_t fraction = _format.nanosecond ? fraction_ns : fraction_ns / 1000U;
    frames::store_ordered32(record, static_cast<uint32_t>(seconds), big);
    frames::store_ordered32(record + 4, static_cast<uint32_t>(fraction), big);
    frames::store_ordered32(record + 8, captured, big);
    frames::store_ordered32(record + 12, wire_bytes, big);
    data = record + record_header_bytes;
  }
  const std::size_t head_copy = head.size() < captured ? head.size() : captured;
  std::memcpy(data, head.data(), head_copy);
  if (captured > head_copy) {
    std::memcpy(data + head_copy, tail.data(), captured - head_copy);
  }
  _used_bytes += record_bytes;
}

void PcapWriter::flush() {
  if (_used_bytes == 0) {
    return;
  }
  if (std::fwrite(_buffer.data(), 1, _used_bytes, _file) != _used_bytes) {
    throw std::runtime_error(describe_errno("fwrite", _path) + " (disk full?)");
  }
  _used_bytes = 0;
}

void PcapWriter::finish() {
  flush();
  const int close_result = std::fclose(_file);
  _file = nullptr;
  if (close_result != 0) {
    throw std::runtime_error(describe_errno("fclose", _path));
  }
}

}  // namespace ringtrack::pcapgen
