// Owns: the classic pcap format (µs or ns, either byte order, snap length) and buffered output to disk.
// Does not own: frame contents (frame_builder) or when frames are written (packet_sink).
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "frames/link_layer.hpp"

namespace ringtrack::pcapgen {

struct PcapFormat {
  frames::LinkType link = frames::LinkType::ether;
  bool nanosecond = false;          // magic a1b23c4d instead of a1b2c3d4
  bool big_endian = false;          // byte order of every header field in the file
  uint32_t snaplen_bytes = 262144;  // tcpdump's default: nothing we write is cut
};

class PcapWriter {
 public:
  /// Opens (truncates) path and writes the global header. Throws std::runtime_error naming
  /// the failing call and the path.
  PcapWriter(const std::string& path, const PcapFormat& format);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  /// Captured length of a frame: the bytes provided (head then tail), cut at the snap length.
  uint32_t captured_bytes(uint32_t provided_bytes) const noexcept {
    return provided_bytes < _format.snaplen_bytes ? provided_bytes : _format.snaplen_bytes;
  }

  /// Appends one record: incl_len = captured_bytes(head + tail), orig_len = wire_bytes.
  /// wire_bytes may exceed head + tail (a frame the capture cut short). Throws only when a
  /// full buffer cannot be flushed.
  void write_frame(uint64_t ts_ns, uint32_t wire_bytes, std::span<const uint8_t> head, std::span<const uint8_t> tail);

  /// Flushes and closes; throws if any write failed. The destructor closes silently.
  void finish();

 private:
  void flush();

  static constexpr std::size_t buffer_bytes = 4U << 20;  // 4 MiB: a few thousand frames per write()

  PcapFormat _format;
  std::string _path;
  std::FILE* _file = nullptr;
  std::vector<uint8_t> _buffer;
  std::size_t _used_bytes = 0;
};

}  // namespace ringtrack::pcapgen
