// Owns: the byte layouts of tunnel_header.hpp's headers.
// Does not own: when a frame carries them (callers).
#include "frames/tunnel_header.hpp"

#include <cstring>

namespace ringtrack::frames {
namespace {

std::size_t put16(uint8_t* out, uint16_t v) noexcept {
  out[0] = uint8_t(v >> 8);
  out[1] = uint8_t(v);
  return 2;
}
std::size_t put32(uint8_t* out, uint32_t v) noexcept {
  put16(out, uint16_t(v >> 16));
  put16(out + 2, uint16_t(v));
  return 4;
}

}  // namespace

std::size_t write_gre_header(uint8_t* out, const GreHeader& gre) noexcept {
  const uint16_t flags = uint16_t((gre.checksum ? 0x8000 : 0) | (gre.key ? 0x2000 : 0) |
                                  (gre.sequence ? 0x1000 : 0) | (gre.version & 7));
  std::size_t n = put16(out, flags);
  n += put16(out + n, gre.protocol);
  if (gre.checksum) n += put32(out + n, 0);
  if (gre.key) n += put32(out + n, *gre.key);
  if (gre.sequence) n += put32(out + n, *gre.sequence);
  return n;
}

std::size_t write_erspan_header(uint8_t* out, const ErspanHeader& erspan) noexcept {
  const uint8_t version = erspan.version_override != 0xff ? erspan.version_override : (erspan.type == 3 ? 2 : 1);
  const std::size_t n = erspan.type == 3 ? (erspan.platform_subheader ? 20 : 12) : 8;
  std::memset(out, 0, n);
  out[0] = uint8_t(version << 4);
  put16(out + 2, erspan.session & 0x03ff);
  if (erspan.type == 3 && erspan.platform_subheader) out[11] |= 1;
  return n;
}

std::size_t write_vxlan_header(uint8_t* out, uint32_t vni) noexcept {
  std::memset(out, 0, 8);
  out[0] = 0x08;
  put32(out + 4, vni << 8);
  return 8;
}

std::size_t write_geneve_header(uint8_t* out, const GeneveHeader& geneve) noexcept {
  const std::size_t n = 8 + std::size_t(geneve.option_words & 0x3f) * 4;
  std::memset(out, 0, n);
  out[0] = uint8_t((geneve.version << 6) | (geneve.option_words & 0x3f));
  put16(out + 2, geneve.protocol);
  put32(out + 4, geneve.vni << 8);
  return n;
}

std::size_t write_gtpu_header(uint8_t* out, const GtpuHeader& gtpu) noexcept {
  const bool extended = gtpu.extension_words != 0;
  const std::size_t optional = extended ? 4 + std::size_t(gtpu.extension_words) * 4 : 0;
  out[0] = gtpu.flags_override != 0 ? gtpu.flags_override : uint8_t(0x30 | (extended ? 0x04 : 0));
  out[1] = gtpu.message_type;
  put16(out + 2, uint16_t(optional + gtpu.inner_bytes));
  put32(out + 4, gtpu.teid);
  if (!extended) return 8;
  std::memset(out + 8, 0, optional);
  out[11] = 0x85;  // next: PDU session container
  uint8_t* ext = out + 12;
  ext[0] = gtpu.extension_words;  // length in 4-byte units; the last byte is the next type, 0
  return 8 + optional;
}

std::size_t write_teredo_indicators(uint8_t* out, const TeredoIndicators& teredo) noexcept {
  std::size_t n = 0;
  if (teredo.authentication) {
    std::memset(out, 0, 13);
    out[1] = 1;  // 0x0001, id and value lengths 0, nonce 8, confirmation 1
    n += 13;
  }
  if (teredo.origin) {
    std::memset(out + n, 0, 8);
    put16(out + n + 2, uint16_t(~3544u));              // obfuscated port
    put32(out + n + 4, ~((192u << 24) | (0u << 16) | (2u << 8) | 1u));  // obfuscated 192.0.2.1
    n += 8;
  }
  return n;
}

}  // namespace ringtrack::frames
