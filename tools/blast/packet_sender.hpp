// Owns: one AF_PACKET socket that writes whole frames onto an interface, past its qdisc,
// a batch per system call.
// Does not own: which frames (frame_deck), how fast (main), the CPU it runs on.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "frame_deck.hpp"
#include "os/unique_fd.hpp"

namespace ringtrack::blast {

struct SenderCounts {
  uint64_t sent_frames = 0;
  uint64_t send_retries = 0;  ///< sendmmsg calls the kernel had no room for (ENOBUFS, EAGAIN), tried again
};

class PacketSender {
 public:
  /// Opens and binds the socket; throws std::runtime_error naming the failing call.
  /// first_frame staggers the senders over the deck.
  PacketSender(const std::string& interface, const FrameDeck& deck, std::size_t first_frame);

  /// Sends up to max_frames (at most one batch) from where the last call stopped,
  /// wrapping round the deck; returns the frames the kernel took (0: no room, try again),
  /// or -1 with errno set when the kernel refused the frames (interface down, too long...).
  int send_batch(unsigned max_frames) noexcept;
  const SenderCounts& counts() const noexcept { return _counts; }

 private:
  os::UniqueFd _socket;
  std::vector<mmsghdr> _messages;  // one per deck frame, built once
  std::size_t _next = 0;
  SenderCounts _counts;
};

}  // namespace ringtrack::blast
