// libFuzzer target: the frame decoder on arbitrary bytes, every link type and tunnel. The first byte
// picks the link type and whether the kernel "stripped" a VLAN tag; two more add to the
// original length (snap-length cuts); the rest is the frame.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "decode/frame_decoder.hpp"

using namespace ringtrack;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const auto link = decode::LinkType(data[0] % decode::link_type_count);
  const int32_t stripped = (data[0] & 0x80) ? int32_t(data[1] & 0x0f) : -1;
  const uint32_t extra = uint32_t(data[1] << 8 | data[2]);
  // An exactly sized copy: any read past the capture is caught.
  std::vector<uint8_t> frame(data + 3, data + size);
  decode::FrameView view{frame.data(), uint32_t(frame.size()), uint32_t(frame.size()) + extra, 1, stripped};
  decode::PacketRecord record;
  decode::KeyDetail detail;
  const decode::DecodeOutcome outcome = decode::decode_frame(link, view, record, detail);
  const decode::TunnelIdentity& tunnel = detail.tunnel;
  if (outcome == decode::DecodeOutcome::tcp) {
    // Lengths come from IP headers capped by the frame: payload never exceeds the wire.
    if (record.payload_bytes > record.wire_bytes) std::abort();
    if (record.key.vlan_depth() > decode::FlowKey::max_vlan_depth) std::abort();
    // A tunnelled key names the innermost kind and no VLAN stack (its tags are in the id).
    // An identity of kind none has nothing else set (it is not zeroed): only its kind counts.
    if (record.key.tunnel_kind() != unsigned(tunnel.kind)) std::abort();
    if (tunnel.kind != decode::TunnelKind::none && record.key.tunnel_id() != tunnel.id) std::abort();
    if (record.key.tunnelled() && record.key.vlan_depth() != 0) std::abort();
    // A stack deeper than the key's three is told whole, its outer three the key's.
    if (!record.key.tunnelled() && record.vlan_stack_id != 0) {
      if (record.key.vlan_depth() != decode::FlowKey::max_vlan_depth || detail.vlans.id != record.vlan_stack_id ||
          detail.vlans.depth <= decode::FlowKey::max_vlan_depth || detail.vlans.depth > decode::VlanStack::max_depth)
        std::abort();
      for (unsigned i = 0; i < decode::FlowKey::max_vlan_depth; ++i)
        if (detail.vlans.ids[i] != record.key.vlan_id(i)) std::abort();
    }
  }
  return 0;
}
