// Unit tests of the pcapng reader that takes over where libpcap refuses a file: interfaces
// of different link types and snap lengths, both byte orders, timestamp resolutions,
// simple packets, and damage named in a few words.
#include "capture/pcapng_reader.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "capture/pcap_file_reader.hpp"

namespace ringtrack::capture {
namespace {

// Builds pcapng blocks in the host's byte order, or the other one when swapped.
class PcapngBytes {
 public:
  explicit PcapngBytes(bool swapped = false) : _swapped(swapped) {}

  PcapngBytes& section() {
    std::vector<uint8_t> body;
    put32(body, 0x1A2B3C4D);
    put16(body, 1);
    put16(body, 0);
    put32(body, 0xffffffff);  // section length unknown
    put32(body, 0xffffffff);
    return block(0x0A0D0D0A, body);
  }
  /// tsresol: -1 leaves the default (microseconds).
  PcapngBytes& interface(uint16_t dlt, uint32_t snap, int tsresol = -1) {
    std::vector<uint8_t> body;
    put16(body, dlt);
    put16(body, 0);
    put32(body, snap);
    if (tsresol >= 0) {
      put16(body, 9);
      put16(body, 1);
      body.insert(body.end(), {uint8_t(tsresol), 0, 0, 0});
      put16(body, 0);
      put16(body, 0);
    }
    return block(1, body);
  }
  PcapngBytes& packet(uint32_t iface, uint64_t units, std::vector<uint8_t> data, uint32_t wire = 0) {
    std::vector<uint8_t> body;
    put32(body, iface);
    put32(body, uint32_t(units >> 32));
    put32(body, uint32_t(units));
    put32(body, uint32_t(data.size()));
    put32(body, wire ? wire : uint32_t(data.size()));
    body.insert(body.end(), data.begin(), data.end());
    while (body.size() % 4) body.push_back(0);
    return block(6, body);
  }
  PcapngBytes& simple(std::vector<uint8_t> data, uint32_t wire) {
    std::vector<uint8_t> body;
    put32(body, wire);
    body.insert(body.end(), data.begin(), data.end());
    while (body.size() % 4) body.push_back(0);
    return block(3, body);
  }
  PcapngBytes& block(uint32_t type, const std::vector<uint8_t>& body) {
    const uint32_t total = uint32_t(body.size() + 12);
    put32(bytes, type);
    put32(bytes, total);
    bytes.insert(bytes.end(), body.begin(), body.end());
    put32(bytes, total);
    return *this;
  }

  std::vector<uint8_t> bytes;

