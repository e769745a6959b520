// Owns: the tunnels a generated connection's frames travel through, outermost first.
// Does not own: their bytes (tunnel_wrap) or which sessions use them (scenarios).
#pragma once

#include <array>
#include <cstdint>

#include "frames/ip_address.hpp"

namespace ringtrack::pcapgen {

enum class TunnelLayerKind : uint8_t { ipip, gre, vxlan, geneve, gtpu, teredo };

struct TunnelLayer {
  TunnelLayerKind kind = TunnelLayerKind::ipip;
  frames::IpAddress client_side;  // the tunnel end near the client (source of c2s frames)
  frames::IpAddress server_side;
  uint32_t key = 0;       // GRE key (0: none), VXLAN/Geneve VNI; Teredo: non-zero adds an origin indication
  uint32_t teid[2] = {};  // GTP-U: the TEID each direction carries (the receiver's choice), [c2s], [s2c]
};

/// Four layers: as deep as ringtrack decodes.
struct TunnelPath {
  static constexpr std::size_t max_layers = 4;
  std::array<TunnelLayer, max_layers> layers{};
  uint8_t depth = 0;

  void push(const TunnelLayer& layer) noexcept { layers[depth++] = layer; }
};

}  // namespace ringtrack::pcapgen
