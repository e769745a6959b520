// Owns: IPv4 (options, fragments), IPv6 (extension headers, fragments, jumbograms) and the
// TCP header, down to a PacketRecord, handing tunnel protocols to tunnel_decoder.
// Does not own: link framing (frame_decoder), tunnel headers (tunnel_decoder).
#pragma once

#include <cstdint>

#include "decode/decode_outcome.hpp"
#include "decode/frame_decoder.hpp"
#include "decode/packet_record.hpp"
#include "decode/tunnel_trail.hpp"

namespace ringtrack::decode {

/// Where the network header starts and what the layers below it allow.
struct NetworkLayer {
  uint32_t offset;            ///< of the IP header in the captured frame
  uint32_t available_bytes;   ///< on the wire from offset on (a PPPoE length may cap it)
  const uint16_t* vlan_ids;   ///< the VLAN stack met on the way, outermost first
  unsigned vlan_depth;        ///< tags in vlan_ids (at most VlanStack::max_depth)
  TunnelTrail* trail;         ///< the tunnels met so far (depth 0: none); a tunnel adds itself
};

/// The most common frame (Ethernet, IPv4 without options or fragmentation, TCP, lengths
/// within the frame) in one straight pass. Returns false, having written nothing that
/// matters, for anything else: the general path then decodes it to the same result.
bool decode_common_ipv4_tcp(const FrameView& frame, PacketRecord& out) noexcept;

/// Decode the IPv4 header (and TCP, or a tunnel, behind it) into out.
DecodeOutcome decode_ipv4(const FrameView& frame, const NetworkLayer& at, PacketRecord& out) noexcept;

/// Decode the IPv6 header, its extension chain and TCP (or a tunnel) into out.
DecodeOutcome decode_ipv6(const FrameView& frame, const NetworkLayer& at, PacketRecord& out) noexcept;

}  // namespace ringtrack::decode
