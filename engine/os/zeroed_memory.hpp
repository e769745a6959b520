// Owns: large zero-filled allocations for tables sized at startup: anonymous mappings,
// backed by transparent huge pages where the kernel allows, touched only when used.
// Does not own: what is stored in them (flow_table).
#pragma once

#include <cstddef>
#include <utility>

namespace ringtrack::os {

/// Owns bytes of zeroed memory. Pages are physical only once written, so a table sized
/// for --max-flows costs memory in proportion to what it holds. Huge pages (2 MiB) cut the
/// TLB misses of random lookups in a table far larger than the caches.
class ZeroedMemory {
 public:
  ZeroedMemory() = default;
  /// Throws SetupError naming mmap (or calloc) and the size when the memory cannot be had;
  /// the caller adds what the memory was for.
  explicit ZeroedMemory(std::size_t bytes);
  ~ZeroedMemory();
  ZeroedMemory(ZeroedMemory&& o) noexcept
      : _base(std::exchange(o._base, nullptr)), _bytes(std::exchange(o._bytes, 0)) {}
  ZeroedMemory& operator=(ZeroedMemory&& o) noexcept;
  ZeroedMemory(const ZeroedMemory&) = delete;
  ZeroedMemory& operator=(const ZeroedMemory&) = delete;

  void* get() const noexcept { return _base; }
  std::size_t bytes() const noexcept { return _bytes; }

 private:
  void release() noexcept;

  void* _base = nullptr;
  std::size_t _bytes = 0;  // below 64 KiB calloc'd, else mapped (whole pages)
};

}  // namespace ringtrack::os
