// Owns: mmap/madvise/munmap for table memory.
// Does not own: sizing decisions.
#include "os/zeroed_memory.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <string>

#include "os/syscall_error.hpp"

namespace ringtrack::os {
namespace {
constexpr std::size_t huge_page_bytes = 2u << 20;
}

ZeroedMemory::ZeroedMemory(std::size_t bytes) {
  if (bytes == 0) return;
  // Round up to whole huge pages so the tail can be huge-page backed too.
  const std::size_t mapped = (bytes + huge_page_bytes - 1) / huge_page_bytes * huge_page_bytes;
  void* base = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED)
    throw syscall_error("mmap(" + std::to_string(mapped >> 20) + " MiB for the flow table)", errno,
                        "lower --max-flows");
  // Advice only: without transparent huge pages the mapping works with 4 KiB pages.
  if (mapped >= huge_page_bytes) ::madvise(base, mapped, MADV_HUGEPAGE);
  _base = base;
  _bytes = mapped;
}

ZeroedMemory::~ZeroedMemory() {
  if (_base) ::munmap(_base, _bytes);
}

ZeroedMemory& ZeroedMemory::operator=(ZeroedMemory&& o) noexcept {
  if (this != &o) {
    if (_base) ::munmap(_base, _bytes);
    _base = std::exchange(o._base, nullptr);
    _bytes = std::exchange(o._bytes, 0);
  }
  return *this;
}

}  // namespace ringtrack::os
