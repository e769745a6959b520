// Owns: mmap/madvise/munmap for table memory.
// Does not own: sizing decisions.
#include "os/zeroed_memory.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "os/syscall_error.hpp"

namespace ringtrack::os {
namespace {
constexpr std::size_t huge_page_bytes = 2u << 20;
constexpr std::size_t page_bytes = 4096;
constexpr std::size_t small_bytes = 64 * 1024;
}

ZeroedMemory::ZeroedMemory(std::size_t bytes) {
  if (bytes == 0) return;
  if (bytes < small_bytes) {  // small tables (tests, tiny --max-flows): the heap is cheaper
    _base = std::calloc(1, bytes);
    if (_base == nullptr) throw SetupError("calloc(" + std::to_string(bytes) + " bytes) failed");
    _bytes = bytes;
    return;
  }
  // Mapped: whole huge pages from 2 MiB on, so the tail can be huge-page backed too;
  // whole pages below.
  const std::size_t unit = bytes >= huge_page_bytes ? huge_page_bytes : page_bytes;
  const std::size_t mapped = (bytes + unit - 1) / unit * unit;
  void* base = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED)
    throw syscall_error("mmap(" + std::to_string(mapped >> 20) + " MiB)", errno);
  // Advice only: without transparent huge pages the mapping works with 4 KiB pages.
  if (mapped >= huge_page_bytes) ::madvise(base, mapped, MADV_HUGEPAGE);
  _base = base;
  _bytes = mapped;
}

void ZeroedMemory::release() noexcept {
  if (_base == nullptr) return;
  if (_bytes < small_bytes) std::free(_base);
  else ::munmap(_base, _bytes);
  _base = nullptr;
}

ZeroedMemory::~ZeroedMemory() { release(); }

ZeroedMemory& ZeroedMemory::operator=(ZeroedMemory&& o) noexcept {
  if (this != &o) {
    release();
    _base = std::exchange(o._base, nullptr);
    _bytes = std::exchange(o._bytes, 0);
  }
  return *this;
}

}  // namespace ringtrack::os
