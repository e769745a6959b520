// Owns: eventfd calls.
// Does not own: polling a ring (packet_socket's wait_for_block).
#include "os/event_fd.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "os/syscall_error.hpp"

namespace ringtrack::os {

EventFd::EventFd() : _fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (!_fd) throw syscall_error("eventfd", errno);
}

void EventFd::signal() noexcept {
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(_fd.get(), &one, sizeof one);
}

void EventFd::drain() noexcept {
  uint64_t count = 0;
  [[maybe_unused]] const ssize_t n = ::read(_fd.get(), &count, sizeof count);
}

bool EventFd::wait(int timeout_ms) noexcept {
  pollfd p{_fd.get(), POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return false;  // EINTR counts as a timeout: the caller loops
  drain();
  return true;
}

}  // namespace ringtrack::os
