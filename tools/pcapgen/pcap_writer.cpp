// Owns: encoding pcap headers and moving record bytes through one fixed buffer to the file.
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
  uint8_t* header = _buffer.data();
  const bool big = _format.big_endian;
  frames::store_ordered32(header, _format.nanosecond ? magic_nanosecond : magic_microsecond, big);
  frames::store_ordered16(header + 4, 2, big);  // version 2.4
  frames::store_ordered16(header + 6, 4, big);
  frames::store_ordered32(header + 8, 0, big);   // thiszone: timestamps are UTC
  frames::store_ordered32(header + 12, 0, big);  // sigfigs
  frames::store_ordered32(header + 16, _format.snaplen_bytes, big);
  frames::store_ordered32(header + 20, frames::linktype_number(_format.link), big);
  _used_bytes = global_header_bytes;
}

PcapWriter::~PcapWriter() {
  if (_file != nullptr) {
    std::fclose(_file);
  }
}

void PcapWriter::write_frame(uint64_t ts_ns, uint32_t wire_bytes, std::span<const uint8_t> head,
                             std::span<const uint8_t> tail) {
  const uint32_t captured = captured_bytes(static_cast<uint32_t>(head.size() + tail.size()));
  if (_used_bytes + record_header_bytes + captured > _buffer.size()) [[unlikely]] {
    flush();
  }
  const uint64_t seconds = ts_ns / 1'000'000'000U;
  const uint64_t fraction_ns = ts_ns % 1'000'000'000U;
  const uint64_t fraction = _format.nanosecond ? fraction_ns : fraction_ns / 1000U;
  uint8_t* record = _buffer.data() + _used_bytes;
  const bool big = _format.big_endian;
  frames::store_ordered32(record, static_cast<uint32_t>(seconds), big);
  frames::store_ordered32(record + 4, static_cast<uint32_t>(fraction), big);
  frames::store_ordered32(record + 8, captured, big);
  frames::store_ordered32(record + 12, wire_bytes, big);
  uint8_t* data = record + record_header_bytes;
  const std::size_t head_copy = head.size() < captured ? head.size() : captured;
  std::memcpy(data, head.data(), head_copy);
  if (captured > head_copy) {
    std::memcpy(data + head_copy, tail.data(), captured - head_copy);
  }
  _used_bytes += record_header_bytes + captured;
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
