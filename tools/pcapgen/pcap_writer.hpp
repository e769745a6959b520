// Owns: the classic pcap format (µs or ns, either byte order, snap length) and buffered output to disk.
// Does not own: frame contents (frame_builder) or when frames are written (packet_sink).
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "link_layer.hpp"

namespace pcapgen {

struct pcap_format {
    link_type link = link_type::ether;
    bool nanosecond = false;        // magic a1b23c4d instead of a1b2c3d4
    bool big_endian = false;        // byte order of every header field in the file
    std::uint32_t snaplen_bytes = 262144;  // tcpdump's default: nothing we write is cut
};

class pcap_writer {
public:
    /// Opens (truncates) path and writes the global header. Throws std::runtime_error naming
    /// the failing call and the path.
    pcap_writer(const std::string& path, const pcap_format& format);
    ~pcap_writer();
    pcap_writer(const pcap_writer&) = delete;
    pcap_writer& operator=(const pcap_writer&) = delete;

    /// Captured length of a frame: the bytes provided (head then tail), cut at the snap length.
    std::uint32_t captured_bytes(std::uint32_t provided_bytes) const noexcept {
        return provided_bytes < _format.snaplen_bytes ? provided_bytes : _format.snaplen_bytes;
    }

    /// Appends one record: incl_len = captured_bytes(head + tail), orig_len = wire_bytes.
    /// wire_bytes may exceed head + tail (a frame the capture cut short). Throws only when a
    /// full buffer cannot be flushed.
    void write_frame(std::uint64_t ts_ns, std::uint32_t wire_bytes, std::span<const std::uint8_t> head,
                     std::span<const std::uint8_t> tail);

    /// Flushes and closes; throws if any write failed. The destructor closes silently.
    void finish();

private:
    void flush();

    static constexpr std::size_t buffer_bytes = 4U << 20;  // 4 MiB: a few thousand frames per write()

    pcap_format _format;
    std::string _path;
    std::FILE* _file = nullptr;
    std::vector<std::uint8_t> _buffer;
    std::size_t _used_bytes = 0;
};

}  // namespace pcapgen
