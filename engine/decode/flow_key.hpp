// Owns: the identity of a TCP connection (addresses, ports, VLAN stack) in canonical order.
// Does not own: hashing (flow/flow_hash) or per-connection state (flow/connection).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace ringtrack::decode {

/// Both directions of a connection produce the same key: endpoint a is the smaller
/// (address bytes, then port), endpoint b the larger. IPv4 addresses are stored
/// IPv4-mapped (::ffff:a.b.c.d) so every address is 16 bytes and compares as bytes.
///
/// meta packs what else makes the identity, so the whole key is five 64-bit words:
///   bits  0..11  outer VLAN id      bits 12..23  inner VLAN id
///   bits 24..25  VLAN depth (0..2)  bit  26      1 = IPv6, 0 = IPv4
/// Every other bit is zero, so two keys are equal exactly when their bytes are.
struct FlowKey {
  std::array<uint8_t, 16> addr_a;
  std::array<uint8_t, 16> addr_b;
  uint16_t port_a;
  uint16_t port_b;
  uint32_t meta;

  static constexpr uint32_t vlan_depth_shift = 24;
  static constexpr uint32_t ipv6_bit = 1u << 26;
  static constexpr unsigned max_vlan_depth = 2;

  bool is_ipv6() const noexcept { return (meta & ipv6_bit) != 0; }
  unsigned vlan_depth() const noexcept { return (meta >> vlan_depth_shift) & 3u; }
  /// VLAN id at depth i (0 = outermost); valid for i < vlan_depth().
  uint16_t vlan_id(unsigned i) const noexcept {
    return static_cast<uint16_t>((meta >> (12 * i)) & 0xfffu);
  }

  /// The key as its five words (a hash and compare input).
  uint64_t word(unsigned i) const noexcept {
    uint64_t w;
    std::memcpy(&w, reinterpret_cast<const char*>(this) + 8 * i, sizeof w);
    return w;
  }

  friend bool operator==(const FlowKey& x, const FlowKey& y) noexcept {
    // Five word compares, branch-free; a memcmp call costs more than the whole compare.
    return ((x.word(0) ^ y.word(0)) | (x.word(1) ^ y.word(1)) | (x.word(2) ^ y.word(2)) |
            (x.word(3) ^ y.word(3)) | (x.word(4) ^ y.word(4))) == 0;
  }
};

static_assert(sizeof(FlowKey) == 40, "five words: hashed and compared as such");
static_assert(FlowKey::max_vlan_depth * 12 <= FlowKey::vlan_depth_shift,
              "VLAN ids must not overlap the depth bits");
static_assert((3u << FlowKey::vlan_depth_shift) < FlowKey::ipv6_bit,
              "depth bits must not overlap the family bit");

/// Packs a VLAN stack (ids outermost first, depth <= max_vlan_depth) into FlowKey::meta bits.
constexpr uint32_t pack_vlan_stack(const uint16_t* ids, unsigned depth) noexcept {
  uint32_t meta = depth << FlowKey::vlan_depth_shift;
  for (unsigned i = 0; i < depth; ++i) meta |= uint32_t(ids[i] & 0xfffu) << (12 * i);
  return meta;
}

/// Fills key for a packet sent from (src, src_port) to (dst, dst_port), in canonical order;
/// meta as FlowKey::meta. Returns true when the sender is endpoint a.
inline bool make_flow_key(FlowKey& key, const std::array<uint8_t, 16>& src, uint16_t src_port,
                          const std::array<uint8_t, 16>& dst, uint16_t dst_port,
                          uint32_t meta) noexcept {
  int order = std::memcmp(src.data(), dst.data(), 16);
  if (order == 0) order = int(src_port) - int(dst_port);
  const bool src_is_a = order <= 0;
  key.addr_a = src_is_a ? src : dst;
  key.addr_b = src_is_a ? dst : src;
  key.port_a = src_is_a ? src_port : dst_port;
  key.port_b = src_is_a ? dst_port : src_port;
  key.meta = meta;
  return src_is_a;
}

}  // namespace ringtrack::decode
