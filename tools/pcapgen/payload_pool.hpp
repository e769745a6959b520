// Owns: the read-only bytes every TCP/UDP payload is cut from, and their prefix checksum sums.
// Does not own: payload sizes (scenarios choose them) or header checksums (frame_builder).
#pragma once

#include <cstdint>
#include <vector>

namespace ringtrack::pcapgen {

/// Every payload is a prefix of one 64 KiB text-like block. Because a payload always starts at
/// an even offset of its segment, its one's-complement sum is a prefix sum: checksumming a
/// 1448-byte segment costs one table look-up instead of 724 additions.
class PayloadPool {
 public:
  static constexpr uint32_t capacity_bytes = 65536;

  explicit PayloadPool(uint64_t seed);

  const uint8_t* data() const noexcept { return _bytes.data(); }

  /// Unfolded sum of the first length_bytes bytes as 16-bit words (odd tail zero-padded).
  uint64_t prefix_word_sum(uint32_t length_bytes) const noexcept {
    uint64_t sum = _prefix_word_sums[length_bytes / 2];
    if ((length_bytes & 1U) != 0) {
      sum += static_cast<uint64_t>(_bytes[length_bytes - 1]) << 8;
    }
    return sum;
  }

 private:
  std::vector<uint8_t> _bytes;
  std::vector<uint64_t> _prefix_word_sums;  // [k] = sum of the first k words
};

}  // namespace ringtrack::pcapgen