 private:
  void put16(std::vector<uint8_t>& out, uint16_t v) {
    if (_swapped) v = __builtin_bswap16(v);
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    out.insert(out.end(), p, p + 2);
  }
  void put32(std::vector<uint8_t>& out, uint32_t v) {
    if (_swapped) v = __builtin_bswap32(v);
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    out.insert(out.end(), p, p + 4);
  }
  bool _swapped;
};

PcapngReader reader_of(std::vector<uint8_t>& bytes) {
  return PcapngReader(::fmemopen(bytes.data(), bytes.size(), "rb"));
}

TEST(PcapngReader, InterfacesKeepTheirOwnLinkTypeSnapLengthAndClock) {
  for (bool swapped : {false, true}) {
    PcapngBytes f(swapped);
    f.section().interface(1, 65535).interface(113, 128, 9);
    f.packet(0, 1'500'000, {1, 2, 3}).packet(1, 2'000'000'123, {4, 5}, 60);
    PcapngReader r = reader_of(f.bytes);
    PcapngPacket p;
    ASSERT_EQ(r.next(p), PcapngReader::Next::packet);
    EXPECT_EQ(p.interface, 0u);
    EXPECT_EQ(p.ts_ns, 1'500'000'000u);  // microseconds by default
    EXPECT_EQ(p.captured_bytes, 3u);
    EXPECT_EQ(p.data[2], 3);
    ASSERT_EQ(r.next(p), PcapngReader::Next::packet);
    EXPECT_EQ(p.interface, 1u);
    EXPECT_EQ(p.ts_ns, 2'000'000'123u);  // if_tsresol 9: nanoseconds
    EXPECT_EQ(p.wire_bytes, 60u);
    ASSERT_EQ(r.interfaces().size(), 2u);
    EXPECT_EQ(r.interfaces()[1].dlt, 113);
    EXPECT_EQ(r.interfaces()[1].snap_bytes, 128u);
    EXPECT_EQ(r.next(p), PcapngReader::Next::end);
  }
}

// NFLOG's TLV headers are in the capturing host's byte order, like the section's fields:
// read from a section of the other order they come out in this host's, as libpcap gives
// them for the files it reads. The walk stops at a TLV shorter than its header: the bytes
// after it, and every other interface's packets, stay as written.
TEST(PcapngReader, NflogTlvHeadersComeInThisHostsOrder) {
  auto put16 = [](std::vector<uint8_t>& frame, std::size_t at, uint16_t v, bool swapped) {
    if (swapped) v = __builtin_bswap16(v);
    std::memcpy(frame.data() + at, &v, 2);
  };
  // AF_INET, version 0, resource id 0; NFULA_PREFIX (length 5, padded to 8) "a"; a TLV of
  // length 0, where the walk stops; then bytes no walk may touch.
  const std::vector<uint8_t> tail{0x45, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc};
  auto nflog_frame = [&](bool swapped) {
    std::vector<uint8_t> frame(24, 0);
    frame[0] = 2;
    frame[8] = 'a';
    put16(frame, 4, 5, swapped);
    put16(frame, 6, 10, swapped);
    put16(frame, 12, 0, swapped);
    put16(frame, 14, 7, swapped);
    std::memcpy(frame.data() + 16, tail.data(), tail.size());
    return frame;
  };
  const std::vector<uint8_t> ethernet{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00};
  const std::vector<uint8_t> expected = nflog_frame(false);
  for (bool swapped : {false, true}) {
    const std::vector<uint8_t> written = nflog_frame(swapped);
    PcapngBytes f(swapped);
    f.section().interface(239, 65535).interface(1, 65535);
    f.packet(0, 1, written).packet(1, 2, ethernet).simple(written, uint32_t(written.size()));
    PcapngReader r = reader_of(f.bytes);
    for (int packet = 0; packet < 3; ++packet) {
      PcapngPacket p;
      ASSERT_EQ(r.next(p), PcapngReader::Next::packet) << r.damage();
      const std::vector<uint8_t> read(p.data, p.data + p.captured_bytes);
      EXPECT_EQ(read, p.interface == 0 ? expected : ethernet) << "packet " << packet << " swapped " << swapped;
    }
  }
}

TEST(PcapngReader, SimplePacketTakesInterfaceZerosSnapLengthAndTheLastTime) {
  PcapngBytes f;
  f.section().interface(1, 4).packet(0, 7, {9}).simple({1, 2, 3, 4, 5, 6}, 100);
  PcapngReader r = reader_of(f.bytes);
  PcapngPacket p;
  ASSERT_EQ(r.next(p), PcapngReader::Next::packet);
  ASSERT_EQ(r.next(p), PcapngReader::Next::packet);
  EXPECT_EQ(p.captured_bytes, 4u);
  EXPECT_EQ(p.wire_bytes, 100u);
  EXPECT_EQ(p.ts_ns, 7'000u);
}

TEST(PcapngReader, DamageIsNamed) {
  {
    PcapngBytes f;
    f.section().interface(1, 0).packet(3, 0, {1});
    PcapngReader r = reader_of(f.bytes);
    PcapngPacket p;
    ASSERT_EQ(r.next(p), PcapngReader::Next::damaged);
    EXPECT_NE(r.damage().find("interface 3"), std::string::npos) << r.damage();
  }
  {
    PcapngBytes f;
    f.section().interface(1, 0).packet(0, 0, {1, 2, 3, 4});
    f.bytes[f.bytes.size() - 1] ^= 0x40;  // the trailing length
    PcapngReader r = reader_of(f.bytes);
    PcapngPacket p;
    ASSERT_EQ(r.next(p), PcapngReader::Next::damaged);
    EXPECT_NE(r.damage().find("trailing length"), std::string::npos) << r.damage();
  }
  {
    PcapngBytes f;
    f.section().interface(1, 0).packet(0, 0, {1, 2, 3, 4});
    f.bytes.resize(f.bytes.size() - 6);
    PcapngReader r = reader_of(f.bytes);
    PcapngPacket p;
    ASSERT_EQ(r.next(p), PcapngReader::Next::damaged);
    EXPECT_NE(r.damage().find("cut short"), std::string::npos) << r.damage();
  }
}

// libpcap reads the first packets, refuses the second interface, and the file reader goes
// on with pcapng_reader from the next frame: every frame once, each with its link type.
TEST(PcapFileReader, GoesOnWhereLibpcapRefusesASecondLinkType) {
  std::vector<uint8_t> eth(60, 0);
  std::vector<uint8_t> raw(40, 0);
  raw[0] = 0x45;
  PcapngBytes f;
  f.section().interface(1, 65535).packet(0, 1, eth).packet(0, 2, eth);
  f.interface(101, 65535).packet(1, 3, raw).packet(0, 4, eth);
  PcapFileReader reader(std::span<const uint8_t>(f.bytes), "test");
  std::vector<decode::LinkType> links;
  std::vector<uint64_t> times;
  auto on_frame = [&](const decode::FrameView& frame) noexcept {
    links.push_back(reader.link_type());
    times.push_back(frame.ts_ns);
    return true;
  };
  ReadResult result;
  while ((result = reader.read_some(64, on_frame)) == ReadResult::frame) {
  }
  EXPECT_EQ(result, ReadResult::end) << reader.damage_message();
  EXPECT_EQ(reader.frames_read(), 4u);
  EXPECT_EQ(times, (std::vector<uint64_t>{1000, 2000, 3000, 4000}));
  EXPECT_EQ(links, (std::vector<decode::LinkType>{decode::LinkType::ethernet, decode::LinkType::ethernet,
                                                  decode::LinkType::raw_ip, decode::LinkType::ethernet}));
}

}  // namespace
}  // namespace ringtrack::capture
