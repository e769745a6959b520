// Owns: buffered writing of report text to a file descriptor, and noticing when the reader
// has gone away (EPIPE) so the run can stop instead of dying on SIGPIPE.
// Does not own: what is written.
#pragma once

#include <string>
#include <string_view>

namespace ringtrack::frontend {

class OutputStream {
 public:
  explicit OutputStream(int fd) : _fd(fd) { _buffer.reserve(flush_threshold * 2); }
  ~OutputStream() { flush(); }

  std::string& buffer() noexcept { return _buffer; }
  void append(std::string_view text) { _buffer.append(text); }
  /// Writes out once enough has gathered (64 KiB: few syscalls, little latency).
  void maybe_flush() {
    if (_buffer.size() >= flush_threshold) flush();
  }
  void flush();
  bool failed() const noexcept { return _failed; }
  /// errno of the write that failed (EPIPE: the reader went away).
  int error() const noexcept { return _error; }

 private:
  static constexpr std::size_t flush_threshold = 64 * 1024;
  int _fd;
  std::string _buffer;
  bool _failed = false;
  int _error = 0;
};

}  // namespace ringtrack::frontend
