// Owns: the fixed buffer a batch output row is built in with plain stores before it is
// appended to the output once. Does not own: what a row says (json_writer, text_writer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "frontend/decimal_text.hpp"

namespace ringtrack::frontend {

/// Batch output writes one row per connection, a million rows in a run: no string is
/// built per field. The longest row of either format (two IPv6 endpoints, every counter at
/// its widest, a tunnel with IPv6 outer endpoints) stays under 1600 bytes, so no store checks for room.
class RowBuffer {
 public:
  template <std::size_t N>
  void literal(const char (&text)[N]) noexcept {
    put(text, N - 1);
  }
  void text(const char* s) noexcept { put(s, std::strlen(s)); }
  void put(const char* s, std::size_t n) noexcept {
    std::memcpy(_at, s, n);
    _at += n;
  }
  void put(char c) noexcept { *_at++ = c; }
  void spaces(std::size_t n) noexcept {
    std::memset(_at, ' ', n);
    _at += n;
  }
  void number(uint64_t v) noexcept { _at = write_decimal(_at, v); }
  /// Lets a write_* formatter (char* at -> end) write in place: write(fn) calls fn(end).
  template <class Write>
  void write(Write&& fn) noexcept {
    _at = fn(_at);
  }
  /// Copies `bytes` bytes but keeps only the first `keep` (a fixed-size copy is two
  /// vector moves, no call); for text that starts early in a row.
  void put_fixed(const char* s, std::size_t bytes, std::size_t keep) noexcept {
    std::memcpy(_at, s, bytes);
    _at += keep;
  }
  void append_to(std::string& out) const { out.append(_buffer, std::size_t(_at - _buffer)); }

 private:
  char _buffer[2048];
  char* _at = _buffer;
};

}  // namespace ringtrack::frontend
