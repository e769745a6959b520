// Owns: putting an idle consumer thread to sleep until a producer has work for it, without
// busy-waiting (file replays run several threads on few cores).
// Does not own: the queues themselves (spsc_link) or live readers, which never sleep on one.
#pragma once

#include <atomic>
#include <cstdint>

namespace ringtrack::runtime {

/// One per sleeping consumer. The consumer takes a ticket, checks its queues, and waits
/// on the ticket if they were empty; a producer rings after pushing. A ring between the
/// check and the wait changes the ticket, so the wait returns at once: no lost wake-up.
/// notify is a cheap check when nobody sleeps; a futex call only when someone does.
class Doorbell {
 public:
  /// Acquire: what producers pushed before ringing is visible once the ticket is seen.
  uint32_t ticket() const noexcept { return _rings.load(std::memory_order_acquire); }

  /// Release: the pushes before it are visible to whoever sees the new ticket.
  void ring() noexcept {
    _rings.fetch_add(1, std::memory_order_release);
    _rings.notify_all();
  }

  /// Returns once rung after `ticket` was taken (briefly spinning first: the other side is
  /// often about to act, and a sleep costs two system calls).
  void wait(uint32_t ticket) const noexcept {
    for (int spin = 0; spin < spin_rounds; ++spin) {
      if (_rings.load(std::memory_order_acquire) != ticket) return;
      __builtin_ia32_pause();
    }
    _rings.wait(ticket, std::memory_order_acquire);
  }

 private:
  static constexpr int spin_rounds = 256;
  std::atomic<uint32_t> _rings{0};
};

}  // namespace ringtrack::runtime
