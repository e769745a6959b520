// Owns: opening tunnels found behind an IP header (IP in IP, GRE with ERSPAN and WCCP,
// and over UDP: VXLAN, Geneve, GTP-U, Teredo) and handing the inner packet on.
// Does not own: the IP headers around them (network_decoder) or inner link framing (frame_decoder).
#pragma once

#include <cstdint>

#include "decode/decode_outcome.hpp"
#include "decode/frame_decoder.hpp"
#include "decode/network_decoder.hpp"
#include "decode/packet_record.hpp"

namespace ringtrack::decode {

/// What an IP header carries, as its lengths say.
struct IpPayload {
  uint32_t offset;         ///< first byte after the IP header (and IPv6 extension headers)
  uint32_t length;         ///< on the wire, from the IP lengths (capped by the layers below)
  uint8_t protocol;        ///< IPv4 protocol or IPv6 next header
  uint8_t address_bytes;   ///< 4 or 16
  const uint8_t* src;      ///< the IP header's source and destination addresses
  const uint8_t* dst;
};

/// IP protocols that may be a tunnel: IPv4 (4), IPv6 (41), GRE (47), UDP (17; by port).
constexpr bool may_be_tunnel(uint8_t protocol) noexcept {
  return protocol == 4 || protocol == 41 || protocol == 47 || protocol == 17;
}

/// Decodes the tunnel in payload (protocol may_be_tunnel) and the packet inside it, into
/// out. UDP on no tunnel port is not_tcp. at.trail gains the tunnel. Pure, any thread.
DecodeOutcome decode_tunnel(const FrameView& frame, const IpPayload& payload, const NetworkLayer& at,
                            PacketRecord& out) noexcept;

}  // namespace ringtrack::decode
