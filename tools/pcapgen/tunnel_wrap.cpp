// Owns: the byte layout of a tunnelled frame: lengths worked out from the innermost layer
// out, headers written from the outermost in.
// Does not own: header encodings (tools/frames) or the inner frame (frame_builder).
#include "tunnel_wrap.hpp"

#include <cstring>

#include "frames/ip_header.hpp"
#include "frames/transport_header.hpp"
#include "frames/tunnel_header.hpp"

namespace ringtrack::pcapgen {
namespace {

constexpr uint32_t ethernet_bytes = 14;
constexpr uint32_t gtpu_header_bytes = 16;  // 8, the optional 4, a one-word extension header
constexpr uint16_t teredo_client_port = 50000;

// Bytes between a layer's IP header and what it carries.
uint32_t encapsulation_bytes(const TunnelLayer& layer) noexcept {
  switch (layer.kind) {
    case TunnelLayerKind::ipip: return 0;
    case TunnelLayerKind::gre: return layer.key != 0 ? 8 : 4;
    case TunnelLayerKind::vxlan:
    case TunnelLayerKind::geneve: return frames::udp_header_bytes + 8 + ethernet_bytes;
    case TunnelLayerKind::gtpu: return frames::udp_header_bytes + gtpu_header_bytes;
    case TunnelLayerKind::teredo: return frames::udp_header_bytes + (layer.key != 0 ? 8 : 0);
  }
  return 0;
}

uint8_t ip_protocol_of(const TunnelLayer& layer, bool next_ipv6) noexcept {
  switch (layer.kind) {
    case TunnelLayerKind::ipip: return next_ipv6 ? frames::ip_protocol_ipv6_in_ip : frames::ip_protocol_ipip;
    case TunnelLayerKind::gre: return frames::ip_protocol_gre;
    default: return frames::ip_protocol_udp;
  }
}

uint16_t ethertype_of(bool ipv6) noexcept { return ipv6 ? frames::ethertype_ipv6 : frames::ethertype_ipv4; }

// Writes layer's encapsulation for after_bytes of inner packet at out; returns its length.
std::size_t write_encapsulation(uint8_t* out, const TunnelLayer& layer, Direction from, bool next_ipv6,
                                uint32_t after_bytes) noexcept {
  const uint32_t encapsulation = encapsulation_bytes(layer);
  const bool c2s = from == Direction::c2s;
  frames::UdpHeader udp;
  udp.length_bytes = static_cast<uint16_t>(encapsulation + after_bytes);
  std::size_t n = 0;
  switch (layer.kind) {
    case TunnelLayerKind::ipip: return 0;
    case TunnelLayerKind::gre: {
      frames::GreHeader gre;
      gre.protocol = ethertype_of(next_ipv6);
      if (layer.key != 0) gre.key = layer.key;
      return frames::write_gre_header(out, gre);
    }
    case TunnelLayerKind::vxlan:
    case TunnelLayerKind::geneve: {
      // The source port is the sender's flow-entropy hash: one per direction here.
      const bool vxlan = layer.kind == TunnelLayerKind::vxlan;
      udp.src_port = c2s ? 49152 : 49153;
      udp.dst_port = vxlan ? frames::udp_port_vxlan : frames::udp_port_geneve;
      n = frames::write_udp_header(out, udp);
      n += vxlan ? frames::write_vxlan_header(out + n, layer.key)
                 : frames::write_geneve_header(out + n, {.vni = layer.key});
      frames::LinkHeaderSpec inner_link;
      inner_link.ethertype = ethertype_of(next_ipv6);
      return n + frames::LinkWriter(frames::LinkType::ether, false).write(out + n, inner_link);
    }
    case TunnelLayerKind::gtpu: {
      udp.src_port = udp.dst_port = frames::udp_port_gtpu;
      n = frames::write_udp_header(out, udp);
      frames::GtpuHeader gtpu;
      gtpu.teid = layer.teid[c2s ? 0 : 1];
      gtpu.inner_bytes = static_cast<uint16_t>(after_bytes);
      gtpu.extension_words = 1;
      return n + frames::write_gtpu_header(out + n, gtpu);
    }
    case TunnelLayerKind::teredo: {
      udp.src_port = c2s ? teredo_client_port : frames::udp_port_teredo;
      udp.dst_port = c2s ? frames::udp_port_teredo : teredo_client_port;
      n = frames::write_udp_header(out, udp);
      return n + frames::write_teredo_indicators(out + n, {.origin = layer.key != 0});
    }
  }
  return 0;
}

}  // namespace

BuiltFrame TunnelWrapper::wrap(const BuiltFrame& inner, bool inner_ipv6, frames::LinkHeaderSpec outer_link,
                               const TunnelPath& path, Direction from) noexcept {
  const uint32_t inner_link_bytes = static_cast<uint32_t>(_link.header_bytes(0));
  const uint32_t inner_packet_bytes = static_cast<uint32_t>(inner.head.size() + inner.tail.size()) - inner_link_bytes;
  // after[i]: the bytes after layer i's IP header, worked out from the innermost layer out.
  std::array<uint32_t, TunnelPath::max_layers> after{};
  uint32_t inside = inner_packet_bytes;
  for (std::size_t i = path.depth; i-- > 0;) {
    after[i] = encapsulation_bytes(path.layers[i]) + inside;
    inside = (path.layers[i].client_side.is_v6 ? frames::ipv6_header_bytes : frames::ipv4_header_bytes) + after[i];
  }

  outer_link.ethertype = ethertype_of(path.layers[0].client_side.is_v6);
  uint8_t* const out = _head.data();
  std::size_t n = _link.write(out, outer_link);
  const std::size_t outer_link_bytes = n;
  for (std::size_t i = 0; i < path.depth; ++i) {
    const TunnelLayer& layer = path.layers[i];
    const bool next_ipv6 = i + 1 < path.depth ? path.layers[i + 1].client_side.is_v6 : inner_ipv6;
    const frames::IpAddress& src = from == Direction::c2s ? layer.client_side : layer.server_side;
    const frames::IpAddress& dst = from == Direction::c2s ? layer.server_side : layer.client_side;
    if (layer.client_side.is_v6) {
      frames::Ipv6Header ip;
      ip.payload_bytes = static_cast<uint16_t>(after[i]);
      ip.next_header = ip_protocol_of(layer, next_ipv6);
      ip.src = src;
      ip.dst = dst;
      n += frames::write_ipv6_header(out + n, ip);
    } else {
      frames::Ipv4Header ip;
      ip.total_bytes = static_cast<uint16_t>(frames::ipv4_header_bytes + after[i]);
      ip.protocol = ip_protocol_of(layer, next_ipv6);
      ip.src = src;
      ip.dst = dst;
      n += frames::write_ipv4_header(out + n, ip);
    }
    n += write_encapsulation(out + n, layer, from, next_ipv6, after[i] - encapsulation_bytes(layer));
  }
  const std::size_t prefix_bytes = n - outer_link_bytes;
  std::memcpy(out + n, inner.head.data() + inner_link_bytes, inner.head.size() - inner_link_bytes);
  n += inner.head.size() - inner_link_bytes;

  BuiltFrame frame = inner;
  frame.head = {out, n};
  const auto grown = static_cast<uint32_t>(outer_link_bytes + prefix_bytes) - inner_link_bytes;
  frame.wire_bytes = inner.wire_bytes + grown;
  frame.decode_bytes = inner.decode_bytes + grown;
  return frame;
}

}  // namespace ringtrack::pcapgen
