// Owns: what can be shown of a tunnelled connection's innermost tunnel (kind, outer
// endpoints, GRE key / VNI / ERSPAN session / GTP-U TEIDs), beside the key's hash of it.
// Does not own: the hash (tunnel_trail), where identities are kept (flow/tunnel_book).
#pragma once

#include <array>
#include <cstdint>

#include "decode/tunnel_kind.hpp"

namespace ringtrack::decode {

/// Which of TunnelIdentity::key holds (and how output names it).
enum class TunnelKeyKind : uint8_t { none, gre_key, vni, erspan_session, teid };

/// Flat, 52 bytes, trivial: a reader's per-packet local is not zeroed (value-initialize
/// one with {} to clear it). The outer endpoints are the innermost tunnel's IP header's, in the
/// key's canonical order (outer_a the smaller), IPv4 as ::ffff:a.b.c.d. GTP-U's TEIDs
/// differ by direction: teid[0] is the one on packets sent to outer_b, teid[1] to outer_a.
struct TunnelIdentity {
  uint32_t id;                   ///< the key's tunnel id
  TunnelKind kind;               ///< none: not tunnelled (nothing else is set)
  TunnelKeyKind key_kind;
  uint8_t outer_family;          ///< 4 or 6; 0: the endpoints and keys are not known
  uint8_t teid_seen;             ///< bit d: teid[d] was seen
  uint32_t key;                  ///< GRE key, VNI or ERSPAN session
  std::array<uint32_t, 2> teid;
  std::array<uint8_t, 16> outer_a;
  std::array<uint8_t, 16> outer_b;
};

static_assert(sizeof(TunnelIdentity) == 52, "flat and small: it travels in record batches and views");

}  // namespace ringtrack::decode
