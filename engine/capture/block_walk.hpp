// Owns: walking the packets of one TPACKET_V3 block into FrameViews.
// Does not own: block ownership (rx_ring) or decoding (decode).
#pragma once

#include <linux/if_packet.h>

#include <cstdint>

#include "decode/frame_decoder.hpp"

namespace ringtrack::capture {

/// Calls fn(const decode::FrameView&, uint8_t sll_pkttype) for each packet of block, in
/// order.
template <class Fn>
inline void walk_block(const tpacket_block_desc* block, Fn&& fn) noexcept {
  const tpacket_hdr_v1& header = block->hdr.bh1;
  const uint8_t* at = reinterpret_cast<const uint8_t*>(block) + header.offset_to_first_pkt;
  for (uint32_t i = 0; i < header.num_pkts; ++i) {
    const auto* packet = reinterpret_cast<const tpacket3_hdr*>(at);
    // sockaddr_ll follows the aligned tpacket3_hdr.
    const auto* ll = reinterpret_cast<const sockaddr_ll*>(at + TPACKET_ALIGN(sizeof(tpacket3_hdr)));
    decode::FrameView frame;
    frame.data = at + packet->tp_mac;
    frame.captured_bytes = packet->tp_snaplen;
    frame.wire_bytes = packet->tp_len;
    frame.ts_ns = uint64_t(packet->tp_sec) * 1'000'000'000ull + packet->tp_nsec;
    // A tag is present if the kernel says so or left a non-zero TCI (older kernels).
    const bool tagged = (packet->tp_status & TP_STATUS_VLAN_VALID) || packet->hv1.tp_vlan_tci != 0;
    frame.stripped_vlan_id = tagged ? int32_t(packet->hv1.tp_vlan_tci & 0x0fff) : -1;
    fn(frame, ll->sll_pkttype);
    at += packet->tp_next_offset;
  }
}

}  // namespace ringtrack::capture
