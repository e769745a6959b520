// Owns: an eventfd another thread writes to wake a thread sleeping in poll(): a reader on
// its quiet ring, or the live aggregator.
// Does not own: what the wake-up means (runtime).
#pragma once

#include "os/unique_fd.hpp"

namespace ringtrack::os {

class EventFd {
 public:
  /// Throws SetupError naming eventfd on failure.
  EventFd();
  int fd() const noexcept { return _fd.get(); }
  /// Any thread: makes fd() readable.
  void signal() noexcept;
  /// The waiting thread: clears it again.
  void drain() noexcept;
  /// The waiting thread: sleeps until signalled or timeout_ms passed, then clears it;
  /// true if it was signalled. A signal before the call returns at once (no lost wake-up).
  bool wait(int timeout_ms) noexcept;

 private:
  UniqueFd _fd;
};

}  // namespace ringtrack::os
