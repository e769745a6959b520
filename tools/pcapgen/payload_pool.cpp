// Owns: filling the payload block deterministically and precomputing its prefix word sums.
// Does not own: how payloads are placed into frames (frame_builder, pcap_writer).
#include "payload_pool.hpp"

#include <string_view>

#include "rng.hpp"

namespace ringtrack::pcapgen {

PayloadPool::PayloadPool(uint64_t seed) : _bytes(capacity_bytes), _prefix_word_sums(capacity_bytes / 2 + 1) {
  // Lower-case words, spaces and line breaks: looks like text in a hex dump and never forms
  // a protocol header that a dissector would take for something else.
  constexpr std::string_view letters = "etaoinshrdlucmfwypvbgkqjxz";
  Rng random(seed ^ 0x7061796C6F6164ULL);
  uint32_t word_left = 0;
  for (auto& byte : _bytes) {
    if (word_left == 0) {
      word_left = random.between(2, 9);
      byte = random.one_in(8) ? static_cast<uint8_t>('\n') : static_cast<uint8_t>(' ');
      continue;
    }
    --word_left;
    byte = static_cast<uint8_t>(letters[random.below(static_cast<uint32_t>(letters.size()))]);
  }
  uint64_t sum = 0;
  for (uint32_t word = 0; word < capacity_bytes / 2; ++word) {
    _prefix_word_sums[word] = sum;
    sum += (static_cast<uint64_t>(_bytes[2 * word]) << 8) | _bytes[2 * word + 1];
  }
  _prefix_word_sums[capacity_bytes / 2] = sum;
}

}  // namespace ringtrack::pcapgen
