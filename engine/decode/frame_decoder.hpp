// Owns: turning one captured frame into a PacketRecord or a DecodeOutcome.
// Does not own: the flow hash (flow/), capture sources (capture/), counting (callers).
#pragma once

#include <cstdint>

#include "decode/decode_outcome.hpp"
#include "decode/link_type.hpp"
#include "decode/packet_record.hpp"
#include "decode/tunnel_identity.hpp"
#include "decode/vlan_stack.hpp"

namespace ringtrack::decode {

/// One frame as a capture source delivers it.
struct FrameView {
  const uint8_t* data;      ///< first captured byte (the link header)
  uint32_t captured_bytes;  ///< how many bytes of the frame were captured
  uint32_t wire_bytes;      ///< the frame's original length (pcap len, ring tp_len)
  uint64_t ts_ns;           ///< capture timestamp, Unix nanoseconds
  /// Outermost 802.1Q/802.1ad tag that the kernel stripped into ring metadata, or -1.
  /// It becomes the outermost VLAN id, and its 4 bytes count in wire_bytes as libpcap does.
  int32_t stripped_vlan_id = -1;
};

/// Decodes link, VLAN/PPPoE/MPLS, IPv4/IPv6 (options, extension headers, fragments),
/// tunnels (IP in IP, GRE, ERSPAN, WCCP, VXLAN, Geneve, GTP-U, Teredo; four deep) and
/// TCP: a tunnelled packet's record is its innermost TCP segment, its wire_bytes the outer frame's. Every length is checked against what was captured before it is read: any input
/// yields an outcome, never an out-of-bounds read. Lengths and payload come from the IP
/// headers and the original frame length, so snap-length truncation does not change
/// counts. Fills out (key in canonical order, flow_hash left 0) only for DecodeOutcome::tcp.
/// Pure function: callable from any thread.
DecodeOutcome decode_frame(LinkType link, const FrameView& frame, PacketRecord& out) noexcept;

/// What output shows of a packet's identity that its key holds only in part; a TCP
/// packet's shard keeps it.
struct KeyDetail {
  /// The innermost tunnel the frame was decoded out of, whatever the outcome (counting
  /// tunnelled frames by kind needs it); kind none, and nothing else set, when untunnelled.
  /// id: the record key's tunnel id.
  TunnelIdentity tunnel;
  /// Every tag of a stack deeper than the key's three: set only when the record's
  /// vlan_stack_id is.
  VlanStack vlans;
};

/// As above, and detail.
DecodeOutcome decode_frame(LinkType link, const FrameView& frame, PacketRecord& out, KeyDetail& detail) noexcept;

}  // namespace ringtrack::decode
