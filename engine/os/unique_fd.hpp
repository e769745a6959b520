// Owns: a file descriptor closed when its owner goes away.
// Does not own: what the descriptor is.
#pragma once

#include <unistd.h>

#include <utility>

namespace ringtrack::os {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : _fd(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : _fd(std::exchange(o._fd, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      _fd = std::exchange(o._fd, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const noexcept { return _fd; }
  explicit operator bool() const noexcept { return _fd >= 0; }
  void reset() noexcept {
    if (_fd >= 0) ::close(_fd);
    _fd = -1;
  }

 private:
  int _fd = -1;
};

}  // namespace ringtrack::os
