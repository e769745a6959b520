// Owns: reading pcapng block by block for the files libpcap refuses: several interfaces
// whose link types or snap lengths differ (each packet keeps its own interface's).
// Does not own: every file libpcap reads (pcap_file_reader), filters, decoding.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace ringtrack::capture {

/// One packet block: data is valid until the next call to next().
struct PcapngPacket {
  uint32_t interface = 0;
  const uint8_t* data = nullptr;
  uint32_t captured_bytes = 0;
  uint32_t wire_bytes = 0;
  uint64_t ts_ns = 0;
};

/// What an Interface Description Block says.
struct PcapngInterface {
  int dlt = 0;
  uint32_t snap_bytes = 0;     ///< 0: no limit
  /// if_tsresol: a timestamp unit is 10^-resolution seconds (2^-resolution if power_of_2).
  uint8_t resolution = 6;
  bool power_of_2 = false;
  int64_t offset_s = 0;        ///< if_tsoffset
};

/// Owned by the one thread that reads the file. Sections (SHB) may change byte order and
/// start their interfaces anew; enhanced, simple and obsolete packet blocks are packets;
/// every other block is skipped.
class PcapngReader {
 public:
  /// stream is owned from now on and closed with the reader.
  explicit PcapngReader(std::FILE* stream);
  ~PcapngReader();
  PcapngReader(const PcapngReader&) = delete;
  PcapngReader& operator=(const PcapngReader&) = delete;

  enum class Next { packet, end, damaged };
  /// The next packet; on damaged, damage() says what is wrong in a few words.
  Next next(PcapngPacket& out);

  const std::vector<PcapngInterface>& interfaces() const noexcept { return _interfaces; }
  /// Bumped whenever the interface list changes (an IDB, a new section).
  uint32_t interfaces_version() const noexcept { return _interfaces_version; }
  const std::string& damage() const noexcept { return _damage; }

 private:
  bool read_block(uint32_t& type);
  uint16_t u16(const uint8_t* p) const noexcept;
  uint32_t u32(const uint8_t* p) const noexcept;
  bool add_interface();
  uint64_t to_ns(const PcapngInterface& i, uint64_t units) const noexcept;
  /// The packet's pseudo-header fields written in the capturing host's order (NFLOG's
  /// TLVs), turned to this host's, as libpcap does for the files it reads. data: the
  /// packet's bytes in _body.
  void to_host_order(const PcapngPacket& packet, uint8_t* data) noexcept;
  Next fail(std::string what);

  std::FILE* _stream;
  bool _swapped = false;  // the section was written in the other byte order
  bool _in_section = false;
  std::vector<uint8_t> _body;  // the current block after its type and length
  std::vector<PcapngInterface> _interfaces;
  uint32_t _interfaces_version = 0;
  uint64_t _last_ts_ns = 0;  // simple packet blocks carry none: they take the last one
  std::string _damage;
};

}  // namespace ringtrack::capture
