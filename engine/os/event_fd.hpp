// Owns: an eventfd another thread writes to wake a reader sleeping in poll().
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

 private:
  UniqueFd _fd;
};

}  // namespace ringtrack::os
