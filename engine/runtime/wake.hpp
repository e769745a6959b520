// Owns: how every runtime thread sleeps until another has work for it, and is woken.
// Does not own: the queues it guards (spsc_link), or polling a ring (os::wait_for_block).
#pragma once

#include <atomic>
#include <cstdint>

#include "os/event_fd.hpp"

namespace ringtrack::runtime {

/// A hint to the core that this thread spins (saves power, yields to a hyper-thread).
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield");
#endif
}

/// One per thread that may sleep. The owner checks its queues and sleeps only when they
/// are empty; a producer calls notify() after each push it wants seen. Lost wake-ups cannot
/// happen: the owner marks itself asleep with a read-modify-write before its last check,
/// and a producer reads the mark with a read-modify-write after its push. The two are
/// ordered on the one variable: if the producer's comes later it sees the mark and writes
/// the eventfd (which stays readable until read); if it comes first, the owner's acquire
/// reads what the producer's release wrote, so the owner's check sees the push. (RMWs, not
/// fences: ThreadSanitizer follows these.) notify() costs one locked instruction while the
/// owner is awake; a system call only when it sleeps.
class Wake {
 public:
  /// Throws SetupError naming eventfd when the kernel has none to give.
  Wake() = default;
  Wake(const Wake&) = delete;
  Wake& operator=(const Wake&) = delete;

  /// Any thread, after publishing work for the owner.
  void notify() noexcept {
    if (_sleeping.fetch_add(0, std::memory_order_acq_rel) != 0) _event.signal();
  }

  /// Owner: returns once has_work() is true, or after a notify(), or after timeout_ms
  /// (-1: no limit). Spins a little first: the other side is often about to act, and a
  /// sleep costs two system calls.
  template <class HasWork>
  void wait(HasWork&& has_work, int timeout_ms = -1) noexcept {
    for (int spin = 0; spin < spin_rounds; ++spin) {
      if (has_work()) return;
      cpu_relax();
    }
    arm();
    if (!has_work()) _event.wait(timeout_ms);
    disarm();
  }

  /// Owner, to sleep in its own poll() beside other fds: arm(), check the queues, poll
  /// fd() (and the others) only if they were empty, disarm(), and drain() when poll said
  /// fd() was readable. A notify that raced with a found-work check leaves fd() readable:
  /// the next sleep then returns at once, once.
  void arm() noexcept { _sleeping.exchange(1, std::memory_order_acq_rel); }
  void disarm() noexcept { _sleeping.store(0, std::memory_order_relaxed); }
  void drain() noexcept { _event.drain(); }
  int fd() const noexcept { return _event.fd(); }

 private:
  static constexpr int spin_rounds = 256;
  std::atomic<uint32_t> _sleeping{0};
  os::EventFd _event;
};

}  // namespace ringtrack::runtime
