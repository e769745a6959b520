// Owns: eventfd calls.
// Does not own: polling (packet_socket's wait_for_block).
#include "os/event_fd.hpp"

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

}  // namespace ringtrack::os
