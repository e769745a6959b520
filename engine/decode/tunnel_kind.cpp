// Owns: names of tunnel kinds (rows and summaries).
// Does not own: the kinds' meaning (tunnel_kind.hpp).
#include "decode/tunnel_kind.hpp"

namespace ringtrack::decode {

TunnelKind tunnel_kind_from_name(std::string_view name) noexcept {
  for (unsigned k = 1; k < tunnel_kind_count; ++k)
    if (name == tunnel_kind_name(TunnelKind(k))) return TunnelKind(k);
  return TunnelKind::none;
}

const char* tunnel_kind_name(TunnelKind k) noexcept {
  switch (k) {
    case TunnelKind::none: return "none";
    case TunnelKind::ipip: return "ipip";
    case TunnelKind::gre: return "gre";
    case TunnelKind::erspan: return "erspan";
    case TunnelKind::wccp: return "wccp";
    case TunnelKind::vxlan: return "vxlan";
    case TunnelKind::geneve: return "geneve";
    case TunnelKind::gtpu: return "gtpu";
    case TunnelKind::teredo: return "teredo";
    case TunnelKind::count_: break;
  }
  return "unknown";
}

}  // namespace ringtrack::decode
