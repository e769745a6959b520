// Owns: the way back from a tunnel into link framing: an inner Ethernet frame, an inner
// EtherType chain, an inner 802.11 data frame.
// Does not own: the tunnels (tunnel_decoder) or the framing itself (frame_decoder.cpp).
#pragma once

#include <cstdint>

#include "decode/decode_outcome.hpp"
#include "decode/frame_decoder.hpp"
#include "decode/packet_record.hpp"
#include "decode/tunnel_trail.hpp"

namespace ringtrack::decode {

/// What a tunnel says comes next.
enum class InnerLink : uint8_t {
  ethernet,   ///< a whole Ethernet header (VXLAN, Geneve and GRE 0x6558, ERSPAN)
  ethertype,  ///< the tunnel names an EtherType; its header starts at offset (GRE, Geneve)
  wlan,       ///< an 802.11 data frame with LLC/SNAP (Aruba's GRE 0x8200)
};

/// Decodes the inner frame at [offset, end) of frame (end: where the tunnel's payload
/// ends on the wire), with trail the tunnels met so far. Implemented in frame_decoder.cpp.
DecodeOutcome decode_inner_link(const FrameView& frame, InnerLink link, uint16_t ethertype, uint32_t offset,
                                uint32_t end, TunnelTrail& trail, PacketRecord& out) noexcept;

}  // namespace ringtrack::decode
