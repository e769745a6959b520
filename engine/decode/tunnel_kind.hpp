// Owns: the kinds of tunnel the decoder opens and their names.
// Does not own: decoding them (tunnel_decoder) or where a connection keeps its tunnel (flow_key).
#pragma once

#include <cstdint>
#include <string_view>

namespace ringtrack::decode {

/// The innermost tunnel a packet came out of. Four bits in FlowKey::meta: at most 15 kinds.
enum class TunnelKind : uint8_t {
  none,
  ipip,    ///< IPv4 or IPv6 in IPv4 or IPv6 (protocols 4 and 41: IPIP, 6in4/SIT, 4in6, 6in6)
  gre,     ///< GRE (RFC 2784/2890) carrying IP, Ethernet (0x6558) or 802.11 (Aruba, 0x8200)
  erspan,  ///< ERSPAN type II (GRE 0x88be) and III (0x22eb): mirrored Ethernet
  wccp,    ///< WCCP redirect (GRE 0x883e)
  vxlan,   ///< UDP 4789, inner Ethernet
  geneve,  ///< UDP 6081, inner Ethernet or IP
  gtpu,    ///< GTP-U v1, UDP 2152, inner IP
  teredo,  ///< UDP 3544, inner IPv6
  count_
};

inline constexpr unsigned tunnel_kind_count = static_cast<unsigned>(TunnelKind::count_);
static_assert(tunnel_kind_count <= 16, "the kind is four bits of FlowKey::meta");

const char* tunnel_kind_name(TunnelKind k) noexcept;
/// The kind tunnel_kind_name names name; none for "none" and for any other word.
TunnelKind tunnel_kind_from_name(std::string_view name) noexcept;

}  // namespace ringtrack::decode
