// Owns: how a thread waits for a queue that is empty or full where waiting is allowed
// (capture files: the producer is a file, so back-pressure loses nothing).
// Does not own: live readers, which never wait on a queue (they count a drop instead).
#pragma once

#include <chrono>
#include <thread>

namespace ringtrack::runtime {

/// Spin briefly (the other side is usually about to act), then yield the core (these
/// machines may have fewer cores than threads), then sleep in short steps.
class Backoff {
 public:
  void wait() noexcept {
    if (_rounds < spin_rounds) {
      __builtin_ia32_pause();
    } else if (_rounds < spin_rounds + yield_rounds) {
      std::this_thread::yield();
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    ++_rounds;
  }
  void reset() noexcept { _rounds = 0; }

 private:
  static constexpr unsigned spin_rounds = 64;
  static constexpr unsigned yield_rounds = 64;
  unsigned _rounds = 0;
};

}  // namespace ringtrack::runtime
