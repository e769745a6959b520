// Owns: write(2) loops for report output.
// Does not own: formatting.
#include "frontend/batch/output_stream.hpp"

#include <unistd.h>

#include <cerrno>

namespace ringtrack::frontend {

void OutputStream::flush() {
  const char* p = _buffer.data();
  std::size_t left = _buffer.size();
  while (left != 0 && !_failed) {
    const ssize_t n = ::write(_fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      _failed = true;  // EPIPE (reader gone) or a full disk: nothing more can be written
      _error = errno;
      break;
    }
    p += n;
    left -= std::size_t(n);
  }
  _buffer.clear();
}

}  // namespace ringtrack::frontend
