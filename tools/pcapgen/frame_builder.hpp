// Owns: whole valid frames: link header, IPv4/IPv6, TCP with options or UDP, lengths, checksums, fragments.
// Does not own: header bytes (tools/frames), seq/ack/flags (session_traffic), broken frames, file output.
#pragma once

#include <array>
#include <optional>
#include <cstdint>
#include <span>
#include <vector>

#include "frames/ip_address.hpp"
#include "frames/ip_header.hpp"
#include "frames/link_layer.hpp"
#include "frames/transport_header.hpp"
#include "payload_pool.hpp"
#include "tcp_flags.hpp"

namespace ringtrack::pcapgen {

// Captured TCP bytes a frame needs to count for its connection: ports through the window,
// as Wireshark (and ringtrack) need before assigning a segment to a stream.
inline constexpr uint32_t tcp_counted_header_bytes = 16;

struct IpFields {
  frames::IpAddress src;
  frames::IpAddress dst;  // the final destination, which the TCP checksum covers
  uint8_t ttl = 64;
  uint16_t ipv4_id = 0;
  uint32_t ipv6_flow_label = 0;
  // IPv4 only: options after the fixed header (a multiple of 4 bytes), and the header's
  // destination when it is not dst (a source route's next hop).
  std::span<const uint8_t> ipv4_options{};
  std::optional<frames::IpAddress> ipv4_header_dst;
};

/// Linux's layouts: SYN and SYN-ACK carry MSS, SACK-permitted, timestamps, NOP, window scale
/// (20 option bytes); established segments carry NOP NOP timestamps (12); RSTs carry none.
enum class TcpOptions : uint8_t { none, syn, timestamps };

uint32_t tcp_header_bytes(TcpOptions options) noexcept;

struct TcpFields {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;
  uint16_t window = 0;
  TcpOptions options = TcpOptions::timestamps;
  uint16_t mss = 1460;
  uint8_t window_scale = 7;
  uint32_t tsval = 0;
  uint32_t tsecr = 0;
};

/// One frame ready for the writer: head bytes, then tail bytes (a payload or fragment slice).
/// The spans point into the builder and stay valid until its next call.
struct BuiltFrame {
  std::span<const uint8_t> head{};
  std::span<const uint8_t> tail{};
  uint32_t wire_bytes = 0;         // pcap orig_len: the frame on the wire incl. link header
  uint32_t decode_bytes = 0;       // captured bytes needed to read the fixed TCP header
  uint32_t tcp_payload_bytes = 0;  // from the IP lengths, as a connection counts it
  uint8_t capture_interface = 0;   // the pcapng interface that captured it (its builder's)
};

/// A whole transport segment (header + payload, checksum over all of it) waiting to be cut.
struct StagedSegment {
  uint8_t protocol = frames::ip_protocol_tcp;
  uint32_t segment_bytes = 0;
  uint32_t transport_header_bytes = 0;
  uint32_t piece_bytes = 0;     // per fragment: a multiple of 8 unless there is only one
  uint32_t fragment_count = 0;  // 1 = IPv6 atomic fragment (offset 0, M=0)
};

class FrameBuilder {
 public:
  /// capture_interface: the pcapng interface every frame built here is captured on (one
  /// builder an interface, each with its link type).
  FrameBuilder(frames::LinkWriter link, const PayloadPool& pool, uint8_t capture_interface = 0);

  /// An unfragmented TCP frame. Frames shorter than min_wire_bytes are zero-padded after the
  /// IP packet (Ethernet's 60-byte minimum); only frames without payload are ever padded.
  BuiltFrame tcp_frame(frames::LinkHeaderSpec link, const IpFields& ip, const TcpFields& tcp, uint32_t payload_bytes,
                       uint32_t min_wire_bytes) noexcept;

  /// Builds the complete TCP segment (checksum over the whole segment, as the receiver
  /// verifies after reassembly) and plans fragment_count fragments of it.
  StagedSegment stage_tcp(const IpFields& ip, const TcpFields& tcp, uint32_t payload_bytes,
                          uint32_t fragment_count) noexcept;
  StagedSegment stage_udp(const IpFields& ip, uint16_t src_port, uint16_t dst_port, uint32_t payload_bytes,
                          uint32_t fragment_count) noexcept;

  /// Fragment index of the staged segment: IPv4 with MF/offset (no DF), IPv6 with a Fragment
  /// extension header. Only index 0 carries the transport header.
  BuiltFrame fragment_frame(frames::LinkHeaderSpec link, const IpFields& ip, const StagedSegment& staged,
                            uint32_t index, uint32_t fragment_id) noexcept;

 private:
  std::size_t write_link(frames::LinkHeaderSpec& link, bool ipv6) noexcept;

  frames::LinkWriter _link;
  const PayloadPool& _pool;
  uint8_t _capture_interface;
  std::array<uint8_t, 512> _head{};  // link + tags + IP (+ fragment header) + TCP header
  std::vector<uint8_t> _segment;     // a staged segment, up to 64 KiB
};

}  // namespace ringtrack::pcapgen
