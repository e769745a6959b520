// Owns: the read-only bytes every TCP/UDP payload is cut from, and their prefix checksum sums.
// Does not own: payload sizes (scenarios choose them) or header checksums (frame_builder).
#pragma once

#include <cstdint>
#include <vector>

namespace pcapgen {

/// Every payload is a prefix of one 64 KiB text-like block. Because a payload always starts at
/// an even offset of its segment, its one's-complement sum is a prefix sum: checksumming a
/// 1448-byte segment costs one table look-up instead of 724 additions.
class payload_pool {
public:
    static constexpr std::uint32_t capacity_bytes = 65536;

    explicit payload_pool(std::uint64_t seed);

    const std::uint8_t* data() const noexcept { return _bytes.data(); }

    /// Unfolded sum of the first length_bytes bytes as 16-bit words (odd tail zero-padded).
    std::uint64_t prefix_word_sum(std::uint32_t length_bytes) const noexcept {
        std::uint64_t sum = _prefix_word_sums[length_bytes / 2];
        if ((length_bytes & 1U) != 0) {
            sum += static_cast<std::uint64_t>(_bytes[length_bytes - 1]) << 8;
        }
        return sum;
    }

private:
    std::vector<std::uint8_t> _bytes;
    std::vector<std::uint64_t> _prefix_word_sums;  // [k] = sum of the first k words
};

}  // namespace pcapgen
