// Owns: the classic pcap format (µs or ns, either byte order, snap length), pcapng with two
// interfaces of their own link type and snap length, and buffered output to disk.
// Does not own: frame contents (frame_builder) or when frames are written (packet_sink).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "frames/link_layer.hpp"

namespace ringtrack::pcapgen {

/// A capture interface's link type and snap length: classic pcap's global header, or a
/// pcapng Interface Description Block.
struct CaptureInterface {
  frames::LinkType link = frames::LinkType::ether;
  uint32_t snaplen_bytes = 262144;  // tcpdump's default: nothing we write is cut
};

struct PcapFormat {
  CaptureInterface interface;  // the file's only one, or pcapng's interface 0
  bool nanosecond = false;     // magic a1b23c4d instead of a1b2c3d4 (pcapng: if_tsresol 9)
  bool big_endian = false;     // byte order of every header field in the file
  /// Set: the file is pcapng, as Wireshark writes a capture on two interfaces; this is
  /// interface 1.
  std::optional<CaptureInterface> second_interface;
};

class PcapWriter {
 public:
  /// Opens (truncates) path and writes the global header. Throws std::runtime_error naming
  /// the failing call and the path.
  PcapWriter(const std::string& path, const PcapFormat& format);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  /// Captured length of a frame on interface (0 or, in pcapng, 1): the bytes provided (head
  /// then tail), cut at that interface's snap length.
  uint32_t captured_bytes(uint32_t provided_bytes, uint8_t interface = 0) const noexcept {
    const uint32_t snaplen = interface != 0 && _format.second_interface ? _format.second_interface->snaplen_bytes
                                                                        : _format.interface.snaplen_bytes;
    return provided_bytes < snaplen ? provided_bytes : snaplen;
  }

  /// Appends one record (pcapng: an Enhanced Packet Block of interface): captured length
  /// captured_bytes(head + tail, interface), original length wire_bytes. wire_bytes may
  /// exceed head + tail (a frame the capture cut short). Throws only when a full buffer
  /// cannot be flushed.
  void write_frame(uint64_t ts_ns, uint32_t wire_bytes, std::span<const uint8_t> head, std::span<const uint8_t> tail,
                   uint8_t interface = 0);

  /// Flushes and closes; throws if any write failed. The destructor closes silently.
  void finish();

 private:
  void flush();
  void write_pcap_header();
  void write_pcapng_header();
  void write_interface_block(const CaptureInterface& interface);

  static constexpr std::size_t buffer_bytes = 4U << 20;  // 4 MiB: a few thousand frames per write()

  PcapFormat _format;
  std::string _path;
  std::FILE* _file = nullptr;
  std::vector<uint8_t> _buffer;
  std::size_t _used_bytes = 0;
};

}  // namespace ringtrack::pcapgen
