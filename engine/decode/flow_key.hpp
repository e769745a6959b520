// Owns: the identity of a TCP connection (addresses, ports, VLAN stack or tunnel) in canonical order.
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
///   offset  0  addr_a[16]     offset 32  port_a      offset 36  meta_bytes[6]
///   offset 16  addr_b[16]     offset 34  port_b      (42 bytes, 2-byte aligned)
///
/// meta is a 48-bit value, stored least significant byte first, that packs what else makes
/// the identity:
///   bits  0..11  outer VLAN id      bits 12..23  second VLAN id    bits 24..35  third VLAN id
///   bits 36..37  VLAN depth (0..3)  bit  38      1 = IPv6, 0 = IPv4
/// Every other bit is zero, so two keys are equal exactly when their bytes are.
///
/// Three VLAN ids are what Suricata keys a flow on; a deeper stack (the decoder takes up to
/// eight tags) is keyed by its outer three. Three ids need 36 bits, more than the 32-bit meta
/// of the 40-byte key this was, and every bit of two IPv6 addresses and two ports is
/// identity, so the key grew by one 16-bit step to 42 bytes: hashed and compared as five
/// words and a 16-bit tail (bytes 40..41).
struct FlowKey {
  std::array<uint8_t, 16> addr_a;
  std::array<uint8_t, 16> addr_b;
  uint16_t port_a;
  uint16_t port_b;
  std::array<uint8_t, 6> meta_bytes;

  static constexpr unsigned max_vlan_depth = 3;
  static constexpr unsigned vlan_depth_shift = 36;
  static constexpr uint64_t ipv6_bit = uint64_t(1) << 38;
  static constexpr uint64_t tunnel_bit = uint64_t(1) << 39;
  static constexpr unsigned tunnel_kind_shift = 32;
  static constexpr unsigned meta_bits = 48;

  uint64_t meta() const noexcept {
    uint64_t m = 0;
    for (unsigned i = 0; i < meta_bytes.size(); ++i) m |= uint64_t(meta_bytes[i]) << (8 * i);
    return m;
  }
  void set_meta(uint64_t m) noexcept {
    for (unsigned i = 0; i < meta_bytes.size(); ++i) meta_bytes[i] = uint8_t(m >> (8 * i));
  }

  bool is_ipv6() const noexcept { return (meta_bytes[4] & (ipv6_bit >> 32)) != 0; }
  unsigned vlan_depth() const noexcept { return unsigned(meta() >> vlan_depth_shift) & 3u; }
  bool tunnelled() const noexcept { return (meta_bytes[4] & (tunnel_bit >> 32)) != 0; }
  /// The innermost tunnel's TunnelKind as a number (0 = none) and the tunnel id.
  unsigned tunnel_kind() const noexcept { return tunnelled() ? meta_bytes[4] & 0x0fu : 0u; }
  uint32_t tunnel_id() const noexcept { return tunnelled() ? uint32_t(meta()) : 0u; }
  /// VLAN id at depth i (0 = outermost); valid for i < vlan_depth().
  uint16_t vlan_id(unsigned i) const noexcept { return static_cast<uint16_t>((meta() >> (12 * i)) & 0xfffu); }

  /// The key's first 40 bytes as five words, and the 16-bit tail after them (hash and
  /// compare inputs).
  uint64_t word(unsigned i) const noexcept {
    uint64_t w;
    std::memcpy(&w, reinterpret_cast<const char*>(this) + 8 * i, sizeof w);
    return w;
  }
  uint16_t tail() const noexcept {
    uint16_t t;
    std::memcpy(&t, reinterpret_cast<const char*>(this) + 40, sizeof t);
    return t;
  }

  friend bool operator==(const FlowKey& x, const FlowKey& y) noexcept {
    // Five word compares and the tail, branch-free; a memcmp call costs more than the whole compare.
    return ((x.word(0) ^ y.word(0)) | (x.word(1) ^ y.word(1)) | (x.word(2) ^ y.word(2)) |
            (x.word(3) ^ y.word(3)) | (x.word(4) ^ y.word(4)) | uint64_t(x.tail() ^ y.tail())) == 0;
  }
};

static_assert(sizeof(FlowKey) == 42, "five words and a 16-bit tail: hashed and compared as such");
static_assert(alignof(FlowKey) == 2, "no padding after the tail: records place their next field at byte 42");
static_assert(FlowKey::max_vlan_depth * 12 <= FlowKey::vlan_depth_shift,
              "VLAN ids must not overlap the depth bits");
static_assert((uint64_t(3) << FlowKey::vlan_depth_shift) < FlowKey::ipv6_bit,
              "depth bits must not overlap the family bit");
static_assert(FlowKey::ipv6_bit < FlowKey::tunnel_bit, "family and tunnel bits are distinct");
static_assert(FlowKey::tunnel_bit < (uint64_t(1) << FlowKey::meta_bits), "meta fits its six bytes");
static_assert(FlowKey::tunnel_kind_shift + 4 <= FlowKey::vlan_depth_shift,
              "a tunnelled key's kind must leave the VLAN depth bits zero");

/// Packs a VLAN stack (ids outermost first) into FlowKey::meta bits: a stack deeper than
/// max_vlan_depth is keyed by its outer max_vlan_depth ids.
constexpr uint64_t pack_vlan_stack(const uint16_t* ids, unsigned depth) noexcept {
  if (depth > FlowKey::max_vlan_depth) depth = FlowKey::max_vlan_depth;
  uint64_t meta = uint64_t(depth) << FlowKey::vlan_depth_shift;
  for (unsigned i = 0; i < depth; ++i) meta |= uint64_t(ids[i] & 0xfffu) << (12 * i);
  return meta;
}

/// FlowKey::meta bits of a tunnelled packet: kind is a TunnelKind's number (1..15).
constexpr uint64_t pack_tunnel(uint32_t tunnel_id, unsigned kind) noexcept {
  return FlowKey::tunnel_bit | (uint64_t(kind & 0x0fu) << FlowKey::tunnel_kind_shift) | tunnel_id;
}

/// Fills key for a packet sent from (src, src_port) to (dst, dst_port), in canonical order;
/// meta as FlowKey::meta. Returns true when the sender is endpoint a.
inline bool make_flow_key(FlowKey& key, const std::array<uint8_t, 16>& src, uint16_t src_port,
                          const std::array<uint8_t, 16>& dst, uint16_t dst_port,
                          uint64_t meta) noexcept {
  int order = std::memcmp(src.data(), dst.data(), 16);
  if (order == 0) order = int(src_port) - int(dst_port);
  const bool src_is_a = order <= 0;
  key.addr_a = src_is_a ? src : dst;
  key.addr_b = src_is_a ? dst : src;
  key.port_a = src_is_a ? src_port : dst_port;
  key.port_b = src_is_a ? dst_port : src_port;
  key.set_meta(meta);
  return src_is_a;
}

}  // namespace ringtrack::decode
