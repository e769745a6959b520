// Owns: the bytes of the frame pieces frame_bytes.hpp declares.
// Does not own: which frames a test builds from them.
#include "frame_bytes.hpp"

namespace ringtrack::testing {

void put16(Bytes& b, uint16_t v) {
  b.push_back(uint8_t(v >> 8));
  b.push_back(uint8_t(v));
}
void put32(Bytes& b, uint32_t v) {
  put16(b, uint16_t(v >> 16));
  put16(b, uint16_t(v));
}
void set16(Bytes& b, std::size_t at, uint16_t v) {
  b[at] = uint8_t(v >> 8);
  b[at + 1] = uint8_t(v);
}
Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes tcp(const TcpSpec& t) {
  Bytes b;
  put16(b, t.src_port);
  put16(b, t.dst_port);
  put32(b, t.seq);
  put32(b, t.ack);
  b.push_back(uint8_t(t.header_words << 4));
  b.push_back(t.flags);
  put16(b, 65535);  // window
  put16(b, 0);      // checksum: decoders do not verify it
  put16(b, 0);
  const std::size_t header = std::size_t(t.header_words) * 4;
  if (header > b.size()) b.resize(header, 1);  // NOP options
  b.resize(b.size() + t.payload, 'p');
  return b;
}

Bytes ipv4(std::initializer_list<uint8_t> src, std::initializer_list<uint8_t> dst, const Bytes& body,
                  uint8_t protocol, uint8_t option_words, uint16_t fragment_field, int total_override) {
  Bytes b;
  const uint8_t ihl = uint8_t(5 + option_words);
  b.push_back(uint8_t(0x40 | ihl));
  b.push_back(0);
  put16(b, uint16_t(total_override >= 0 ? total_override : ihl * 4 + int(body.size())));
  put16(b, 0x1234);
  put16(b, fragment_field);
  b.push_back(64);
  b.push_back(protocol);
  put16(b, 0);
  b.insert(b.end(), src);
  b.insert(b.end(), dst);
  b.resize(b.size() + option_words * 4u, 1);
  return b + body;
}

Bytes ipv6(uint8_t last_src, uint8_t last_dst, uint8_t next_header, const Bytes& rest,
                  int payload_override) {
  Bytes b;
  put32(b, 0x60000000);
  put16(b, uint16_t(payload_override >= 0 ? payload_override : int(rest.size())));
  b.push_back(next_header);
  b.push_back(64);
  const uint8_t prefix[] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  b.insert(b.end(), prefix, prefix + 15);
  b.push_back(last_src);
  b.insert(b.end(), prefix, prefix + 15);
  b.push_back(last_dst);
  return b + rest;
}

Bytes ipv6_extension(uint8_t next_header, uint8_t length_units) {
  Bytes b(std::size_t(length_units + 1) * 8, 0);
  b[0] = next_header;
  b[1] = length_units;
  return b;
}

Bytes ethernet(uint16_t ethertype, std::initializer_list<std::pair<uint16_t, uint16_t>> tags) {
  Bytes b(12, 0xaa);  // destination and source MAC
  for (const auto& [tpid, vid] : tags) {
    put16(b, tpid);
    put16(b, vid);
  }
  put16(b, ethertype);
  return b;
}

}  // namespace ringtrack::testing
