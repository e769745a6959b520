// Owns: the frames a sender cycles through, loaded once from a capture file into one
// flat buffer, and their iovecs ready for sendmmsg.
// Does not own: sending (packet_sender) or pacing (main).
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ringtrack::blast {

class FrameDeck {
 public:
  /// Reads frames [first, last) of an Ethernet capture (numbered from 0; last 0: to the
  /// end); throws std::runtime_error naming the file and the problem (missing, not a
  /// capture, not Ethernet, no frame in the range).
  FrameDeck(const std::string& path, uint64_t first, uint64_t last);

  std::size_t size() const noexcept { return _frames.size(); }
  /// Frame i as an iovec; the deck outlives every sender that points into it.
  const iovec& frame(std::size_t i) const noexcept { return _frames[i]; }
  uint64_t bytes() const noexcept { return _bytes.size(); }

 private:
  std::vector<unsigned char> _bytes;
  std::vector<iovec> _frames;
};

}  // namespace ringtrack::blast
